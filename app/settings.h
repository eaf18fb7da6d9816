#pragma once
/// The one typed layer over QSettings: every remembered value has a getter/setter here, so keys and
/// defaults live in one place. GUI thread.

#include <QSettings>
#include <QString>

#include "engine/api/request.h"

namespace easel::app {

/// Model folders, A1111 layout (CONVENTIONS.md).
enum class ModelKind { Checkpoint, LoRA, Embedding, VAE, ControlNet, Upscaler };
inline constexpr ModelKind kAllModelKinds[] = {ModelKind::Checkpoint, ModelKind::LoRA,       ModelKind::Embedding,
                                               ModelKind::VAE,        ModelKind::ControlNet, ModelKind::Upscaler};

/// Where generations run: this computer's engine, or an Easel server (easel-server, issue 18).
enum class EngineMode { Local, Server };

class Settings {
public:
    Settings();

    QString device() const;             ///< "auto", "cpu" or "cuda"
    void setDevice(const QString& device);
    int threads() const;                ///< 0 = all cores
    void setThreads(int threads);
    EngineMode engineMode() const;      ///< Local by default
    void setEngineMode(EngineMode mode);
    QString serverUrl() const;          ///< "http://host:port" as typed ("" until set)
    void setServerUrl(const QString& url);
    /// The server's API key. Kept in the settings file like the rest (readable by this user only
    /// as far as the file is); empty = the server needs none.
    QString serverApiKey() const;
    void setServerApiKey(const QString& key);
    QString outputFolder() const;
    void setOutputFolder(const QString& folder);
    QString language() const;           ///< "" = system, "en", "zh_CN"
    void setLanguage(const QString& language);
    QByteArray windowState() const;
    void setWindowState(const QByteArray& state);
    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray& geometry);

    /// Where models of a kind live; default <app data>/models/<A1111 folder name>.
    QString modelFolder(ModelKind kind) const;
    void setModelFolder(ModelKind kind, const QString& folder);
    /// The A1111 folder name of a kind ("Stable-diffusion", "Lora", "embeddings", …).
    static QString modelFolderName(ModelKind kind);

    /// A1111 "RNG" / randn_source; GPU (Philox) by default so seeds match A1111 on NVIDIA.
    api::RngSource rngSource() const;
    void setRngSource(api::RngSource source);
    /// Live preview every N sampling steps; 0 = no preview.
    int previewEverySteps() const;
    void setPreviewEverySteps(int steps);
    /// File name of generated images without extension: {index} {seed} {date} {time} {model}
    /// {prompt} {width} {height} {sampler} {steps}.
    QString filenamePattern() const;
    void setFilenamePattern(const QString& pattern);

    /// The parameters panel as last left (prompts included). Defaults: GenerationRequest's.
    /// The RNG source is stored once, under rngSource().
    api::GenerationRequest generationParameters() const;
    void setGenerationParameters(const api::GenerationRequest& request);

    void sync() { m_settings.sync(); }

private:
    mutable QSettings m_settings;
};

} // namespace easel::app
