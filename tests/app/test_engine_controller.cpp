// Jobs run on the engine thread, results and failures come back as signals on the GUI thread.

#include <QtTest>

#include <stdexcept>

#include "app/engine_controller.h"
#include "engine/api/error.h"
#include "engine/api/runtime.h"

using namespace easel;

class TestEngineController : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { api::configureRuntime({}); }

    void jobRunsOffTheGuiThread()
    {
        app::EngineController engine;
        QThread* guiThread = QThread::currentThread();
        QThread* ranOn = nullptr;
        QSignalSpy finished(&engine, &app::EngineController::jobFinished);
        const int id = engine.submit("probe", [&] {
            ranOn = QThread::currentThread();
            return QStringLiteral("ok");
        });
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.at(0).at(0).toInt(), id);
        QCOMPARE(finished.at(0).at(1).toString(), QStringLiteral("ok"));
        QVERIFY(ranOn && ranOn != guiThread);
    }

    void exceptionsBecomeFailures()
    {
        app::EngineController engine;
        QSignalSpy failed(&engine, &app::EngineController::jobFailed);
        engine.submit("bad", []() -> QString {
            throw api::Error(api::ErrorCode::CorruptFile, "truncated", "/m/x.safetensors");
        });
        QVERIFY(failed.wait(5000));
        QCOMPARE(failed.at(0).at(1).toString(), QStringLiteral("/m/x.safetensors: truncated"));
        // The thread survives and takes the next job.
        QSignalSpy finished(&engine, &app::EngineController::jobFinished);
        engine.submit("next", [] { return QStringLiteral("fine"); });
        QVERIFY(finished.wait(5000));
    }

    void systemInfoJob()
    {
        app::EngineController engine;
        QSignalSpy finished(&engine, &app::EngineController::jobFinished);
        engine.querySystemInfo();
        QVERIFY(finished.wait(10000));
        QVERIFY(finished.at(0).at(1).toString().contains("intra-op threads"));
    }
};

QTEST_GUILESS_MAIN(TestEngineController)
#include "test_engine_controller.moc"
