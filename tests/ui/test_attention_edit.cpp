// Ctrl+Up/Down weight editing behaves as A1111 v1.10's edit-attention.js: each row is the text with
// the selection marked by {} (or | for a bare cursor), the key, and the expected text and selection.

#include <QtTest>

#include "ui/attention_edit.h"

using namespace easel::ui;

namespace {

struct Marked {
    QString text;
    int start = 0;
    int end = 0;
};

/// "a {cat}" -> ("a cat", 2, 5); "a c|at" -> ("a cat", 3, 3).
Marked unmark(QString marked)
{
    Marked m;
    if (const int bar = int(marked.indexOf(QLatin1Char('|'))); bar >= 0) {
        m.start = m.end = bar;
        marked.remove(bar, 1);
    } else {
        m.start = int(marked.indexOf(QLatin1Char('{')));
        marked.remove(m.start, 1);
        m.end = int(marked.indexOf(QLatin1Char('}')));
        marked.remove(m.end, 1);
    }
    m.text = marked;
    return m;
}

} // namespace

class TestAttentionEdit : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void edits_data()
    {
        QTest::addColumn<QString>("before");
        QTest::addColumn<bool>("increase");
        QTest::addColumn<QString>("after");

        QTest::newRow("wrap selection") << "a {cat}" << true << "a ({cat}:1.1)";
        QTest::newRow("wrap selection down") << "a {cat}" << false << "a ({cat}:0.9)";
        QTest::newRow("raise existing") << "a ({cat}:1.1)" << true << "a ({cat}:1.2)";
        QTest::newRow("back to 1 drops parens") << "a ({cat}:1.1) b" << false << "a {cat} b";
        QTest::newRow("integer keeps .0") << "({cat}:1.9)" << true << "({cat}:2.0)";
        QTest::newRow("zero keeps .0") << "({cat}:0.1)" << false << "({cat}:0.0)";
        QTest::newRow("word under cursor") << "a re|d cat" << true << "a ({red}:1.1) cat";
        QTest::newRow("word stops at comma") << "masterpiece, be|st quality" << true
                                             << "masterpiece, ({best}:1.1) quality";
        QTest::newRow("word on second line") << "cat\ndo|g" << true << "cat\n({dog}:1.1)";
        QTest::newRow("cursor in weighted block") << "a (red h|at:1.3) cat" << true << "a ({red hat}:1.4) cat";
        QTest::newRow("old style double parens") << "((c|at))" << true << "({cat}:1.3)";
        QTest::newRow("old style square to 1") << "[c|at]" << true << "{cat}";
        QTest::newRow("old style square down") << "[c|at]" << false << "({cat}:0.8)";
        QTest::newRow("lora weight step 0.05") << "<lora:de|tail:0.8>" << true << "<{lora:detail}:0.85>";
        QTest::newRow("lora weight may reach 1") << "<lora:de|tail:0.95>" << true << "<{lora:detail}:1.0>";
        QTest::newRow("trailing space left out") << "a {cat }dog" << true << "a ({cat}:1.1) dog";
        QTest::newRow("unicode text") << "一只{猫}" << true << "一只({猫}:1.1)";
    }

    void edits()
    {
        QFETCH(QString, before);
        QFETCH(bool, increase);
        QFETCH(QString, after);
        const Marked in = unmark(before);
        const Marked expected = unmark(after);
        const auto result = editAttention(in.text, in.start, in.end, increase);
        QVERIFY(result.has_value());
        QCOMPARE(result->text, expected.text);
        QCOMPARE(result->selectionStart, expected.start);
        QCOMPARE(result->selectionEnd, expected.end);
    }

    void leavesTextAloneWhenA1111Does()
    {
        QVERIFY(!editAttention(QStringLiteral("a   b"), 1, 4, true)); // only spaces selected
        QVERIFY(!editAttention(QString(), 0, 0, true));
        // "(cat:x)": the weight is not a number.
        QVERIFY(!editAttention(QStringLiteral("(cat:x)"), 1, 4, true));
    }

    void repeatedPressesAccumulateExactly()
    {
        QString text = QStringLiteral("cat");
        int start = 0, end = 3;
        for (int i = 0; i < 7; ++i) {
            const auto r = editAttention(text, start, end, true);
            QVERIFY(r);
            text = r->text;
            start = r->selectionStart;
            end = r->selectionEnd;
        }
        QCOMPARE(text, QStringLiteral("(cat:1.7)"));
        for (int i = 0; i < 7; ++i) {
            const auto r = editAttention(text, start, end, false);
            QVERIFY(r);
            text = r->text;
            start = r->selectionStart;
            end = r->selectionEnd;
        }
        QCOMPARE(text, QStringLiteral("cat"));
    }

    void parsesLikeJavaScript()
    {
        QCOMPARE(parseLeadingFloat(u" 1.5x"), std::optional<double>(1.5));
        QCOMPARE(parseLeadingFloat(u".5"), std::optional<double>(0.5));
        QCOMPARE(parseLeadingFloat(u"-2"), std::optional<double>(-2.0));
        QCOMPARE(parseLeadingFloat(u"1.2.3"), std::optional<double>(1.2));
        QCOMPARE(parseLeadingFloat(u"1e3)"), std::optional<double>(1000.0));
        QCOMPARE(parseLeadingFloat(u"1e"), std::optional<double>(1.0));
        QVERIFY(!parseLeadingFloat(u"abc"));
        QVERIFY(!parseLeadingFloat(u"."));
        QVERIFY(!parseLeadingFloat(u""));
    }

    void formatsLikeJavaScript()
    {
        QCOMPARE(formatAttentionWeight(1.2000000000000002), QStringLiteral("1.2"));
        QCOMPARE(formatAttentionWeight(0.8500000000000001), QStringLiteral("0.85"));
        QCOMPARE(formatAttentionWeight(2.0), QStringLiteral("2.0"));
        QCOMPARE(formatAttentionWeight(-0.1 + 0.1), QStringLiteral("0.0"));
        QCOMPARE(formatAttentionWeight(-0.30000000000000004), QStringLiteral("-0.3"));
    }
};

QTEST_GUILESS_MAIN(TestAttentionEdit)
#include "test_attention_edit.moc"
