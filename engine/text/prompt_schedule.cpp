#include "engine/text/prompt_schedule.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <set>

#include "engine/text/prompt_text_util.h"
#include "engine/text/tokenizer_unicode.h"

namespace easel::text {
namespace {

// Parse tree of A1111's schedule grammar:
//   !start: (prompt | /[][():]/+)*
//   prompt: (emphasized | scheduled | alternate | plain | WHITESPACE)*
//   !emphasized: "(" prompt ")" | "(" prompt ":" prompt ")" | "[" prompt "]"
//   scheduled: "[" [prompt ":"] prompt ":" [WHITESPACE] NUMBER [WHITESPACE] "]"
//   alternate: "[" prompt ("|" [prompt])+ "]"
//   plain: /([^\\\[\]():|]|\\.)+/      NUMBER: lark SIGNED_NUMBER
// Brackets that do not form a construct are legal only at the top level, where they stay text;
// emphasized keeps its brackets as text too. So only scheduled/alternate change the text.
//
// Ambiguity: with stray top-level brackets next to a construct ("[a:b:4]]"), the grammar allows
// both "construct + literal bracket" and "all literal". lark's Earley resolution between them
// depends on Python's hash seed (checked against lark 1.1.5 with several PYTHONHASHSEED values:
// the answer changes from run to run), so A1111 itself is not deterministic there. We always
// take the construct wherever it is well formed (left to right, greedy), in linear time.
struct Node;
using NodePtr = std::unique_ptr<Node>;
struct Node {
    enum class Kind { Text, Sequence, Scheduled, Alternate } kind = Kind::Text;
    std::u32string text;              // Text
    std::vector<NodePtr> children;    // Sequence: items; Scheduled: before, after; Alternate: options
    std::u32string number;            // Scheduled: NUMBER as written
    int when = 0;                     // Scheduled: resolved step
};

NodePtr makeText(std::u32string text) {
    auto n = std::make_unique<Node>();
    n->text = std::move(text);
    return n;
}

class ScheduleParser {
public:
    explicit ScheduleParser(const std::u32string& s) : m_s(s) {}

    /// start rule; nullptr when the grammar rejects the text.
    NodePtr parseStart() {
        auto root = std::make_unique<Node>();
        root->kind = Node::Kind::Sequence;
        std::size_t pos = 0;
        while (pos < m_s.size()) {
            NodePtr prompt = parsePrompt(pos);
            if (prompt) root->children.push_back(std::move(prompt));
            if (pos >= m_s.size()) break;
            const char32_t c = m_s[pos];
            if (c == U'[' || c == U']' || c == U'(' || c == U')' || c == U':') {
                root->children.push_back(makeText(std::u32string(1, c)));
                ++pos;
                continue;
            }
            return nullptr;  // '|' outside an alternation, or a trailing backslash
        }
        return root;
    }

private:
    /// prompt rule, greedy: stops at ')', ']', ':', '|', end, or a bracket that opens no construct.
    NodePtr parsePrompt(std::size_t& pos) {
        auto seq = std::make_unique<Node>();
        seq->kind = Node::Kind::Sequence;
        while (pos < m_s.size()) {
            const char32_t c = m_s[pos];
            if (c == U'(' || c == U'[') {
                std::size_t p = pos;
                NodePtr construct = c == U'(' ? parseParen(p) : parseSquare(p);
                if (!construct) break;
                seq->children.push_back(std::move(construct));
                pos = p;
                continue;
            }
            if (c == U')' || c == U']' || c == U':' || c == U'|') break;
            // plain / WHITESPACE
            std::size_t j = pos;
            while (j < m_s.size()) {
                const char32_t d = m_s[j];
                if (d == U'\\') {
                    if (j + 1 < m_s.size() && m_s[j + 1] != U'\n') {  // `\\.`: '.' does not match a newline
                        j += 2;
                        continue;
                    }
                    break;
                }
                if (d == U'(' || d == U')' || d == U'[' || d == U']' || d == U':' || d == U'|') break;
                ++j;
            }
            if (j == pos) break;  // a backslash that escapes nothing
            seq->children.push_back(makeText(m_s.substr(pos, j - pos)));
            pos = j;
        }
        return seq;
    }

    bool expect(std::size_t& pos, char32_t c) const {
        if (pos < m_s.size() && m_s[pos] == c) {
            ++pos;
            return true;
        }
        return false;
    }

    NodePtr parseParen(std::size_t& pos) {
        // "(" prompt ")" | "(" prompt ":" prompt ")" — brackets and colon stay in the text.
        std::size_t p = pos + 1;
        auto seq = std::make_unique<Node>();
        seq->kind = Node::Kind::Sequence;
        seq->children.push_back(makeText(U"("));
        seq->children.push_back(parsePrompt(p));
        if (expect(p, U':')) {
            seq->children.push_back(makeText(U":"));
            seq->children.push_back(parsePrompt(p));
        }
        if (!expect(p, U')')) return nullptr;
        seq->children.push_back(makeText(U")"));
        pos = p;
        return seq;
    }

    /// lark SIGNED_NUMBER at pos: ["+"|"-"] (INT _EXP | DECIMAL _EXP? | INT).
    std::size_t matchNumber(std::size_t pos) const {
        auto digits = [this](std::size_t p) {
            std::size_t q = p;
            while (q < m_s.size() && m_s[q] >= '0' && m_s[q] <= '9') ++q;
            return q - p;
        };
        std::size_t p = pos;
        if (p < m_s.size() && (m_s[p] == U'+' || m_s[p] == U'-')) ++p;
        const std::size_t intLen = digits(p);
        p += intLen;
        std::size_t fracLen = 0;
        bool dot = false;
        if (p < m_s.size() && m_s[p] == U'.') {
            fracLen = digits(p + 1);
            if (intLen > 0 || fracLen > 0) {
                dot = true;
                p += 1 + fracLen;
            }
        }
        if (intLen == 0 && !dot) return 0;
        if (p < m_s.size() && (m_s[p] == U'e' || m_s[p] == U'E')) {
            std::size_t q = p + 1;
            if (q < m_s.size() && (m_s[q] == U'+' || m_s[q] == U'-')) ++q;
            const std::size_t expLen = digits(q);
            if (expLen > 0) p = q + expLen;
        }
        return p - pos;
    }

    /// ":" [WHITESPACE] NUMBER [WHITESPACE] "]" at pos (pos at the ':').
    bool matchWhen(std::size_t& pos, std::u32string& number) const {
        std::size_t p = pos;
        if (!expect(p, U':')) return false;
        while (p < m_s.size() && prompt_detail::isSpace(m_s[p])) ++p;
        const std::size_t len = matchNumber(p);
        if (len == 0) return false;
        number = m_s.substr(p, len);
        p += len;
        while (p < m_s.size() && prompt_detail::isSpace(m_s[p])) ++p;
        if (!expect(p, U']')) return false;
        pos = p;
        return true;
    }

    NodePtr parseSquare(std::size_t& pos) {
        std::size_t p = pos + 1;
        NodePtr first = parsePrompt(p);
        if (p >= m_s.size()) return nullptr;
        const char32_t c = m_s[p];
        if (c == U']') {  // emphasized "[" prompt "]"
            auto seq = std::make_unique<Node>();
            seq->kind = Node::Kind::Sequence;
            seq->children.push_back(makeText(U"["));
            seq->children.push_back(std::move(first));
            seq->children.push_back(makeText(U"]"));
            pos = p + 1;
            return seq;
        }
        if (c == U'|') {
            auto alt = std::make_unique<Node>();
            alt->kind = Node::Kind::Alternate;
            alt->children.push_back(std::move(first));
            while (expect(p, U'|')) alt->children.push_back(parsePrompt(p));
            if (!expect(p, U']')) return nullptr;
            pos = p;
            return alt;
        }
        if (c == U':') {
            std::u32string number;
            std::size_t q = p;
            // "[" prompt ":" NUMBER "]": [to:when]
            if (matchWhen(q, number)) {
                auto node = std::make_unique<Node>();
                node->kind = Node::Kind::Scheduled;
                node->children.push_back(nullptr);
                node->children.push_back(std::move(first));
                node->number = number;
                pos = q;
                return node;
            }
            // "[" prompt ":" prompt ":" NUMBER "]": [from:to:when]
            q = p + 1;
            NodePtr second = parsePrompt(q);
            if (q < m_s.size() && m_s[q] == U':' && matchWhen(q, number)) {
                auto node = std::make_unique<Node>();
                node->kind = Node::Kind::Scheduled;
                node->children.push_back(std::move(first));
                node->children.push_back(std::move(second));
                node->number = number;
                pos = q;
                return node;
            }
        }
        return nullptr;
    }

    const std::u32string& m_s;
};

struct StepRules {
    int steps = 0;
    int intOffset = 0;
    double floatOffset = 0.0;
    bool oldScheduling = false;
};

// Ref: A1111 collect_steps (CollectSteps visitor).
void collectSteps(Node& node, const StepRules& rules, std::set<int>& out) {
    if (node.kind == Node::Kind::Scheduled) {
        const std::string s = unicode::toUtf8(node.number);
        double v = prompt_detail::pythonFloat(s).value_or(0.0);
        if (rules.oldScheduling) {
            v = v < 1 ? v * rules.steps : v;
        } else if (s.find('.') != std::string::npos) {
            v = (v - rules.floatOffset) * rules.steps;
        } else {
            v = v - rules.intOffset;
        }
        // int() truncates toward zero; clamp first so huge values cannot overflow.
        const double clamped = std::clamp(v, -1e9, 1e9);
        node.when = std::min(rules.steps, static_cast<int>(std::trunc(clamped)));
        if (node.when >= 1) out.insert(node.when);
    } else if (node.kind == Node::Kind::Alternate) {
        for (int i = 1; i <= rules.steps; ++i) out.insert(i);
    }
    for (auto& child : node.children) {
        if (child) collectSteps(*child, rules, out);
    }
}

// Ref: A1111 at_step (AtStep transformer).
void textAtStep(const Node& node, int step, std::u32string& out) {
    switch (node.kind) {
    case Node::Kind::Text:
        out += node.text;
        break;
    case Node::Kind::Sequence:
        for (const auto& child : node.children) {
            if (child) textAtStep(*child, step, out);
        }
        break;
    case Node::Kind::Scheduled: {
        const Node* chosen = step <= node.when ? node.children[0].get() : node.children[1].get();
        if (chosen) textAtStep(*chosen, step, out);
        break;
    }
    case Node::Kind::Alternate: {
        const std::size_t n = node.children.size();
        const Node* chosen = node.children[static_cast<std::size_t>(step - 1) % n].get();
        if (chosen) textAtStep(*chosen, step, out);
        break;
    }
    }
}

} // namespace

PromptSchedule parsePromptSchedule(std::string_view prompt, int steps, std::optional<int> hiresSteps, bool useOldScheduling) {
    StepRules rules;
    rules.oldScheduling = useOldScheduling;
    if (!hiresSteps || useOldScheduling) {
        rules.steps = steps;
    } else {
        rules.steps = *hiresSteps;
        rules.intOffset = steps;
        rules.floatOffset = 1.0;
    }
    PromptSchedule schedule;
    const std::u32string text = unicode::fromUtf8(prompt);
    ScheduleParser parser(text);
    NodePtr tree = parser.parseStart();
    if (!tree) {
        schedule.entries.emplace_back(rules.steps, std::string(prompt));
        return schedule;
    }
    std::set<int> boundaries{rules.steps};
    collectSteps(*tree, rules, boundaries);
    for (int t : boundaries) {
        std::u32string out;
        textAtStep(*tree, t, out);
        schedule.entries.emplace_back(t, unicode::toUtf8(out));
    }
    return schedule;
}

std::string promptAtStep(const PromptSchedule& schedule, int step) {
    for (const auto& [end, text] : schedule.entries) {
        if (step <= end) return text;
    }
    return schedule.entries.empty() ? std::string() : schedule.entries.back().second;
}

} // namespace easel::text
