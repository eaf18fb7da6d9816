#include "ui/settings_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>
#include <QToolButton>
#include <QVBoxLayout>

#include "app/async.h"
#include "app/server_models.h"
#include "app/translations.h"

namespace easel::ui {
namespace {

void setLabel(QFormLayout* form, QWidget* field, const QString& text)
{
    if (auto* label = qobject_cast<QLabel*>(form->labelForField(field)))
        label->setText(text);
}

} // namespace

SettingsDialog::SettingsDialog(app::Settings& settings, QWidget* parent)
    : QDialog(parent)
    , m_settings(settings)
{
    setObjectName(QStringLiteral("SettingsDialog"));
    auto* layout = new QVBoxLayout(this);

    m_foldersGroup = new QGroupBox(this);
    m_folders = new QFormLayout(m_foldersGroup);
    for (app::ModelKind kind : app::kAllModelKinds) {
        QLineEdit* edit = nullptr;
        QToolButton* browse = nullptr;
        m_folders->addRow(new QLabel, folderField(edit, browse));
        edit->setObjectName(QStringLiteral("Folder_") + app::Settings::modelFolderName(kind));
        m_modelFolders.insert(kind, edit);
        m_modelBrowse.insert(kind, browse);
    }
    m_folders->addRow(new QLabel, folderField(m_outputFolder, m_outputBrowse));
    m_outputFolder->setObjectName(QStringLiteral("OutputFolder"));
    layout->addWidget(m_foldersGroup);

    m_engineGroup = new QGroupBox(this);
    m_engine = new QFormLayout(m_engineGroup);
    buildServerFields();
    m_device = new QComboBox(m_engineGroup);
    m_device->setObjectName(QStringLiteral("Device"));
    for (const char* id : {"auto", "cpu", "cuda"})
        m_device->addItem(QString(), QString::fromLatin1(id));
    m_threads = new QSpinBox(m_engineGroup);
    m_threads->setObjectName(QStringLiteral("Threads"));
    m_threads->setRange(0, std::max(256, QThread::idealThreadCount()));
    m_rng = new QComboBox(m_engineGroup);
    m_rng->setObjectName(QStringLiteral("RngSource"));
    m_rng->addItem(QStringLiteral("GPU"), int(api::RngSource::Gpu));
    m_rng->addItem(QStringLiteral("CPU"), int(api::RngSource::Cpu));
    m_preview = new QSpinBox(m_engineGroup);
    m_preview->setObjectName(QStringLiteral("PreviewEvery"));
    m_preview->setRange(0, 150);
    m_restartNote = new QLabel(m_engineGroup);
    m_restartNote->setWordWrap(true);
    m_engine->addRow(new QLabel, m_device);
    m_engine->addRow(new QLabel, m_threads);
    m_engine->addRow(new QLabel, m_rng);
    m_engine->addRow(new QLabel, m_preview);
    m_engine->addRow(m_restartNote);
    layout->addWidget(m_engineGroup);

    m_outputGroup = new QGroupBox(this);
    m_output = new QFormLayout(m_outputGroup);
    m_pattern = new QLineEdit(m_outputGroup);
    m_pattern->setObjectName(QStringLiteral("FilenamePattern"));
    m_language = new QComboBox(m_outputGroup);
    m_language->setObjectName(QStringLiteral("Language"));
    // Language names are written in their own language so anyone can find theirs.
    m_language->addItem(QString(), QString());
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("简体中文"), QStringLiteral("zh_CN"));
    m_output->addRow(new QLabel, m_pattern);
    m_output->addRow(new QLabel, m_language);
    layout->addWidget(m_outputGroup);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Apply | QDialogButtonBox::Cancel, this);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        apply();
        accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_buttons->button(QDialogButtonBox::Apply), &QPushButton::clicked, this, &SettingsDialog::apply);
    layout->addWidget(m_buttons);

    retranslate();
    load();
}

void SettingsDialog::buildServerFields()
{
    m_engineMode = new QComboBox(m_engineGroup);
    m_engineMode->setObjectName(QStringLiteral("EngineMode"));
    m_engineMode->addItem(QString(), int(app::EngineMode::Local));
    m_engineMode->addItem(QString(), int(app::EngineMode::Server));
    m_serverUrl = new QLineEdit(m_engineGroup);
    m_serverUrl->setObjectName(QStringLiteral("ServerUrl"));
    m_serverUrl->setPlaceholderText(QStringLiteral("http://gpu-box:7860"));
    m_serverKey = new QLineEdit(m_engineGroup);
    m_serverKey->setObjectName(QStringLiteral("ServerApiKey"));
    m_serverKey->setEchoMode(QLineEdit::PasswordEchoOnEdit);
    auto* test = new QWidget(m_engineGroup);
    auto* testRow = new QHBoxLayout(test);
    testRow->setContentsMargins(0, 0, 0, 0);
    m_testServer = new QPushButton(test);
    m_testServer->setObjectName(QStringLiteral("TestServer"));
    m_serverStatus = new QLabel(test);
    m_serverStatus->setObjectName(QStringLiteral("ServerStatus"));
    m_serverStatus->setWordWrap(true);
    m_serverStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    testRow->addWidget(m_testServer);
    testRow->addWidget(m_serverStatus, 1);
    m_engine->addRow(new QLabel, m_engineMode);
    m_engine->addRow(new QLabel, m_serverUrl);
    m_engine->addRow(new QLabel, m_serverKey);
    m_engine->addRow(test);
    connect(m_engineMode, &QComboBox::currentIndexChanged, this, &SettingsDialog::updateEngineFields);
    connect(m_testServer, &QPushButton::clicked, this, &SettingsDialog::testServer);
}

void SettingsDialog::updateEngineFields()
{
    const bool server = app::EngineMode(m_engineMode->currentData().toInt()) == app::EngineMode::Server;
    for (QWidget* w : {static_cast<QWidget*>(m_serverUrl), static_cast<QWidget*>(m_serverKey),
                       static_cast<QWidget*>(m_testServer)})
        w->setEnabled(server);
    m_device->setEnabled(!server);
    m_threads->setEnabled(!server);
}

void SettingsDialog::testServer()
{
    m_testServer->setEnabled(false);
    m_serverStatus->setText(tr("Connecting…"));
    const QString url = m_serverUrl->text().trimmed(), key = m_serverKey->text().trimmed();
    app::runAsync(QThreadPool::globalInstance(), this, [url, key] { return app::checkServer(url, key); },
                  [this](const QString& error) {
                      m_testServer->setEnabled(true);
                      m_serverStatus->setText(error.isEmpty() ? tr("Connected.") : error);
                  });
}

QWidget* SettingsDialog::folderField(QLineEdit*& edit, QToolButton*& browse)
{
    auto* box = new QWidget(m_foldersGroup);
    auto* row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    edit = new QLineEdit(box);
    browse = new QToolButton(box);
    browse->setText(QStringLiteral("…"));
    row->addWidget(edit, 1);
    row->addWidget(browse);
    QLineEdit* target = edit;
    connect(browse, &QToolButton::clicked, this, [this, target] {
        // Non-modal folder chooser: the window keeps painting while it is open.
        auto* chooser = new QFileDialog(this, tr("Choose a folder"), target->text());
        chooser->setFileMode(QFileDialog::Directory);
        chooser->setOption(QFileDialog::ShowDirsOnly);
        chooser->setAttribute(Qt::WA_DeleteOnClose);
        connect(chooser, &QFileDialog::fileSelected, target, &QLineEdit::setText);
        chooser->open();
    });
    return box;
}

void SettingsDialog::load()
{
    for (app::ModelKind kind : app::kAllModelKinds)
        m_modelFolders[kind]->setText(m_settings.modelFolder(kind));
    m_outputFolder->setText(m_settings.outputFolder());
    m_engineMode->setCurrentIndex(std::max(0, m_engineMode->findData(int(m_settings.engineMode()))));
    m_serverUrl->setText(m_settings.serverUrl());
    m_serverKey->setText(m_settings.serverApiKey());
    m_device->setCurrentIndex(std::max(0, m_device->findData(m_settings.device())));
    m_threads->setValue(m_settings.threads());
    m_rng->setCurrentIndex(m_rng->findData(int(m_settings.rngSource())));
    m_preview->setValue(m_settings.previewEverySteps());
    m_pattern->setText(m_settings.filenamePattern());
    m_language->setCurrentIndex(std::max(0, m_language->findData(m_settings.language())));
    updateEngineFields();
}

void SettingsDialog::apply()
{
    for (app::ModelKind kind : app::kAllModelKinds)
        m_settings.setModelFolder(kind, m_modelFolders[kind]->text().trimmed());
    m_settings.setOutputFolder(m_outputFolder->text().trimmed());
    m_settings.setEngineMode(app::EngineMode(m_engineMode->currentData().toInt()));
    m_settings.setServerUrl(m_serverUrl->text());
    m_settings.setServerApiKey(m_serverKey->text());
    m_settings.setDevice(m_device->currentData().toString());
    m_settings.setThreads(m_threads->value());
    m_settings.setRngSource(api::RngSource(m_rng->currentData().toInt()));
    m_settings.setPreviewEverySteps(m_preview->value());
    m_settings.setFilenamePattern(m_pattern->text());
    const QString language = m_language->currentData().toString();
    const bool languageChanged = language != m_settings.language();
    m_settings.setLanguage(language);
    m_settings.sync();
    if (languageChanged)
        app::Translations::apply(language);
    Q_EMIT applied(languageChanged);
}

void SettingsDialog::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QDialog::changeEvent(event);
}

void SettingsDialog::retranslate()
{
    setWindowTitle(tr("Settings"));
    m_foldersGroup->setTitle(tr("Folders"));
    const QMap<app::ModelKind, QString> names{
        {app::ModelKind::Checkpoint, tr("Checkpoints")}, {app::ModelKind::LoRA, tr("LoRA")},
        {app::ModelKind::Embedding, tr("Embeddings")},   {app::ModelKind::VAE, tr("VAE")},
        {app::ModelKind::ControlNet, tr("ControlNet")},  {app::ModelKind::Upscaler, tr("Upscalers")}};
    for (app::ModelKind kind : app::kAllModelKinds) {
        setLabel(m_folders, m_modelFolders[kind]->parentWidget(), names[kind]);
        m_modelBrowse[kind]->setToolTip(tr("Choose a folder"));
    }
    setLabel(m_folders, m_outputFolder->parentWidget(), tr("Output"));
    m_outputBrowse->setToolTip(tr("Choose a folder"));
    m_engineGroup->setTitle(tr("Engine"));
    setLabel(m_engine, m_engineMode, tr("Generate on"));
    m_engineMode->setItemText(0, tr("This computer"));
    m_engineMode->setItemText(1, tr("Easel server"));
    setLabel(m_engine, m_serverUrl, tr("Server address"));
    setLabel(m_engine, m_serverKey, tr("API key"));
    m_serverKey->setPlaceholderText(tr("none"));
    m_testServer->setText(tr("Test connection"));
    setLabel(m_engine, m_device, tr("Device"));
    m_device->setItemText(0, tr("Automatic (CUDA when available)"));
    m_device->setItemText(1, tr("CPU"));
    m_device->setItemText(2, tr("CUDA GPU"));
    setLabel(m_engine, m_threads, tr("CPU threads"));
    m_threads->setSpecialValueText(tr("All cores"));
    setLabel(m_engine, m_rng, tr("RNG source"));
    m_rng->setToolTip(tr("GPU reproduces A1111 seeds made on NVIDIA cards; CPU those made with the CPU generator"));
    setLabel(m_engine, m_preview, tr("Live preview every"));
    m_preview->setSuffix(tr(" steps"));
    m_preview->setSpecialValueText(tr("Off"));
    m_restartNote->setText(tr("Device and thread changes take effect the next time Easel starts; a change of where "
                              "to generate, with the next job."));
    m_outputGroup->setTitle(tr("Output and language"));
    setLabel(m_output, m_pattern, tr("File name pattern"));
    m_pattern->setToolTip(tr("Placeholders: {index} {seed} {date} {time} {model} {prompt} {width} {height} "
                             "{sampler} {steps}"));
    setLabel(m_output, m_language, tr("Language"));
    m_language->setItemText(0, tr("System language"));
}

} // namespace easel::ui
