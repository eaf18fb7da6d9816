#include "ui/attention_edit.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace easel::ui {
namespace {

QChar charAt(const QString& text, int index)
{
    // JavaScript's text[i] is undefined out of range; a NUL never equals a delimiter or bracket here.
    return index >= 0 && index < text.size() ? text[index] : QChar();
}

bool isDigitOrDot(QChar c) { return c == QLatin1Char('.') || (c >= QLatin1Char('0') && c <= QLatin1Char('9')); }

/// /.*:-?[\d.]+/s.test(content): some ':' followed by an optional '-' and a digit or '.'.
bool hasWeightSuffix(QStringView content)
{
    for (qsizetype i = 0; i < content.size(); ++i) {
        if (content[i] != QLatin1Char(':'))
            continue;
        qsizetype j = i + 1;
        if (j < content.size() && content[j] == QLatin1Char('-'))
            ++j;
        if (j < content.size() && isDigitOrDot(content[j]))
            return true;
    }
    return false;
}

/// A1111 selectCurrentParenthesisBlock: an empty selection inside OPEN...CLOSE selects its content
/// (without a trailing ":weight").
bool selectEnclosingBlock(const QString& text, int& start, int& end, QChar open, QChar close)
{
    if (start != end)
        return false;
    const QStringView before = QStringView(text).left(start);
    const qsizetype openPos = before.lastIndexOf(open);
    if (openPos < 0)
        return false;
    const qsizetype closeBefore = before.lastIndexOf(close);
    if (closeBefore >= 0 && closeBefore > openPos)
        return false;
    const QStringView after = QStringView(text).mid(start);
    const qsizetype closePos = after.indexOf(close);
    if (closePos < 0)
        return false;
    const qsizetype openAfter = after.indexOf(open);
    if (openAfter >= 0 && openAfter < closePos)
        return false;
    const QStringView content = QStringView(text).mid(openPos + 1, start + closePos - (openPos + 1));
    start = int(openPos + 1);
    end = start + int(hasWeightSuffix(content) ? content.lastIndexOf(QLatin1Char(':')) : content.size());
    return true;
}

/// A1111 selectCurrentWord: grow an empty selection to the delimiters around it, minus spaces.
void selectWord(const QString& text, int& start, int& end, const QString& delimiters)
{
    if (start != end)
        return;
    while (start > 0 && !delimiters.contains(text[start - 1]))
        --start;
    while (end < text.size() && !delimiters.contains(text[end]))
        ++end;
    while (start < end && text[start] == QLatin1Char(' '))
        ++start;
    while (end > start && text[end - 1] == QLatin1Char(' '))
        --end;
}

/// Shortest round-trip decimal in fixed notation, which is what JavaScript prints for the
/// magnitudes a prompt weight can have.
QString shortestDecimal(double value)
{
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
    return QString::fromLatin1(buffer, int(result.ptr - buffer));
}

} // namespace

std::optional<double> parseLeadingFloat(QStringView text)
{
    qsizetype i = 0;
    while (i < text.size() && text[i].isSpace())
        ++i;
    const qsizetype begin = i;
    if (i < text.size() && (text[i] == QLatin1Char('+') || text[i] == QLatin1Char('-')))
        ++i;
    if (text.mid(i).startsWith(QLatin1String("Infinity"))) {
        const bool negative = text[begin] == QLatin1Char('-');
        return negative ? -HUGE_VAL : HUGE_VAL;
    }
    const qsizetype digitsBegin = i;
    while (i < text.size() && text[i].isDigit() && text[i].unicode() < 128)
        ++i;
    bool hasDigits = i > digitsBegin;
    if (i < text.size() && text[i] == QLatin1Char('.')) {
        const qsizetype fraction = ++i;
        while (i < text.size() && text[i].isDigit() && text[i].unicode() < 128)
            ++i;
        hasDigits = hasDigits || i > fraction;
    }
    if (!hasDigits)
        return std::nullopt;
    // An exponent counts only when it has digits ("1e" parses as 1).
    if (i < text.size() && (text[i] == QLatin1Char('e') || text[i] == QLatin1Char('E'))) {
        qsizetype j = i + 1;
        if (j < text.size() && (text[j] == QLatin1Char('+') || text[j] == QLatin1Char('-')))
            ++j;
        const qsizetype expDigits = j;
        while (j < text.size() && text[j].isDigit() && text[j].unicode() < 128)
            ++j;
        if (j > expDigits)
            i = j;
    }
    return std::strtod(text.mid(begin, i - begin).toLatin1().constData(), nullptr);
}

QString formatAttentionWeight(double weight)
{
    // toPrecision(12) then parseFloat: round to 12 significant digits.
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.11e", weight);
    double rounded = std::strtod(buffer, nullptr);
    if (rounded == 0.0)
        rounded = 0.0; // JavaScript prints -0 as "0"
    QString text = shortestDecimal(rounded);
    if (std::floor(rounded) == rounded)
        text += QStringLiteral(".0");
    return text;
}

std::optional<AttentionEditResult> editAttention(const QString& original, int selectionStart, int selectionEnd,
                                                 bool increase, const AttentionEditOptions& options)
{
    QString text = original;
    int start = std::clamp(std::min(selectionStart, selectionEnd), 0, int(text.size()));
    int end = std::clamp(std::max(selectionStart, selectionEnd), 0, int(text.size()));

    if (!selectEnclosingBlock(text, start, end, QLatin1Char('<'), QLatin1Char('>'))
        && !selectEnclosingBlock(text, start, end, QLatin1Char('('), QLatin1Char(')'))
        && !selectEnclosingBlock(text, start, end, QLatin1Char('['), QLatin1Char(']')))
        selectWord(text, start, end, options.delimiters);

    QChar closeCharacter = QLatin1Char(')');
    double delta = options.attentionStep;
    const QChar before = charAt(text, start - 1);
    const QChar after = charAt(text, end);

    if (before == QLatin1Char('<')) {
        closeCharacter = QLatin1Char('>');
        delta = options.extraStep;
    } else if ((before == QLatin1Char('(') && after == QLatin1Char(')'))
               || (before == QLatin1Char('[') && after == QLatin1Char(']'))) {
        // Old-style "((text))" / "[text]": count the levels and write them as one explicit weight.
        int levels = 0;
        while (charAt(text, start - levels - 1) == before && charAt(text, end + levels) == after)
            ++levels;
        double weight = before == QLatin1Char('[') ? std::pow(1.0 / 1.1, levels) : std::pow(1.1, levels);
        weight = std::round(weight / options.attentionStep) * options.attentionStep;
        text = text.left(start - levels) + QLatin1Char('(') + text.mid(start, end - start) + QLatin1Char(':')
               + shortestDecimal(weight) + QLatin1Char(')') + text.mid(end + levels);
        start -= levels - 1;
        end -= levels - 1;
    } else if (before != QLatin1Char('(')) {
        while (end > start && text[end - 1] == QLatin1Char(' '))
            --end;
        if (start == end)
            return std::nullopt;
        text = text.left(start) + QLatin1Char('(') + text.mid(start, end - start) + QStringLiteral(":1.0)")
               + text.mid(end);
        ++start;
        ++end;
    }

    if (charAt(text, end) != QLatin1Char(':'))
        return std::nullopt;
    const int weightLength = int(text.mid(end + 1).indexOf(closeCharacter)) + 1;
    const auto weight = parseLeadingFloat(QStringView(text).mid(end + 1, std::max(0, weightLength - 1)));
    if (!weight)
        return std::nullopt;

    const QString newWeight = formatAttentionWeight(*weight + (increase ? delta : -delta));
    if (closeCharacter == QLatin1Char(')') && newWeight == QStringLiteral("1.0")) {
        const int closePos = int(text.mid(end).indexOf(QLatin1Char(')')));
        text = text.left(start - 1) + text.mid(start, end - start) + text.mid(end + closePos + 1);
        --start;
        --end;
    } else {
        text = text.left(end + 1) + newWeight + text.mid(end + weightLength);
    }
    return AttentionEditResult{text, start, end};
}

} // namespace easel::ui
