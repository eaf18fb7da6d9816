#include "engine/catalog/fts_query.h"

namespace easel::catalog {

namespace {

bool isSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

/// unicode61 keeps ASCII letters/digits and (nearly all) non-ASCII letters as token characters; a word
/// made only of ASCII punctuation yields no token, and an empty phrase is an FTS5 syntax error.
bool hasTokenCharacter(std::string_view word)
{
    for (const unsigned char c : word) {
        if (c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            return true;
    }
    return false;
}

} // namespace

std::string ftsMatchExpression(std::string_view userText)
{
    std::string out;
    size_t i = 0;
    while (i < userText.size()) {
        while (i < userText.size() && isSpace(static_cast<unsigned char>(userText[i])))
            ++i;
        const size_t begin = i;
        while (i < userText.size() && !isSpace(static_cast<unsigned char>(userText[i])))
            ++i;
        const std::string_view word = userText.substr(begin, i - begin);
        if (word.empty() || !hasTokenCharacter(word))
            continue;
        if (!out.empty())
            out += ' ';
        out += '"';
        for (const char c : word) {
            // A double quote inside an FTS5 string is written twice; it is a separator for the
            // tokenizer anyway, so this only keeps the expression well-formed.
            if (c == '"')
                out += "\"\"";
            else if (c != '\0')
                out += c;
        }
        out += "\"*";
    }
    return out;
}

} // namespace easel::catalog
