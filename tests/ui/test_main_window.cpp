// The main window has the studio's skeleton: menus, status bar and the three docks.

#include <QtTest>
#include <QDockWidget>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QStatusBar>

#include "app/engine_controller.h"
#include "app/settings.h"
#include "engine/api/runtime.h"
#include "ui/main_window.h"

using namespace easel;

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { api::configureRuntime({}); }

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

    void closesCleanly()
    {
        app::EngineController engine;
        app::Settings settings;
        auto* window = new ui::MainWindow(engine, settings);
        window->setAttribute(Qt::WA_DeleteOnClose);
        window->show();
        QVERIFY(window->close());
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
