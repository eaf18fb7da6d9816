// The main window has the studio's skeleton: menus, status bar and the three docks; a dropped image
// opens PNG Info, whose Apply fills the prompt boxes and the parameters panel.

#include <QtTest>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QPushButton>
#include <QStringListModel>
#include <QTableWidget>
#include <QMenuBar>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>

#include "app/engine_controller.h"
#include "app/model_list_model.h"
#include "app/settings.h"
#include "app/translations.h"
#include "engine/api/runtime.h"
#include "engine/image/image_file.h"
#include "ui/main_window.h"
#include "ui/parameters_panel.h"
#include "ui/png_info_dialog.h"
#include "ui/prompt_edit.h"

using namespace easel;

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // never touch the user's settings
        // Nor the user's catalog: the window scans model folders into <EASEL_DATA_DIR>/catalog.sqlite.
        QVERIFY(m_data.isValid());
        qputenv("EASEL_DATA_DIR", m_data.path().toUtf8());
        QSettings(QSettings::IniFormat, QSettings::UserScope, "Easel", "easel").clear();
        api::configureRuntime({});
    }
    void cleanupTestCase()
    {
        app::Translations::apply("en");
        QSettings(QSettings::IniFormat, QSettings::UserScope, "Easel", "easel").clear();
    }

    void hasDocksMenusAndStatus()
    {
        app::EngineController engine;
        app::Settings settings;
        ui::MainWindow window(engine, settings);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.promptDock()->isVisible());
        QVERIFY(window.parametersDock()->isVisible());
        QVERIFY(window.galleryDock()->isVisible());
        QVERIFY(window.menuBar()->actions().size() >= 3);
        QVERIFY(window.statusBar()->currentMessage().size() > 0);
        QVERIFY(window.findChild<QPlainTextEdit*>("PromptEdit"));
    }

    void promptKeysReachTheWindow()
    {
        app::EngineController engine;
        app::Settings settings;
        ui::MainWindow window(engine, settings);
        QSignalSpy generate(&window, &ui::MainWindow::generateRequested);
        QSignalSpy cancel(&window, &ui::MainWindow::cancelRequested);
        window.promptEdit()->setPlainText("a cat");
        QTest::keyClick(window.promptEdit(), Qt::Key_Return, Qt::ControlModifier);
        QTest::keyClick(window.negativePromptEdit(), Qt::Key_Escape);
        QCOMPARE(generate.count(), 1);
        QCOMPARE(cancel.count(), 1);
        QCOMPARE(window.currentRequest().prompt, std::string("a cat"));
    }

    void dropOfPngShowsPngInfoAndApplies()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("from_a1111.png");
        api::Image image;
        image.width = image.height = 8;
        image.pixels.assign(8 * 8 * 3, 200);
        image::writeImageFile(image, path.toStdString(),
                              "a castle, (sunset:1.2) <lora:ghibli_style:0.8>\nNegative prompt: blurry\n"
                              "Steps: 27, Sampler: Euler, Schedule type: Karras, CFG scale: 4.5, Seed: 42, "
                              "Size: 768x512, Model: dreamshaper_8, Clip skip: 2, Tiling: True, "
                              "Lora hashes: \"ghibli_style: 0123456789ab\"");
        app::EngineController engine;
        app::Settings settings;
        ui::MainWindow window(engine, settings);
        window.checkpointModel()->setEntries({{"v1-5-pruned-emaonly", "/m/v15.safetensors", "SD1", {}, false}});
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        // Drop: PNG Info opens (non-modal) and shows the parsed parameters; nothing is applied yet.
        QSignalSpy applied(&window, &ui::MainWindow::parametersApplied);
        window.promptEdit()->setPlainText("untouched");
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(path)});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &drop);
        QTRY_VERIFY(window.pngInfoDialog() && window.pngInfoDialog()->isVisible());
        ui::PngInfoDialog* info = window.pngInfoDialog();
        QVERIFY(!info->isModal());
        QVERIFY(!QApplication::activeModalWidget());
        QCOMPARE(info->path(), path);
        QCOMPARE(info->promptView()->toPlainText(), QStringLiteral("a castle, (sunset:1.2) <lora:ghibli_style:0.8>"));
        QCOMPARE(info->negativePromptView()->toPlainText(), QStringLiteral("blurry"));
        QMap<QString, QString> fields;
        for (int row = 0; row < info->fieldsTable()->rowCount(); ++row)
            fields[info->fieldsTable()->item(row, 0)->text()] = info->fieldsTable()->item(row, 1)->text();
        QCOMPARE(fields.value("Steps"), QStringLiteral("27"));
        QCOMPARE(fields.value("Sampler"), QStringLiteral("Euler"));
        QCOMPARE(fields.value("Seed"), QStringLiteral("42"));
        QCOMPARE(fields.value("Size"), QStringLiteral("768x512"));
        QCOMPARE(fields.value("Model"), QStringLiteral("dreamshaper_8"));
        QCOMPARE(window.promptEdit()->toPlainText(), QStringLiteral("untouched"));
        QCOMPARE(applied.count(), 0);

        // Apply sets the prompt boxes and the panel.
        QVERIFY(info->applyButton()->isEnabled());
        info->applyButton()->click();
        QCOMPARE(applied.count(), 1);
        QCOMPARE(window.promptEdit()->toPlainText(), QStringLiteral("a castle, (sunset:1.2) <lora:ghibli_style:0.8>"));
        QCOMPARE(window.negativePromptEdit()->toPlainText(), QStringLiteral("blurry"));
        auto* panel = window.parametersPanel();
        QCOMPARE(panel->findChild<QSpinBox*>("Steps")->value(), 27);
        QCOMPARE(panel->findChild<QComboBox*>("SamplerPicker")->currentText(), QStringLiteral("Euler"));
        QCOMPARE(panel->findChild<QComboBox*>("SchedulePicker")->currentText(), QStringLiteral("Karras"));
        QCOMPARE(panel->findChild<QSpinBox*>("Width")->value(), 768);
        QCOMPARE(panel->findChild<QSpinBox*>("Height")->value(), 512);
        QCOMPARE(panel->findChild<QSpinBox*>("ClipSkip")->value(), 2);
        QVERIFY(panel->findChild<QCheckBox*>("Tiling")->isChecked());
        QVERIFY(window.currentRequest().tiling);
        QCOMPARE(window.currentRequest().seed, 42);
        QCOMPARE(window.currentRequest().cfgScale, 4.5);
        // Neither the checkpoint nor the LoRA is installed: both named in a notice, not a modal box.
        QCOMPARE(applied.first().at(0).toString(), path);
        QCOMPARE(applied.first().at(1).toStringList(), (QStringList{"dreamshaper_8", "ghibli_style"}));
        QVERIFY(window.noticeText().contains("dreamshaper_8"));
        QVERIFY(window.noticeText().contains("ghibli_style"));
        QVERIFY(!QApplication::activeModalWidget());

        // With the LoRA installed, only the checkpoint is missing.
        window.loraNames()->setStringList({"Ghibli_Style"});
        info->applyButton()->click();
        QCOMPARE(applied.last().at(1).toStringList(), QStringList{"dreamshaper_8"});
        QVERIFY(!window.noticeText().contains("ghibli_style"));
    }

    void pngInfoOfAnImageWithoutParametersSaysSo()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("plain.png");
        QImage plain(4, 4, QImage::Format_RGB32);
        plain.fill(Qt::red);
        QVERIFY(plain.save(path));
        app::EngineController engine;
        app::Settings settings;
        ui::MainWindow window(engine, settings);
        window.showPngInfo(path);
        QTRY_VERIFY(window.pngInfoDialog() && window.pngInfoDialog()->isVisible());
        QVERIFY(!window.pngInfoDialog()->applyButton()->isEnabled());
        QCOMPARE(window.pngInfoDialog()->fieldsTable()->rowCount(), 0);
        QVERIFY(window.pngInfoDialog()->findChild<QLabel*>("PngInfoFile")->text().contains("no generation parameters"));
    }

    void rememberedBetweenSessions()
    {
        {
            app::EngineController engine;
            app::Settings settings;
            ui::MainWindow window(engine, settings);
            window.promptEdit()->setPlainText("remembered prompt");
            window.parametersPanel()->findChild<QSpinBox*>("Steps")->setValue(44);
            window.show();
            QVERIFY(window.close());
        }
        app::EngineController engine;
        app::Settings settings;
        ui::MainWindow window(engine, settings);
        QCOMPARE(window.promptEdit()->toPlainText(), QStringLiteral("remembered prompt"));
        QCOMPARE(window.currentRequest().steps, 44);
    }

    void switchesLanguageAtRunTime()
    {
        app::EngineController engine;
        app::Settings settings;
        ui::MainWindow window(engine, settings);
        QVERIFY(app::Translations::apply("zh_CN"));
        QTRY_COMPARE(window.promptDock()->windowTitle(), QStringLiteral("提示词"));
        QCOMPARE(window.parametersDock()->windowTitle(), QStringLiteral("参数"));
        QCOMPARE(window.menuBar()->actions().first()->text(), QStringLiteral("文件(&F)"));
        QVERIFY(app::Translations::apply("en"));
        QTRY_COMPARE(window.promptDock()->windowTitle(), QStringLiteral("Prompt"));
        QCOMPARE(window.menuBar()->actions().first()->text(), QStringLiteral("&File"));
    }

    void closesCleanly()
    {
        app::EngineController engine;
        app::Settings settings;
        auto* window = new ui::MainWindow(engine, settings);
        window->setAttribute(Qt::WA_DeleteOnClose);
        window->show();
        QVERIFY(window->close());
    }

private:
    QTemporaryDir m_data;
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
