// easel: the studio. Options: --verbose, --device auto|cpu|cuda, --threads N,
// --screenshot FILE (render the main window offscreen after start-up, save it, quit),
// --quit-after MS (tests: close the window after a delay).

#include <QApplication>
#include <QCommandLineParser>
#include <QLibraryInfo>
#include <QTimer>

#include "app/engine_controller.h"
#include "app/settings.h"
#include "app/translations.h"
#include "engine/api/error.h"
#include "engine/api/logging.h"
#include "engine/api/runtime.h"
#include "engine/api/version.h"
#include "ui/main_window.h"

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Easel"));
    QApplication::setOrganizationName(QStringLiteral("Easel"));
    QApplication::setApplicationVersion(QString::fromLatin1(easel::api::easelVersion()));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Easel — a native studio for Stable Diffusion"));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption verbose(QStringList{"verbose"}, QStringLiteral("Debug logging on the console."));
    QCommandLineOption device(QStringList{"device"}, QStringLiteral("auto, cpu or cuda."), QStringLiteral("device"));
    QCommandLineOption threads(QStringList{"threads"}, QStringLiteral("Intra-op threads."), QStringLiteral("n"));
    QCommandLineOption screenshot(QStringList{"screenshot"}, QStringLiteral("Save the main window to FILE and quit."),
                                  QStringLiteral("file"));
    QCommandLineOption quitAfter(QStringList{"quit-after"}, QStringLiteral("Close after MS milliseconds."),
                                 QStringLiteral("ms"));
    parser.addOptions({verbose, device, threads, screenshot, quitAfter});
    parser.process(app);

    easel::api::initLogging({parser.isSet(verbose), true, "easel"});
    easel::app::Settings settings;

    // "" = the system language; the settings dialog switches it at run time through the same class.
    easel::app::Translations::apply(settings.language());

    try {
        const QString deviceText = parser.isSet(device) ? parser.value(device) : settings.device();
        auto preference = easel::api::parseDevicePreference(deviceText.toStdString());
        if (!preference) {
            easel::api::logWarning("unknown device '" + deviceText.toStdString() + "', using auto");
            preference = easel::api::DevicePreference::Auto;
        }
        easel::api::configureRuntime(
            {parser.isSet(threads) ? parser.value(threads).toInt() : settings.threads(), *preference});
    } catch (const easel::api::Error& e) {
        // CUDA asked for but missing: fall back to the CPU and say so instead of refusing to start.
        easel::api::logWarning(e.what());
        easel::api::configureRuntime({0, easel::api::DevicePreference::Cpu});
    }

    easel::app::EngineController engine;
    easel::ui::MainWindow window(engine, settings);
    window.show();

    if (parser.isSet(screenshot)) {
        // After start-up means after the first model scan: the pickers and the status bar are filled
        // then. A short delay lets the layout and the queued repaints settle before the grab.
        const QString file = parser.value(screenshot);
        auto shoot = [&window, file] {
            QTimer::singleShot(200, &window, [&window, file] {
                const bool ok = window.grab().save(file);
                if (!ok)
                    easel::api::logError("could not write screenshot " + file.toStdString());
                QApplication::exit(ok ? 0 : 1);
            });
        };
        if (window.isScanningModels())
            QObject::connect(&window, &easel::ui::MainWindow::modelsScanned, &window, shoot, Qt::SingleShotConnection);
        else
            shoot();
    } else if (parser.isSet(quitAfter)) {
        QTimer::singleShot(parser.value(quitAfter).toInt(), &window, &QWidget::close);
    }
    easel::api::logInfo("easel started");
    const int rc = QApplication::exec();
    easel::api::logInfo("easel exiting");
    return rc;
}
