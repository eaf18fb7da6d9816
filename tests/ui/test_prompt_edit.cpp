// The prompt box as a user drives it: keys for weights, generate and cancel, the token counter,
// LoRA name completion, unknown-LoRA underline and bracket matching.

#include <QtTest>
#include <QAbstractItemView>
#include <QCompleter>
#include <QLabel>
#include <QStringListModel>
#include <QTextBlock>
#include <QTextLayout>

#include "ui/prompt_edit.h"
#include "ui/prompt_highlighter.h"

using easel::ui::PromptEdit;
using easel::ui::PromptHighlighter;

class TestPromptEdit : public QObject {
    Q_OBJECT
private:
    static void select(PromptEdit& edit, int start, int end)
    {
        QTextCursor cursor = edit.textCursor();
        cursor.setPosition(start);
        cursor.setPosition(end, QTextCursor::KeepAnchor);
        edit.setTextCursor(cursor);
    }

private Q_SLOTS:
    void ctrlUpDownChangesWeightAndUndoes()
    {
        PromptEdit edit;
        edit.setPlainText(QStringLiteral("a cat, blue sky"));
        select(edit, 2, 5);
        QTest::keyClick(&edit, Qt::Key_Up, Qt::ControlModifier);
        QCOMPARE(edit.toPlainText(), QStringLiteral("a (cat:1.1), blue sky"));
        QCOMPARE(edit.textCursor().selectedText(), QStringLiteral("cat"));
        QTest::keyClick(&edit, Qt::Key_Up, Qt::ControlModifier);
        QCOMPARE(edit.toPlainText(), QStringLiteral("a (cat:1.2), blue sky"));
        QTest::keyClick(&edit, Qt::Key_Down, Qt::ControlModifier);
        QTest::keyClick(&edit, Qt::Key_Down, Qt::ControlModifier);
        QCOMPARE(edit.toPlainText(), QStringLiteral("a cat, blue sky"));
        QTest::keyClick(&edit, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(edit.toPlainText(), QStringLiteral("a (cat:1.1), blue sky"));

        // No selection: the word under the cursor.
        edit.setPlainText(QStringLiteral("blue sky"));
        select(edit, 6, 6);
        QTest::keyClick(&edit, Qt::Key_Down, Qt::ControlModifier);
        QCOMPARE(edit.toPlainText(), QStringLiteral("blue (sky:0.9)"));
    }

    void ctrlEnterGeneratesEscCancels()
    {
        PromptEdit edit;
        QSignalSpy generate(&edit, &PromptEdit::generateRequested);
        QSignalSpy cancel(&edit, &PromptEdit::cancelRequested);
        edit.setPlainText(QStringLiteral("cat"));
        QTest::keyClick(&edit, Qt::Key_Return, Qt::ControlModifier);
        QTest::keyClick(&edit, Qt::Key_Enter, Qt::ControlModifier | Qt::KeypadModifier);
        QCOMPARE(generate.count(), 2);
        QCOMPARE(edit.toPlainText(), QStringLiteral("cat")); // no newline typed
        QTest::keyClick(&edit, Qt::Key_Escape);
        QCOMPARE(cancel.count(), 1);
        // Plain Enter still types a new line.
        edit.moveCursor(QTextCursor::End);
        QTest::keyClick(&edit, Qt::Key_Return);
        QCOMPARE(edit.toPlainText(), QStringLiteral("cat\n"));
    }

    void countsTokensPerChunk()
    {
        PromptEdit edit;
        QSignalSpy counted(&edit, &PromptEdit::tokenCountChanged);
        edit.setPlainText(QStringLiteral("a photo of a cat"));
        QTRY_COMPARE(edit.tokenCountText(), QStringLiteral("5/75"));
        QCOMPARE(edit.tokenCounterLabel()->text(), QStringLiteral("5/75"));
        QVERIFY(counted.count() >= 1);

        QStringList words;
        for (int i = 0; i < 80; ++i)
            words << QStringLiteral("cat");
        edit.setPlainText(words.join(QLatin1Char(' ')));
        QTRY_COMPARE(edit.tokenCountText(), QStringLiteral("80/150"));

        // BREAK pads the first chunk to 75 tokens.
        edit.setPlainText(QStringLiteral("cat BREAK dog"));
        QTRY_COMPARE(edit.tokenCountText(), QStringLiteral("76/150"));
        // Extra-network tags do not count.
        edit.setPlainText(QStringLiteral("cat <lora:add_detail:0.5>"));
        QTRY_COMPARE(edit.tokenCountText(), QStringLiteral("1/75"));
    }

    void completesLoraNames()
    {
        QStringListModel loras(QStringList{"add_detail", "detail_tweaker", "epi_noiseoffset"});
        PromptEdit edit;
        edit.setLoraCompletionModel(&loras);
        edit.show();
        QVERIFY(QTest::qWaitForWindowExposed(&edit));
        edit.setFocus();
        QTest::keyClicks(&edit, QStringLiteral("cat, <lora:de"));
        QTRY_VERIFY(edit.completer()->popup()->isVisible());
        QCOMPARE(edit.completer()->completionCount(), 1);
        QCOMPARE(edit.completer()->currentCompletion(), QStringLiteral("detail_tweaker"));
        QTest::keyClick(edit.completer()->popup(), Qt::Key_Return);
        QCOMPARE(edit.toPlainText(), QStringLiteral("cat, <lora:detail_tweaker:1>"));
        QVERIFY(!edit.completer()->popup()->isVisible());
    }

    void completesEmbeddingNames()
    {
        QStringListModel embeddings(QStringList{"EasyNegative", "bad_prompt_version2"});
        PromptEdit edit;
        edit.setEmbeddingCompletionModel(&embeddings);
        edit.show();
        QVERIFY(QTest::qWaitForWindowExposed(&edit));
        edit.setFocus();
        QTest::keyClicks(&edit, QStringLiteral("ugly, eas"));
        QTRY_VERIFY(edit.completer()->popup()->isVisible());
        QTest::keyClick(edit.completer()->popup(), Qt::Key_Return);
        QCOMPARE(edit.toPlainText(), QStringLiteral("ugly, EasyNegative"));
        // Escape closes the popup without cancelling the generation.
        QSignalSpy cancel(&edit, &PromptEdit::cancelRequested);
        QTest::keyClicks(&edit, QStringLiteral(", bad"));
        QTRY_VERIFY(edit.completer()->popup()->isVisible());
        QTest::keyClick(edit.completer()->popup(), Qt::Key_Escape);
        QVERIFY(!edit.completer()->popup()->isVisible());
        QCOMPARE(cancel.count(), 0);
    }

    void underlinesUnknownLoras()
    {
        PromptEdit edit;
        edit.setKnownLoraNames({QStringLiteral("Add_Detail")});
        edit.setPlainText(QStringLiteral("<lora:add_detail:1> <lora:missing:1>"));
        const QTextBlock block = edit.document()->firstBlock();
        auto styleAt = [&](int pos) {
            for (const auto& range : block.layout()->formats())
                if (pos >= range.start && pos < range.start + range.length)
                    return range.format.underlineStyle();
            return QTextCharFormat::NoUnderline;
        };
        QCOMPARE(styleAt(int(edit.toPlainText().indexOf("missing"))), QTextCharFormat::WaveUnderline);
        QCOMPARE(styleAt(int(edit.toPlainText().indexOf("add_detail"))), QTextCharFormat::NoUnderline);
    }

    void highlightsMatchingBracket()
    {
        PromptEdit edit;
        edit.setPlainText(QStringLiteral("a ((red):1.2) \\(x"));
        select(edit, 2, 2); // before the outer '('
        QList<QTextEdit::ExtraSelection> marks = edit.extraSelections();
        QCOMPARE(marks.size(), 2);
        QCOMPARE(marks[0].cursor.selectionStart(), 2);
        QCOMPARE(marks[1].cursor.selectionStart(), 12);
        select(edit, 8, 8); // after the inner ')'
        marks = edit.extraSelections();
        QCOMPARE(marks.size(), 2);
        QCOMPARE(marks[1].cursor.selectionStart(), 3);
        // An escaped bracket is text, not syntax.
        select(edit, 16, 16);
        QCOMPARE(edit.extraSelections().size(), 0);
        // An unmatched one is marked alone.
        edit.setPlainText(QStringLiteral("(cat"));
        select(edit, 0, 0);
        QCOMPARE(edit.extraSelections().size(), 1);
    }
};

QTEST_MAIN(TestPromptEdit)
#include "test_prompt_edit.moc"
