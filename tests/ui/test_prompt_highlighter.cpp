// The prompt highlighter marks A1111 syntax: each check looks up the format the highlighter gave one
// character of the document.

#include <QtTest>
#include <QAbstractTextDocumentLayout>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextLayout>

#include "ui/prompt_highlighter.h"

using easel::ui::PromptHighlighter;
using Role = PromptHighlighter::Role;

namespace {

/// The highlight format at document position `pos` (a default format when none).
QTextCharFormat formatAt(QTextDocument& doc, int pos)
{
    const QTextBlock block = doc.findBlock(pos);
    for (const QTextLayout::FormatRange& range : block.layout()->formats()) {
        const int at = pos - block.position();
        if (at >= range.start && at < range.start + range.length)
            return range.format;
    }
    return {};
}

} // namespace

class TestPromptHighlighter : public QObject {
    Q_OBJECT
private:
    bool has(QTextDocument& doc, const PromptHighlighter& h, const QString& text, const QString& needle, Role role,
             int offset = 0)
    {
        const int pos = int(text.indexOf(needle)) + offset;
        // The layout may add properties of its own: compare what the role sets.
        const QTextCharFormat got = formatAt(doc, pos);
        const QTextCharFormat& want = h.format(role);
        return pos >= offset && got.foreground() == want.foreground() && got.background() == want.background()
               && got.underlineStyle() == want.underlineStyle() && got.fontWeight() == want.fontWeight();
    }

private Q_SLOTS:
    void emphasisAndWeights()
    {
        QTextDocument doc;
        doc.documentLayout(); // a document reports edits to its highlighter once it has a layout
        PromptHighlighter h(&doc);
        const QString text = QStringLiteral("a (red:1.3) [cat] dog");
        doc.setPlainText(text);
        h.rehighlight();
        QVERIFY(has(doc, h, text, "(", Role::EmphasisBracket));
        QVERIFY(has(doc, h, text, ":1.3", Role::Weight));
        QVERIFY(has(doc, h, text, ":1.3", Role::Weight, 3));
        QVERIFY(has(doc, h, text, ")", Role::EmphasisBracket));
        QVERIFY(has(doc, h, text, "[", Role::EmphasisBracket));
        QVERIFY(!formatAt(doc, int(text.indexOf("red"))).hasProperty(QTextFormat::ForegroundBrush));
        QVERIFY(!formatAt(doc, int(text.indexOf("dog"))).hasProperty(QTextFormat::ForegroundBrush));
    }

    void schedulesAndAlternation()
    {
        QTextDocument doc;
        doc.documentLayout(); // a document reports edits to its highlighter once it has a layout
        PromptHighlighter h(&doc);
        const QString text = QStringLiteral("[cat:dog:0.5] [red|blue] [(a:1.2)::3]");
        doc.setPlainText(text);
        h.rehighlight();
        QVERIFY(has(doc, h, text, "[cat", Role::ScheduleSyntax));
        QVERIFY(has(doc, h, text, ":dog", Role::ScheduleSyntax));
        QVERIFY(has(doc, h, text, "0.5", Role::Weight));
        QVERIFY(has(doc, h, text, "0.5]", Role::ScheduleSyntax, 3));
        QVERIFY(has(doc, h, text, "|", Role::ScheduleSyntax));
        QVERIFY(has(doc, h, text, "[red", Role::ScheduleSyntax));
        // Emphasis nested in a schedule keeps its own colours; the inner ':1.2' is a weight.
        QVERIFY(has(doc, h, text, "(a", Role::EmphasisBracket));
        QVERIFY(has(doc, h, text, ":1.2", Role::Weight));
        QVERIFY(has(doc, h, text, "::3", Role::ScheduleSyntax));
    }

    void keywordsAreWholeWords()
    {
        QTextDocument doc;
        doc.documentLayout(); // a document reports edits to its highlighter once it has a layout
        PromptHighlighter h(&doc);
        const QString text = QStringLiteral("cat BREAK dog AND bird, BREAKFAST, ANDROID");
        doc.setPlainText(text);
        h.rehighlight();
        QVERIFY(has(doc, h, text, "BREAK ", Role::Keyword));
        QVERIFY(has(doc, h, text, "AND ", Role::Keyword));
        QVERIFY(!has(doc, h, text, "BREAKFAST", Role::Keyword));
        QVERIFY(!has(doc, h, text, "ANDROID", Role::Keyword));
    }

    void tagsAndUnknownNames()
    {
        QTextDocument doc;
        doc.documentLayout(); // a document reports edits to its highlighter once it has a layout
        PromptHighlighter h(&doc);
        h.setNameValidator([](const QString& kind, const QString& name) {
            return kind != QLatin1String("lora") || name == QLatin1String("add_detail");
        });
        const QString text = QStringLiteral("<lora:add_detail:0.5> <lora:missing:1> <hypernet:x:1>");
        doc.setPlainText(text);
        h.rehighlight();
        QVERIFY(has(doc, h, text, "<lora:add", Role::NetworkTag));
        QVERIFY(has(doc, h, text, "add_detail", Role::NetworkTag));
        QVERIFY(has(doc, h, text, "missing", Role::UnknownName));
        QVERIFY(has(doc, h, text, "missing", Role::UnknownName, 6));
        QCOMPARE(formatAt(doc, int(text.indexOf("missing"))).underlineStyle(), QTextCharFormat::WaveUnderline);
        QVERIFY(has(doc, h, text, "<hypernet", Role::NetworkTag));
        QVERIFY(has(doc, h, text, ":x", Role::NetworkTag, 1));
    }

    void escapesAndUnmatched()
    {
        QTextDocument doc;
        doc.documentLayout(); // a document reports edits to its highlighter once it has a layout
        PromptHighlighter h(&doc);
        const QString text = QStringLiteral("\\(literal\\) cat) ]");
        doc.setPlainText(text);
        h.rehighlight();
        QVERIFY(has(doc, h, text, "\\(", Role::Escape));
        QVERIFY(has(doc, h, text, "\\)", Role::Escape, 1));
        QVERIFY(has(doc, h, text, "cat)", Role::Unmatched, 3));
        QVERIFY(has(doc, h, text, "]", Role::Unmatched));
    }

    void bracketsSpanLines()
    {
        QTextDocument doc;
        doc.documentLayout(); // a document reports edits to its highlighter once it has a layout
        PromptHighlighter h(&doc);
        const QString text = QStringLiteral("(red\nhat:1.2)");
        doc.setPlainText(text);
        h.rehighlight();
        QVERIFY(has(doc, h, text, ":1.2", Role::Weight));
        QVERIFY(has(doc, h, text, ")", Role::EmphasisBracket));
        // Closing the bracket on line 1 makes the ')' on line 2 unmatched: the next block re-highlights.
        QTextCursor cursor(&doc);
        cursor.setPosition(4);
        cursor.insertText(QStringLiteral(")"));
        const QString edited = doc.toPlainText();
        QVERIFY(has(doc, h, edited, "2)", Role::Unmatched, 1));
    }
};

QTEST_MAIN(TestPromptHighlighter)
#include "test_prompt_highlighter.moc"
