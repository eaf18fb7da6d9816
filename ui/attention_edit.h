#pragma once
/// Ctrl+Up / Ctrl+Down on prompt text: the A1111 "edit attention" keyboard edit as a pure function
/// over text and selection, so the prompt box and its tests share one implementation. Any thread.
///
/// Ref: A1111 v1.10 javascript/edit-attention.js keyupEditAttention (behaviour reproduced, not code).

#include <QString>

#include <optional>

namespace easel::ui {

struct AttentionEditOptions {
    double attentionStep = 0.1;  ///< A1111 keyedit_precision_attention
    double extraStep = 0.05;     ///< A1111 keyedit_precision_extra, for <lora:name:w>
    /// A1111 keyedit_delimiters plus its default whitespace delimiters (tab, CR, LF).
    QString delimiters = QStringLiteral(".,\\/!?%^*;:{}=`~() \t\r\n");
};

struct AttentionEditResult {
    QString text;
    int selectionStart = 0;
    int selectionEnd = 0;
};

/// Raises (`increase`) or lowers the weight of the selected text [selectionStart, selectionEnd)
/// (UTF-16 indices, as QTextCursor uses). Without a selection the enclosing <...>, (...) or [...]
/// block, else the word under the cursor, is used. Plain text becomes "(text:1.1)", an existing
/// "(text:1.2)" changes its number, "((text))" becomes "(text:1.3)", and a weight that returns to
/// 1.0 loses its parentheses. Returns nothing when A1111 would leave the text unchanged.
std::optional<AttentionEditResult> editAttention(const QString& text, int selectionStart, int selectionEnd,
                                                 bool increase, const AttentionEditOptions& options = {});

/// JavaScript parseFloat on a string: the longest leading decimal literal after whitespace;
/// nothing when there is none. Exposed for tests.
std::optional<double> parseLeadingFloat(QStringView text);

/// JavaScript String(parseFloat(x.toPrecision(12))) with ".0" added to integers, as A1111 writes
/// the new weight. Exposed for tests.
QString formatAttentionWeight(double weight);

} // namespace easel::ui
