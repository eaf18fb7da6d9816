// The LoRA panel over a synthetic library (engine/catalog/synthetic_library): the card model passes
// QAbstractItemModelTester and pages rows in on demand; search narrows the grid; the family filter
// hides, and otherwise greys with a reason, LoRAs of another family; a click adds a LoRA to the mix,
// whose rows drive the request entries (weight, split TE/UNet, enable without removing); and the
// grid keeps answering (events processed, rows appearing, pages served) while a scan writes the
// catalog. No wall-clock assertions.

#include <QtTest>
#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QListView>
#include <QPushButton>
#include <QScrollBar>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolButton>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "app/lora_mix.h"
#include "app/model_library_model.h"
#include "engine/catalog/database.h"
#include "engine/catalog/model_library.h"
#include "engine/catalog/scanner.h"
#include "engine/bench/synthetic_library.h"
#include "ui/lora_mix_widget.h"
#include "ui/lora_panel.h"

using namespace easel;

namespace {

constexpr size_t kLoRAs = 600;

int64_t countOf(const std::string& catalogPath, const std::string& family = {})
{
    catalog::Database db(catalogPath);
    catalog::ModelQuery q;
    q.kind = "lora";
    q.family = family;
    return catalog::ModelLibrary(db).count(q);
}

/// Holds a scan's readers at one file until released, so the test decides when the scan may end.
struct Gate {
    std::mutex mutex;
    std::condition_variable cv;
    bool open = false;
    void release()
    {
        {
            std::lock_guard lock(mutex);
            open = true;
        }
        cv.notify_all();
    }
    void wait()
    {
        std::unique_lock lock(mutex);
        cv.wait(lock, [this] { return open; });
    }
};

} // namespace

class TestLoRAPanel : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_catalog;
    catalog::synthetic::GeneratedLibrary m_library;

    bool waitRefreshed(app::ModelLibraryModel& model)
    {
        QSignalSpy refreshed(&model, &app::ModelLibraryModel::refreshed);
        return refreshed.wait(30000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        catalog::synthetic::LibraryLayout layout;
        layout.loras = kLoRAs;
        layout.checkpoints = 0;
        m_library = catalog::synthetic::writeLibrary(m_dir.filePath("lib").toStdString(), layout);
        m_catalog = m_dir.filePath("catalog.sqlite");
        catalog::Database db(m_catalog.toStdString());
        const auto result = catalog::Scanner(db).scan({{m_library.loraRoot, "lora"}});
        QCOMPARE(result.added, kLoRAs);
    }

    void modelPagesAndSearches()
    {
        app::ModelLibraryModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setCatalogPath(m_catalog);
        QVERIFY(waitRefreshed(model));
        QCOMPARE(model.rowCount(), static_cast<int>(kLoRAs));
        QCOMPARE(model.cachedRowCount(), app::ModelLibraryModel::kPageSize); // one page, not all rows
        const QModelIndex far = model.index(static_cast<int>(kLoRAs) - 1);
        QCOMPARE(far.data(app::ModelLibraryModel::LoadedRole).toBool(), false);
        QTRY_VERIFY_WITH_TIMEOUT(far.data(app::ModelLibraryModel::LoadedRole).toBool(), 20000);
        QVERIFY(!far.data(Qt::DisplayRole).toString().isEmpty());

        // Search by a LoRA's name (every word a prefix): fewer rows, that LoRA among them.
        const QString name = model.index(0).data(app::ModelLibraryModel::NameRole).toString();
        model.setSearchText(name);
        QVERIFY(waitRefreshed(model));
        QVERIFY(model.rowCount() > 0);
        QVERIFY(model.rowCount() < static_cast<int>(kLoRAs));
        bool found = false;
        for (int i = 0; i < std::min(model.rowCount(), app::ModelLibraryModel::kPageSize); ++i)
            found |= model.index(i).data(app::ModelLibraryModel::NameRole).toString() == name;
        QVERIFY(found);
        model.setSearchText({});
        QVERIFY(waitRefreshed(model));
        QCOMPARE(model.rowCount(), static_cast<int>(kLoRAs));
    }

    void familyGreysOrFilters()
    {
        const int sd1 = static_cast<int>(countOf(m_catalog.toStdString(), "SD1"));
        QVERIFY(sd1 > 0 && sd1 < static_cast<int>(kLoRAs)); // the library mixes SD1 and SDXL
        app::ModelLibraryModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setCatalogPath(m_catalog);
        QVERIFY(waitRefreshed(model));
        model.setCheckpointFamily(QStringLiteral("SD1"));
        int greyed = 0;
        for (int i = 0; i < app::ModelLibraryModel::kPageSize; ++i) {
            const QModelIndex index = model.index(i);
            const bool sdxl = index.data(app::ModelLibraryModel::FamilyRole).toString() == QLatin1String("SDXL");
            QCOMPARE(index.data(app::ModelLibraryModel::CompatibleRole).toBool(), !sdxl);
            QCOMPARE(bool(model.flags(index) & Qt::ItemIsEnabled), !sdxl);
            if (sdxl) {
                ++greyed;
                QVERIFY(index.data(Qt::ToolTipRole).toString().contains(QLatin1String("SDXL")));
            }
        }
        QVERIFY(greyed > 0);
        model.setFamilyFilter(true);
        QVERIFY(waitRefreshed(model));
        QCOMPARE(model.rowCount(), sd1);
    }

    void clickAddsToTheMix()
    {
        app::ModelLibraryModel model;
        app::LoRAMix mix;
        ui::LoRAPanel panel(&model, &mix);
        panel.resize(600, 800);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.setCheckpointFamily(QStringLiteral("SD1"));
        model.setCatalogPath(m_catalog);
        QVERIFY(waitRefreshed(model));

        // A greyed (SDXL) card does nothing; a compatible one joins the mix on click.
        int sdxlRow = -1, sd1Row = -1;
        for (int i = 0; i < app::ModelLibraryModel::kPageSize && (sdxlRow < 0 || sd1Row < 0); ++i)
            (model.index(i).data(app::ModelLibraryModel::CompatibleRole).toBool() ? sd1Row : sdxlRow) = i;
        QVERIFY(sdxlRow >= 0 && sd1Row >= 0);
        QVERIFY(!panel.activateRow(sdxlRow));
        QCOMPARE(mix.size(), 0);
        const QModelIndex card = model.index(sd1Row);
        panel.view()->scrollTo(card);
        QTest::mouseClick(panel.view()->viewport(), Qt::LeftButton, {}, panel.view()->visualRect(card).center());
        QCOMPARE(mix.size(), 1);
        const QString name = card.data(app::ModelLibraryModel::NameRole).toString();
        QCOMPARE(mix.entries()[0].name, name);
        QCOMPARE(mix.entries()[0].family, QStringLiteral("SD1"));
        // Clicking again does not add a second row.
        QTest::mouseClick(panel.view()->viewport(), Qt::LeftButton, {}, panel.view()->visualRect(card).center());
        QCOMPARE(mix.size(), 1);

        // The mix row drives the request entries.
        ui::LoRAMixWidget* rows = panel.mixWidget();
        QTRY_VERIFY(rows->weightBox(0) != nullptr);
        rows->weightBox(0)->setValue(0.65);
        auto entries = mix.requestEntries();
        QCOMPARE(entries.size(), size_t(1));
        QCOMPARE(entries[0].name, name.toStdString());
        QCOMPARE(entries[0].unetMultiplier, 0.65);
        QCOMPARE(entries[0].textEncoderMultiplier, 0.65);
        QCOMPARE(mix.asPromptTags(), QStringLiteral("<lora:%1:0.65>").arg(name));
        rows->splitBox()->setChecked(true);
        QTRY_VERIFY(rows->textEncoderBox(0)->isVisible()); // rows added to a shown layout appear on the next turn
        QVERIFY(!rows->weightBox(0)->isVisible());
        rows->textEncoderBox(0)->setValue(0.3);
        entries = mix.requestEntries();
        QCOMPARE(entries[0].textEncoderMultiplier, 0.3);
        QCOMPARE(entries[0].unetMultiplier, 0.65);
        QCOMPARE(mix.asPromptTags(), QStringLiteral("<lora:%1:te=0.3:unet=0.65>").arg(name));
        // Disabled: still in the mix, not applied.
        rows->enabledBox(0)->setChecked(false);
        entries = mix.requestEntries();
        QCOMPARE(entries.size(), size_t(1));
        QVERIFY(!entries[0].enabled);
        QCOMPARE(mix.asPromptTags(), QString());
        rows->enabledBox(0)->setChecked(true);

        // Trigger words of enabled LoRAs go to the prompt.
        mix.add({QStringLiteral("extra"), QStringLiteral("SD1"), QStringLiteral("shiny, glow"), 1.0, 1.0, true});
        QSignalSpy insert(&panel, &ui::LoRAPanel::insertTextRequested);
        rows->insertTriggerWordsButton()->click();
        QCOMPARE(insert.count(), 1);
        QVERIFY(insert.at(0).at(0).toString().endsWith(QLatin1String("shiny, glow")));
        rows->removeButton(1)->click();
        QCOMPARE(mix.size(), 1);
    }

    void gridStaysResponsiveWhileScanning()
    {
        // A fresh catalog filled by a scan on another thread, while the grid refreshes and scrolls.
        const QString catalogPath = m_dir.filePath("scanning.sqlite");
        { catalog::Database create(catalogPath.toStdString()); }
        app::ModelLibraryModel model;
        app::LoRAMix mix;
        ui::LoRAPanel panel(&model, &mix);
        panel.resize(600, 600);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        model.setCatalogPath(catalogPath);
        QVERIFY(waitRefreshed(model));
        QCOMPARE(model.rowCount(), 0);

        Gate gate;
        std::atomic<size_t> classified{0};
        constexpr size_t kHoldAt = kLoRAs / 2;
        const std::string root = m_library.loraRoot;
        QFuture<size_t> scan = QtConcurrent::run([&gate, &classified, catalogPath, root] {
            catalog::Database db(catalogPath.toStdString());
            catalog::ScanOptions options;
            options.threads = 1;
            options.batchSize = 50;
            options.classificationCache = false; // the gate below must see every file
            options.classifier = [&gate, &classified, inner = catalog::ioClassifier()](const io::SafetensorsFile& h) {
                if (++classified == kHoldAt)
                    gate.wait();
                return inner(h);
            };
            return catalog::Scanner(db, options).scan({{root, "lora"}}).added;
        });
        // Whatever happens below, the scan is let go and finished before the catalog goes away.
        struct Release {
            Gate& gate;
            QFuture<size_t>& scan;
            ~Release()
            {
                gate.release();
                scan.waitForFinished();
            }
        } release{gate, scan};

        // Refresh whenever the previous refresh is in (while `looping`), scroll a step per turn.
        int refreshes = 0, scrolls = 0;
        bool looping = true;
        connect(&model, &app::ModelLibraryModel::refreshed, &panel, [&] {
            ++refreshes;
            if (looping)
                QMetaObject::invokeMethod(&model, [&model] { model.refresh(); }, Qt::QueuedConnection);
        });
        QTimer scroller;
        connect(&scroller, &QTimer::timeout, &panel, [&] {
            QScrollBar* bar = panel.view()->verticalScrollBar();
            bar->setValue(bar->value() >= bar->maximum() ? 0 : bar->value() + bar->singleStep() * 3);
            ++scrolls;
        });
        scroller.start(0);
        model.refresh();

        // While the scan is held half way, rows appear, and the GUI thread keeps turning.
        QTRY_VERIFY_WITH_TIMEOUT(model.rowCount() >= 100, 60000);
        QVERIFY(model.rowCount() < static_cast<int>(kLoRAs));
        QVERIFY(!scan.isFinished());
        const int scrollsBefore = scrolls, refreshesBefore = refreshes;
        QTRY_VERIFY_WITH_TIMEOUT(scrolls > scrollsBefore + 20 && refreshes > refreshesBefore + 2, 60000);
        // Pages far down are served while the scan still writes (refreshes paused: a refresh drops
        // pages fetched for the count before it).
        looping = false;
        auto last = [&model] { return model.index(model.rowCount() - 1); };
        QTRY_VERIFY_WITH_TIMEOUT(last().data(app::ModelLibraryModel::LoadedRole).toBool(), 30000);
        QVERIFY(!last().data(Qt::DisplayRole).toString().isEmpty());
        QVERIFY(!scan.isFinished());

        // Let the scan finish; the grid keeps refreshing and ends with every LoRA.
        looping = true;
        gate.release();
        model.refresh();
        QTRY_VERIFY_WITH_TIMEOUT(scan.isFinished(), 120000);
        QCOMPARE(scan.result(), kLoRAs);
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), static_cast<int>(kLoRAs), 30000);
        scroller.stop();
        disconnect(&model, nullptr, &panel, nullptr);
    }
};

QTEST_MAIN(TestLoRAPanel)
#include "test_lora_panel.moc"
