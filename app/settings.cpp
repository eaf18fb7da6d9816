#include "app/settings.h"

#include <QDir>
#include <QStandardPaths>

#include "engine/api/error.h"
#include "engine/service/output_naming.h"

namespace easel::app {
namespace {

// Keys and defaults, in one place.
constexpr auto kDevice = "engine/device";
constexpr auto kThreads = "engine/threads";
constexpr auto kRngSource = "engine/rngSource";
constexpr auto kPreviewEvery = "engine/previewEverySteps";
constexpr int kDefaultPreviewEvery = 1;
constexpr auto kEngineMode = "engine/mode";           // "local" | "server"
constexpr auto kServerUrl = "engine/serverUrl";
constexpr auto kServerApiKey = "engine/serverApiKey";
constexpr auto kOutputFolder = "output/folder";
constexpr auto kFilenamePattern = "output/filenamePattern";
// The one default of every front end (engine/service/output_naming.h).
constexpr auto kDefaultFilenamePattern = service::kDefaultNamePattern;
constexpr auto kLanguage = "ui/language";
constexpr auto kWindowState = "ui/windowState";
constexpr auto kWindowGeometry = "ui/windowGeometry";
constexpr auto kGeneration = "generation/lastRequest";

QString modelFolderKey(ModelKind kind) { return QStringLiteral("models/") + Settings::modelFolderName(kind); }

} // namespace

Settings::Settings()
    : m_settings(QSettings::IniFormat, QSettings::UserScope, QStringLiteral("Easel"), QStringLiteral("easel"))
{
}

QString Settings::device() const { return m_settings.value(kDevice, "auto").toString(); }
void Settings::setDevice(const QString& device) { m_settings.setValue(kDevice, device); }
int Settings::threads() const { return m_settings.value(kThreads, 0).toInt(); }
void Settings::setThreads(int threads) { m_settings.setValue(kThreads, threads); }

EngineMode Settings::engineMode() const
{
    return m_settings.value(kEngineMode, "local").toString() == QLatin1String("server") ? EngineMode::Server
                                                                                        : EngineMode::Local;
}
void Settings::setEngineMode(EngineMode mode)
{
    m_settings.setValue(kEngineMode, mode == EngineMode::Server ? "server" : "local");
}
QString Settings::serverUrl() const { return m_settings.value(kServerUrl, "").toString(); }
void Settings::setServerUrl(const QString& url) { m_settings.setValue(kServerUrl, url.trimmed()); }
QString Settings::serverApiKey() const { return m_settings.value(kServerApiKey, "").toString(); }
void Settings::setServerApiKey(const QString& key) { m_settings.setValue(kServerApiKey, key.trimmed()); }

QString Settings::outputFolder() const
{
    const QString fallback = QDir(QStandardPaths::writableLocation(QStandardPaths::PicturesLocation)).filePath("Easel");
    return m_settings.value(kOutputFolder, fallback).toString();
}
void Settings::setOutputFolder(const QString& folder) { m_settings.setValue(kOutputFolder, folder); }
QString Settings::language() const { return m_settings.value(kLanguage, "").toString(); }
void Settings::setLanguage(const QString& language) { m_settings.setValue(kLanguage, language); }
QByteArray Settings::windowState() const { return m_settings.value(kWindowState).toByteArray(); }
void Settings::setWindowState(const QByteArray& state) { m_settings.setValue(kWindowState, state); }
QByteArray Settings::windowGeometry() const { return m_settings.value(kWindowGeometry).toByteArray(); }
void Settings::setWindowGeometry(const QByteArray& geometry) { m_settings.setValue(kWindowGeometry, geometry); }

QString Settings::modelFolderName(ModelKind kind)
{
    switch (kind) {
    case ModelKind::Checkpoint: return QStringLiteral("Stable-diffusion");
    case ModelKind::LoRA: return QStringLiteral("Lora");
    case ModelKind::Embedding: return QStringLiteral("embeddings");
    case ModelKind::VAE: return QStringLiteral("VAE");
    case ModelKind::ControlNet: return QStringLiteral("ControlNet");
    case ModelKind::Upscaler: return QStringLiteral("ESRGAN");
    }
    return {};
}

QString Settings::modelFolder(ModelKind kind) const
{
    const QDir root(QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath("models"));
    return m_settings.value(modelFolderKey(kind), root.filePath(modelFolderName(kind))).toString();
}
void Settings::setModelFolder(ModelKind kind, const QString& folder) { m_settings.setValue(modelFolderKey(kind), folder); }

api::RngSource Settings::rngSource() const
{
    return m_settings.value(kRngSource, "GPU").toString().compare("CPU", Qt::CaseInsensitive) == 0
               ? api::RngSource::Cpu
               : api::RngSource::Gpu;
}
void Settings::setRngSource(api::RngSource source)
{
    m_settings.setValue(kRngSource, source == api::RngSource::Cpu ? "CPU" : "GPU");
}

int Settings::previewEverySteps() const { return std::max(0, m_settings.value(kPreviewEvery, kDefaultPreviewEvery).toInt()); }
void Settings::setPreviewEverySteps(int steps) { m_settings.setValue(kPreviewEvery, std::max(0, steps)); }
QString Settings::filenamePattern() const
{
    const QString pattern = m_settings.value(kFilenamePattern, kDefaultFilenamePattern).toString().trimmed();
    return pattern.isEmpty() ? QString::fromLatin1(kDefaultFilenamePattern) : pattern;
}
void Settings::setFilenamePattern(const QString& pattern) { m_settings.setValue(kFilenamePattern, pattern); }

api::GenerationRequest Settings::generationParameters() const
{
    api::GenerationRequest request;
    const QString json = m_settings.value(kGeneration).toString();
    if (!json.isEmpty()) {
        try {
            request = api::requestFromJson(json.toStdString());
        } catch (const api::Error&) {
            request = {}; // a damaged entry falls back to defaults rather than blocking start-up
        }
    }
    request.rng = rngSource();
    return request;
}

void Settings::setGenerationParameters(const api::GenerationRequest& request)
{
    m_settings.setValue(kGeneration, QString::fromStdString(api::toJson(request)));
    setRngSource(request.rng);
}

} // namespace easel::app
