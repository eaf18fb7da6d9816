#pragma once
/// The one lexer of safetensors header JSON. Two readers sit on it: io::SafetensorsFile::parseHeader
/// (strict: decodes and validates every entry and throws naming the problem) and the catalog's header
/// digest (fast: skips tensor entries, and answers false at anything unexpected so that the strict
/// reader can say why). Before, each had its own scanner, and the two could disagree on what a
/// metadata string says. Header-only and torch-free: the catalog links no engine library. Any thread.
///
/// A header is one JSON object of objects (Ref: huggingface/safetensors README "Format"); this lexer
/// knows JSON tokens, not that shape, which the readers check. Every call that fails returns false
/// and leaves a reason in error(); the position is where it stopped.

#include <cctype>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "engine/core/utf8.h"

namespace easel::io {

class SafetensorsHeaderScanner {
public:
    enum class Error {
        None,
        Syntax,     ///< detail() names what was expected or found
        NotUtf8,    ///< a string decodes to bytes that are not UTF-8
        Overflow,   ///< an integer beyond uint64
        NotInteger, ///< a number where a non-negative integer belongs
        TooDeep,    ///< nesting beyond the depth the caller allows
    };

    explicit SafetensorsHeaderScanner(std::string_view json) : m_s(json) {}

    std::string_view text() const { return m_s; }
    size_t pos() const { return m_i; }
    Error error() const { return m_error; }
    const char* detail() const { return m_detail; }

    void skipSpace()
    {
        while (m_i < m_s.size()) {
            const char c = m_s[m_i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
                break;
            ++m_i;
        }
    }
    bool atEnd()
    {
        skipSpace();
        return m_i >= m_s.size();
    }
    /// The next non-space character ('\0' at the end), not consumed.
    char peek()
    {
        skipSpace();
        return m_i < m_s.size() ? m_s[m_i] : '\0';
    }
    bool peek(char c) { return peek() == c && m_i < m_s.size(); }
    bool consume(char c)
    {
        if (!peek(c))
            return fail(Error::Syntax, "unexpected character");
        ++m_i;
        return true;
    }

    /// A string token without decoding it: `body` is the text between the quotes, `escaped` says
    /// whether it holds any backslash (most names and values do not, and need no copy).
    bool rawString(std::string_view& body, bool& escaped)
    {
        if (!consume('"'))
            return fail(Error::Syntax, "expected a string");
        const size_t begin = m_i;
        escaped = false;
        while (m_i < m_s.size()) {
            const char c = m_s[m_i];
            if (c == '"') {
                body = m_s.substr(begin, m_i - begin);
                ++m_i;
                return true;
            }
            if (c == '\\') {
                escaped = true;
                m_i += 2;
                continue;
            }
            if (static_cast<unsigned char>(c) < 0x20)
                return fail(Error::Syntax, "control character in string");
            ++m_i;
        }
        return fail(Error::Syntax, "unterminated string");
    }

    /// A string token, decoded and checked to be UTF-8.
    bool string(std::string& out)
    {
        std::string_view body;
        bool escaped = false;
        if (!rawString(body, escaped))
            return false;
        if (!escaped)
            out.assign(body);
        else if (!core::unescapeJsonString(body, out))
            return fail(Error::Syntax, "bad escape");
        if (!core::isValidUtf8(out))
            return fail(Error::NotUtf8, "string is not UTF-8");
        return true;
    }

    /// A non-negative integer token (no sign, fraction or exponent).
    bool unsignedInteger(uint64_t& out)
    {
        skipSpace();
        const size_t start = m_i;
        uint64_t v = 0;
        while (m_i < m_s.size() && m_s[m_i] >= '0' && m_s[m_i] <= '9') {
            if (__builtin_mul_overflow(v, 10u, &v) || __builtin_add_overflow(v, static_cast<uint64_t>(m_s[m_i] - '0'), &v))
                return fail(Error::Overflow, "integer too large");
            ++m_i;
        }
        if (m_i == start || (m_i < m_s.size() && (m_s[m_i] == '.' || m_s[m_i] == 'e' || m_s[m_i] == 'E')))
            return fail(Error::NotInteger, "not a non-negative integer");
        out = v;
        return true;
    }

    /// Skips an object whose values hold no braces (a tensor entry: dtype, shape, data_offsets), by
    /// jumping to the first '}'. A header that breaks this fails the structure checks that follow,
    /// or the strict reader, which validates every distinct tensor part, catches it.
    bool skipFlatObject()
    {
        if (!consume('{'))
            return false;
        const void* close = std::memchr(m_s.data() + m_i, '}', m_s.size() - m_i);
        if (!close)
            return fail(Error::Syntax, "unterminated object");
        m_i = static_cast<size_t>(static_cast<const char*>(close) - m_s.data()) + 1;
        return true;
    }

    /// Skips any JSON value, validating it, nested at most `maxDepth` levels below `depth`; `text`
    /// is its source. The bound keeps a hostile header from recursing without end.
    bool skipValue(std::string_view& text, int depth, int maxDepth)
    {
        if (depth > maxDepth)
            return fail(Error::TooDeep, "nested too deeply");
        const char c = peek();
        const size_t start = m_i;
        if (m_i >= m_s.size())
            return fail(Error::Syntax, "expected a value");
        std::string ignored;
        std::string_view inner;
        if (c == '"') {
            if (!string(ignored))
                return false;
        } else if (c == '{' || c == '[') {
            const char close = c == '{' ? '}' : ']';
            ++m_i;
            if (!peek(close)) {
                do {
                    if (c == '{' && (!string(ignored) || !consume(':')))
                        return false;
                    if (!skipValue(inner, depth + 1, maxDepth))
                        return false;
                } while (peek(',') && ++m_i);
            }
            if (!consume(close))
                return false;
        } else {
            while (m_i < m_s.size() && std::strchr("0123456789+-.eEtruefalsn", m_s[m_i]))
                ++m_i;
            const std::string_view literal = m_s.substr(start, m_i - start);
            const bool word = !literal.empty() && std::isalpha(static_cast<unsigned char>(literal[0]));
            if (literal.empty() || (word && literal != "true" && literal != "false" && literal != "null"))
                return fail(Error::Syntax, "bad literal");
        }
        text = m_s.substr(start, m_i - start);
        return true;
    }

private:
    bool fail(Error e, const char* detail)
    {
        m_error = e;
        m_detail = detail;
        return false;
    }

    std::string_view m_s;
    size_t m_i = 0;
    Error m_error = Error::None;
    const char* m_detail = "";
};

} // namespace easel::io
