// A1111 composable diffusion ("AND") against tests/data/golden/text/multicond_and.json.

#include <QtTest>

#include "engine/text/prompt_multicond.h"
#include "tests/engine/text/test_prompt_golden_util.h"

using namespace easel::text;

class TestMulticond : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void example()
    {
        const auto parts = splitMulticond("a cat :1.2 AND a dog:0.8 AND grass");
        QCOMPARE(parts, (std::vector<WeightedPrompt>{{"a cat", 1.2}, {" a dog", 0.8}, {" grass", 1.0}}));
        QCOMPARE(splitMulticond("ANDROID robot").size(), std::size_t(1));  // only the word AND
    }

    void golden_data()
    {
        QTest::addColumn<int>("index");
        const auto& cases = easel::test::textGoldenCases("multicond_and.json");
        QVERIFY(!cases.empty());
        for (std::size_t i = 0; i < cases.size(); ++i)
            QTest::addRow("%zu: %s", i, cases[i].at("prompt").get<std::string>().c_str()) << static_cast<int>(i);
    }

    void golden()
    {
        QFETCH(int, index);
        const auto& c = easel::test::textGoldenCases("multicond_and.json").at(static_cast<std::size_t>(index));
        const auto got = splitMulticond(c.at("prompt").get<std::string>());
        const auto& want = c.at("subprompts");
        QCOMPARE(got.size(), want.size());
        for (std::size_t i = 0; i < got.size(); ++i) {
            QCOMPARE(QString::fromStdString(got[i].text), QString::fromStdString(want.at(i).at(0).get<std::string>()));
            QVERIFY(easel::test::weightsClose(got[i].weight, want.at(i).at(1).get<double>()));
        }
    }
};

QTEST_GUILESS_MAIN(TestMulticond)
#include "test_multicond.moc"
