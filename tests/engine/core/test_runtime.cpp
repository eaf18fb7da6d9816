// The runtime picks threads and device as documented, and system info reports what is really loaded.

#include <QtTest>

#include <thread>

#include "engine/api/error.h"
#include "engine/api/runtime.h"
#include "engine/api/system_info.h"

using namespace easel::api;

class TestRuntime : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaultThreadsEqualCores()
    {
        qunsetenv("EASEL_THREADS");
        configureRuntime({});
        const SystemInfo info = querySystemInfo();
        QCOMPARE(info.intraOpThreads, static_cast<int>(std::thread::hardware_concurrency()));
        QCOMPARE(info.hardwareThreads, info.intraOpThreads);
    }

    void explicitThreadsWin()
    {
        configureRuntime({1, DevicePreference::Cpu});
        QCOMPARE(querySystemInfo().intraOpThreads, 1);
        configureRuntime({});
    }

    void reportsOpenBlas()
    {
        // Debian's reference BLAS is ~30x slower: the install must have switched to OpenBLAS.
        const SystemInfo info = querySystemInfo();
        QVERIFY2(info.blasLibrary.find("openblas") != std::string::npos, info.blasLibrary.c_str());
        QVERIFY(!info.torchVersion.empty());
        QCOMPARE(info.devices.front().kind, std::string("cpu"));
    }

    void cpuBuildRefusesCudaWithAClearError()
    {
        if (querySystemInfo().cudaBuild)
            QSKIP("CUDA build: covered on GPU machines");
        try {
            configureRuntime({0, DevicePreference::Cuda});
            QFAIL("expected an error");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::InvalidRequest);
            QVERIFY(std::string(e.what()).find("--device cpu") != std::string::npos);
        }
        QCOMPARE(activeDevice(), std::string("cpu"));
    }

    void parsesDeviceNames()
    {
        QCOMPARE(*parseDevicePreference("cpu"), DevicePreference::Cpu);
        QCOMPARE(*parseDevicePreference("cuda"), DevicePreference::Cuda);
        QCOMPARE(*parseDevicePreference("auto"), DevicePreference::Auto);
        QVERIFY(!parseDevicePreference("tpu"));
    }

    void formatsForHumansAndMachines()
    {
        const SystemInfo info = querySystemInfo();
        const std::string text = formatSystemInfo(info);
        QVERIFY(text.find("intra-op threads: ") != std::string::npos);
        QVERIFY(text.find("oneDNN") != std::string::npos);
        QVERIFY(systemInfoJson(info).find("\"blas_library\"") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestRuntime)
#include "test_runtime.moc"
