#include "engine/io/yaml_lite.h"

#include <sstream>

#include "engine/api/error.h"

namespace easel::io {

namespace {

struct Line {
    int indent;
    std::string text;
    int number;
};

constexpr int kMaxDepth = 64;

std::string trim(const std::string& s)
{
    const size_t b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos)
        return {};
    const size_t e = s.find_last_not_of(" \t\r");
    return s.substr(b, e - b + 1);
}

std::string stripComment(const std::string& s)
{
    char quote = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (quote) {
            if (c == quote)
                quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t')) {
            return s.substr(0, i);
        }
    }
    return s;
}

std::string unquote(const std::string& s)
{
    if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front())
        return s.substr(1, s.size() - 2);
    return s;
}

/// Position of the `:` that ends a map key, or npos.
size_t keyColon(const std::string& s)
{
    char quote = 0;
    int bracket = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (quote) {
            if (c == quote)
                quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '[' || c == '{') {
            ++bracket;
        } else if (c == ']' || c == '}') {
            --bracket;
        } else if (c == ':' && bracket == 0 && (i + 1 == s.size() || s[i + 1] == ' ')) {
            return i;
        }
    }
    return std::string::npos;
}

class Parser {
public:
    Parser(std::vector<Line> lines, std::string file) : m_lines(std::move(lines)), m_file(std::move(file)) {}

    YamlNode parseDocument()
    {
        if (m_lines.empty())
            return {};
        YamlNode n = parseBlock(m_lines[0].indent, 0);
        if (m_pos < m_lines.size())
            fail(m_lines[m_pos], "unexpected indentation");
        return n;
    }

private:
    [[noreturn]] void fail(const Line& l, const std::string& what) const
    {
        throw api::Error(api::ErrorCode::CorruptFile,
                         "cannot read YAML config at line " + std::to_string(l.number) + ": " + what, m_file);
    }

    static bool isListItem(const std::string& t) { return t == "-" || t.rfind("- ", 0) == 0; }

    YamlNode parseInline(const std::string& raw, const Line& l, int depth)
    {
        const std::string s = trim(raw);
        YamlNode n;
        if (s.empty() || s == "~" || s == "null")
            return n;
        if (s.front() == '[') {
            if (s.back() != ']')
                fail(l, "unterminated [ list");
            if (depth > kMaxDepth)
                fail(l, "nested too deeply");
            n.type = YamlNode::Type::List;
            const std::string inner = s.substr(1, s.size() - 2);
            int bracket = 0;
            std::string item;
            for (char c : inner + ",") {
                if (c == '[')
                    ++bracket;
                if (c == ']')
                    --bracket;
                if (c == ',' && bracket == 0) {
                    if (!trim(item).empty())
                        n.list.push_back(parseInline(item, l, depth + 1));
                    item.clear();
                } else {
                    item += c;
                }
            }
            return n;
        }
        if (s == "{}") {
            n.type = YamlNode::Type::Map;
            return n;
        }
        n.type = YamlNode::Type::Scalar;
        n.scalar = unquote(s);
        return n;
    }

    YamlNode parseBlock(int indent, int depth)
    {
        if (depth > kMaxDepth)
            fail(m_lines[m_pos], "nested too deeply");
        return isListItem(m_lines[m_pos].text) ? parseList(indent, depth) : parseMap(indent, depth);
    }

    YamlNode parseList(int indent, int depth)
    {
        YamlNode n;
        n.type = YamlNode::Type::List;
        while (m_pos < m_lines.size() && m_lines[m_pos].indent == indent && isListItem(m_lines[m_pos].text)) {
            Line& l = m_lines[m_pos];
            const std::string item = trim(l.text.substr(1));
            if (item.empty()) {
                ++m_pos;
                if (m_pos < m_lines.size() && m_lines[m_pos].indent > indent)
                    n.list.push_back(parseBlock(m_lines[m_pos].indent, depth + 1));
                else
                    n.list.emplace_back();
            } else if (keyColon(item) != std::string::npos || isListItem(item)) {
                // "- key: value" starts a map whose entries sit two columns further in.
                l.indent = indent + 2 + static_cast<int>(l.text.find_first_not_of(" ", 1) - 2);
                l.text = item;
                n.list.push_back(parseBlock(l.indent, depth + 1));
            } else {
                n.list.push_back(parseInline(item, l, depth));
                ++m_pos;
            }
        }
        return n;
    }

    YamlNode parseMap(int indent, int depth)
    {
        YamlNode n;
        n.type = YamlNode::Type::Map;
        while (m_pos < m_lines.size() && m_lines[m_pos].indent == indent && !isListItem(m_lines[m_pos].text)) {
            const Line& l = m_lines[m_pos];
            const size_t colon = keyColon(l.text);
            if (colon == std::string::npos)
                fail(l, "expected 'key: value'");
            const std::string key = unquote(trim(l.text.substr(0, colon)));
            const std::string rest = trim(l.text.substr(colon + 1));
            ++m_pos;
            if (!rest.empty()) {
                n.map.emplace_back(key, parseInline(rest, l, depth));
            } else if (m_pos < m_lines.size() && m_lines[m_pos].indent > indent) {
                n.map.emplace_back(key, parseBlock(m_lines[m_pos].indent, depth + 1));
            } else if (m_pos < m_lines.size() && m_lines[m_pos].indent == indent && isListItem(m_lines[m_pos].text)) {
                n.map.emplace_back(key, parseList(indent, depth + 1)); // list at the key's indentation
            } else {
                n.map.emplace_back(key, YamlNode{});
            }
        }
        return n;
    }

    std::vector<Line> m_lines;
    std::string m_file;
    size_t m_pos = 0;
};

} // namespace

const YamlNode* YamlNode::get(const std::string& key) const
{
    if (type != Type::Map)
        return nullptr;
    for (const auto& [k, v] : map)
        if (k == key)
            return &v;
    return nullptr;
}

const YamlNode* YamlNode::path(const std::string& dotted) const
{
    const YamlNode* n = this;
    std::stringstream ss(dotted);
    std::string part;
    while (n && std::getline(ss, part, '.'))
        n = n->get(part);
    return n;
}

YamlNode parseYaml(const std::string& text, const std::string& file)
{
    std::vector<Line> lines;
    std::stringstream ss(text);
    std::string raw;
    int number = 0;
    while (std::getline(ss, raw)) {
        ++number;
        if (raw.find('\t') != std::string::npos && raw.find_first_not_of(" \t") != std::string::npos &&
            raw[raw.find_first_not_of(" ")] == '\t')
            throw api::Error(api::ErrorCode::CorruptFile, "YAML indentation must use spaces (line " + std::to_string(number) + ")", file);
        const std::string body = stripComment(raw);
        if (trim(body).empty() || trim(body) == "---")
            continue;
        const int indent = static_cast<int>(body.find_first_not_of(' '));
        lines.push_back({indent, trim(body), number});
    }
    return Parser(std::move(lines), file).parseDocument();
}

} // namespace easel::io
