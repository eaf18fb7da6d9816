#pragma once
/// Syntax colouring of A1111 prompt text: emphasis "(a:1.3)" / "[a]", schedules "[from:to:when]"
/// and alternation "[a|b]", BREAK and AND, extra-network tags "<lora:name:0.8>" (names the validator
/// does not know get a wavy underline), escapes "\(" and brackets that close nothing. GUI thread.
///
/// Ref: A1111 modules/prompt_parser.py (attention and schedule grammar), extra_networks.py re_extra_net.

#include <QSyntaxHighlighter>
#include <QTextCharFormat>

#include <functional>

namespace easel::ui {

class PromptHighlighter : public QSyntaxHighlighter {
    Q_OBJECT
public:
    /// Says whether an extra-network name exists, e.g. ("lora", "add_detail").
    using NameValidator = std::function<bool(const QString& kind, const QString& name)>;

    enum class Role { EmphasisBracket, Weight, ScheduleSyntax, Keyword, NetworkTag, UnknownName, Escape, Unmatched };

    explicit PromptHighlighter(QTextDocument* document);

    /// No validator (the default): tags are coloured but never underlined.
    void setNameValidator(NameValidator validator);
    const QTextCharFormat& format(Role role) const;

protected:
    void highlightBlock(const QString& text) override;

private:
    int highlightTag(const QString& text, int at);
    NameValidator m_validator;
    QTextCharFormat m_formats[8];
};

} // namespace easel::ui
