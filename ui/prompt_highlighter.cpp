#include "ui/prompt_highlighter.h"

#include <QRegularExpression>

#include <vector>

namespace easel::ui {
namespace {

// Open brackets, innermost last. Encoded into the block state (2 bits a level) so a bracket opened on
// one line is known on the next; QSyntaxHighlighter re-highlights following lines when it changes.
enum Open : int { kParen = 1, kSquare = 2, kSchedule = 3 };
constexpr int kMaxEncodedLevels = 15;

int encode(const std::vector<int>& stack)
{
    int state = 0;
    const int count = std::min<int>(int(stack.size()), kMaxEncodedLevels);
    for (int i = 0; i < count; ++i)
        state |= stack[stack.size() - count + i] << (2 * i);
    return state;
}

std::vector<int> decode(int state)
{
    std::vector<int> stack;
    for (int i = 0; state > 0 && i < kMaxEncodedLevels; ++i, state >>= 2)
        stack.push_back(state & 3);
    return stack;
}

bool isWordChar(QChar c) { return c.isLetterOrNumber() || c == QLatin1Char('_'); }

/// "[...]" is a schedule or alternation when a ':' or '|' sits at its own level before it closes.
bool isScheduleBracket(const QString& text, int open)
{
    int depth = 0;
    for (int i = open + 1; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c == QLatin1Char('\\')) {
            ++i;
        } else if (c == QLatin1Char('[') || c == QLatin1Char('(')) {
            ++depth;
        } else if (c == QLatin1Char(']') || c == QLatin1Char(')')) {
            if (depth == 0)
                return false;
            --depth;
        } else if (depth == 0 && (c == QLatin1Char(':') || c == QLatin1Char('|'))) {
            return true;
        }
    }
    return false;
}

} // namespace

PromptHighlighter::PromptHighlighter(QTextDocument* document)
    : QSyntaxHighlighter(document)
{
    // Mid-saturation colours that read on light and dark palettes.
    auto& bracket = m_formats[int(Role::EmphasisBracket)];
    bracket.setForeground(QColor(0xd9, 0x77, 0x06));
    bracket.setFontWeight(QFont::Bold);
    m_formats[int(Role::Weight)].setForeground(QColor(0x25, 0x63, 0xeb));
    auto& schedule = m_formats[int(Role::ScheduleSyntax)];
    schedule.setForeground(QColor(0x93, 0x33, 0xea));
    schedule.setFontWeight(QFont::Bold);
    auto& keyword = m_formats[int(Role::Keyword)];
    keyword.setForeground(QColor(0x0d, 0x94, 0x88));
    keyword.setFontWeight(QFont::Bold);
    m_formats[int(Role::NetworkTag)].setForeground(QColor(0x16, 0xa3, 0x4a));
    auto& unknown = m_formats[int(Role::UnknownName)];
    unknown.setForeground(QColor(0x16, 0xa3, 0x4a));
    unknown.setUnderlineStyle(QTextCharFormat::WaveUnderline);
    unknown.setUnderlineColor(QColor(0xdc, 0x26, 0x26));
    m_formats[int(Role::Escape)].setForeground(QColor(0x80, 0x80, 0x80));
    auto& unmatched = m_formats[int(Role::Unmatched)];
    unmatched.setForeground(QColor(0xdc, 0x26, 0x26));
    unmatched.setBackground(QColor(0xdc, 0x26, 0x26, 40));
}

void PromptHighlighter::setNameValidator(NameValidator validator)
{
    m_validator = std::move(validator);
    rehighlight();
}

const QTextCharFormat& PromptHighlighter::format(Role role) const { return m_formats[int(role)]; }

int PromptHighlighter::highlightTag(const QString& text, int at)
{
    // Ref: A1111 extra_networks.py re_extra_net = <(\w+):([^>]+)>
    static const QRegularExpression tag(QStringLiteral("<(\\w+):([^>]+)>"));
    const auto match = tag.match(text, at, QRegularExpression::NormalMatch,
                                 QRegularExpression::AnchorAtOffsetMatchOption);
    if (!match.hasMatch())
        return at;
    setFormat(int(match.capturedStart()), int(match.capturedLength()), format(Role::NetworkTag));
    const QString kind = match.captured(1);
    const QString args = match.captured(2);
    const int nameLength = int(args.indexOf(QLatin1Char(':')) < 0 ? args.size() : args.indexOf(QLatin1Char(':')));
    const QString name = args.left(nameLength).trimmed();
    if (m_validator && !m_validator(kind, name))
        setFormat(int(match.capturedStart(2)), nameLength, format(Role::UnknownName));
    return int(match.capturedEnd());
}

void PromptHighlighter::highlightBlock(const QString& text)
{
    std::vector<int> stack = decode(std::max(0, previousBlockState()));
    static const QRegularExpression weight(QStringLiteral(":\\s*[+-]?[.\\d]+\\s*(?=\\))"));
    static const QRegularExpression when(QStringLiteral("\\s*[+-]?[.\\d]+\\s*(?=\\])"));

    for (int i = 0; i < text.size();) {
        const QChar c = text[i];
        const int top = stack.empty() ? 0 : stack.back();
        if (c == QLatin1Char('\\') && i + 1 < text.size()) {
            setFormat(i, 2, format(Role::Escape));
            i += 2;
            continue;
        }
        if (c == QLatin1Char('<')) {
            const int next = highlightTag(text, i);
            i = next > i ? next : i + 1;
            continue;
        }
        if (c == QLatin1Char('(') || c == QLatin1Char('[')) {
            const bool schedule = c == QLatin1Char('[') && isScheduleBracket(text, i);
            stack.push_back(c == QLatin1Char('(') ? kParen : schedule ? kSchedule : kSquare);
            setFormat(i, 1, format(schedule ? Role::ScheduleSyntax : Role::EmphasisBracket));
        } else if (c == QLatin1Char(')') || c == QLatin1Char(']')) {
            const bool matches = c == QLatin1Char(')') ? top == kParen : (top == kSquare || top == kSchedule);
            if (matches) {
                setFormat(i, 1, format(top == kSchedule ? Role::ScheduleSyntax : Role::EmphasisBracket));
                stack.pop_back();
            } else {
                setFormat(i, 1, format(Role::Unmatched));
            }
        } else if (c == QLatin1Char(':') && top == kParen) {
            const auto m = weight.match(text, i, QRegularExpression::NormalMatch,
                                        QRegularExpression::AnchorAtOffsetMatchOption);
            if (m.hasMatch()) {
                setFormat(i, int(m.capturedLength()), format(Role::Weight));
                i += int(m.capturedLength());
                continue;
            }
        } else if ((c == QLatin1Char(':') || c == QLatin1Char('|')) && top == kSchedule) {
            setFormat(i, 1, format(Role::ScheduleSyntax));
            if (c == QLatin1Char(':')) {
                const auto m = when.match(text, i + 1, QRegularExpression::NormalMatch,
                                          QRegularExpression::AnchorAtOffsetMatchOption);
                if (m.hasMatch()) {
                    setFormat(i + 1, int(m.capturedLength()), format(Role::Weight));
                    i += 1 + int(m.capturedLength());
                    continue;
                }
            }
        } else if ((c == QLatin1Char('B') || c == QLatin1Char('A')) && (i == 0 || !isWordChar(text[i - 1]))) {
            // Ref: A1111 prompt_parser re_break \bBREAK\b and re_AND \bAND\b.
            const QLatin1String keyword(c == QLatin1Char('B') ? "BREAK" : "AND");
            const int end = i + int(keyword.size());
            if (QStringView(text).mid(i).startsWith(keyword) && (end >= text.size() || !isWordChar(text[end]))) {
                setFormat(i, int(keyword.size()), format(Role::Keyword));
                i = end;
                continue;
            }
        }
        ++i;
    }
    setCurrentBlockState(encode(stack));
}

} // namespace easel::ui
