// A1111 prompt editing / alternation schedules against tests/data/golden/text/prompt_schedules.json.

#include <QtTest>

#include "engine/text/prompt_schedule.h"
#include "tests/engine/text/test_prompt_golden_util.h"

using namespace easel::text;

class TestPromptSchedules : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void editingByStepAndFraction()
    {
        const PromptSchedule s = parsePromptSchedule("a [cat:dog:0.25] in [rain:5]", 20);
        QCOMPARE(s.entries, (std::vector<std::pair<int, std::string>>{{5, "a cat in "}, {20, "a dog in rain"}}));
        QCOMPARE(promptAtStep(s, 1), std::string("a cat in "));
        QCOMPARE(promptAtStep(s, 6), std::string("a dog in rain"));
    }

    void alternationChangesEveryStep()
    {
        const PromptSchedule s = parsePromptSchedule("[cat|dog] photo", 3);
        QCOMPARE(promptAtStep(s, 1), std::string("cat photo"));
        QCOMPARE(promptAtStep(s, 2), std::string("dog photo"));
        QCOMPARE(promptAtStep(s, 3), std::string("cat photo"));
    }

    void rejectedGrammarKeepsPrompt()
    {
        const PromptSchedule s = parsePromptSchedule("a | b [c:d:5]", 10);
        QCOMPARE(s.entries, (std::vector<std::pair<int, std::string>>{{10, "a | b [c:d:5]"}}));
    }

    void golden_data()
    {
        QTest::addColumn<int>("index");
        const auto& cases = easel::test::textGoldenCases("prompt_schedules.json");
        QVERIFY(!cases.empty());
        for (std::size_t i = 0; i < cases.size(); ++i)
            QTest::addRow("%zu: %s", i, cases[i].at("prompt").get<std::string>().c_str()) << static_cast<int>(i);
    }

    void golden()
    {
        QFETCH(int, index);
        const auto& c = easel::test::textGoldenCases("prompt_schedules.json").at(static_cast<std::size_t>(index));
        std::optional<int> hires;
        if (!c.at("hires_steps").is_null())
            hires = c.at("hires_steps").get<int>();
        const PromptSchedule got = parsePromptSchedule(c.at("prompt").get<std::string>(), c.at("steps").get<int>(),
                                                       hires, c.at("use_old_scheduling").get<bool>());
        const auto& want = c.at("schedule");
        QStringList gotText, wantText;
        for (const auto& [end, text] : got.entries)
            gotText << QStringLiteral("%1:%2").arg(end).arg(QString::fromStdString(text));
        for (const auto& e : want)
            wantText << QStringLiteral("%1:%2").arg(e.at(0).get<int>()).arg(QString::fromStdString(e.at(1).get<std::string>()));
        QCOMPARE(gotText.join(" | "), wantText.join(" | "));
    }
};

QTEST_GUILESS_MAIN(TestPromptSchedules)
#include "test_prompt_schedules.moc"
