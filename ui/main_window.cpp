#include "ui/main_window.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QScrollArea>
#include <QStatusBar>
#include <QStringListModel>
#include <QThreadPool>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>

#include "app/async.h"
#include "app/catalog_access.h"
#include "app/engine_controller.h"
#include "app/gallery_model.h"
#include "app/gallery_store.h"
#include "app/lora_mix.h"
#include "app/model_folder_watcher.h"
#include "app/model_library_model.h"
#include "app/model_list_model.h"
#include "app/model_scan.h"
#include "app/server_models.h"
#include "app/settings.h"
#include "engine/api/error.h"
#include "engine/api/logging.h"
#include "engine/api/runtime.h"
#include "engine/api/version.h"
#include "ui/canvas/canvas_panel.h"
#include "ui/canvas/canvas_document.h"
#include "ui/canvas/canvas_widget.h"
#include "ui/controlnet/controlnet_panel.h"
#include "ui/gallery_panel.h"
#include "ui/lora_panel.h"
#include "ui/image_parameters.h"
#include "ui/model_manager_dialog.h"
#include "ui/parameters_panel.h"
#include "ui/png_info_dialog.h"
#include "ui/prompt_edit.h"
#include "ui/queue_panel.h"
#include "ui/result_view.h"
#include "ui/settings_dialog.h"

namespace easel::ui {

MainWindow::MainWindow(app::EngineController& engine, app::Settings& settings, QWidget* parent)
    : QMainWindow(parent)
    , m_engine(engine)
    , m_settings(settings)
{
    setObjectName(QStringLiteral("MainWindow"));
    resize(1400, 900);
    setAcceptDrops(true);
    m_checkpoints = new app::ModelListModel(this);
    m_vaes = new app::ModelListModel(this);
    m_loraNames = new QStringListModel(this);
    m_embeddingNames = new QStringListModel(this);
    m_catalogPath = app::defaultCatalogPath();
    m_gallery = new app::GalleryModel(this);

    auto* central = new QWidget(this);
    auto* centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    // Notices are a bar above the image, not a dialog: work goes on while one is shown.
    m_notice = new QWidget(central);
    m_notice->setObjectName(QStringLiteral("Notice"));
    m_notice->setAutoFillBackground(true);
    m_notice->setStyleSheet(QStringLiteral("#Notice { background: rgba(217, 119, 6, 40); }"));
    auto* noticeLayout = new QHBoxLayout(m_notice);
    m_noticeLabel = new QLabel(m_notice);
    m_noticeLabel->setWordWrap(true);
    m_noticeLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_noticeClose = new QToolButton(m_notice);
    m_noticeClose->setText(QStringLiteral("\u2715"));
    connect(m_noticeClose, &QToolButton::clicked, m_notice, &QWidget::hide);
    noticeLayout->addWidget(m_noticeLabel, 1);
    noticeLayout->addWidget(m_noticeClose);
    m_notice->hide();
    centralLayout->addWidget(m_notice);
    m_results = new ResultView(central);
    m_results->setMinimumSize(512, 512);
    centralLayout->addWidget(m_results, 1);
    setCentralWidget(central);

    buildMenus();
    buildGeneration();
    buildDocks();
    buildCanvasDock();
    buildLoRADock();
    buildControlNetDock();

    m_statusDevice = new QLabel(this);
    statusBar()->addPermanentWidget(m_statusDevice);
    retranslate();
    statusBar()->showMessage(tr("Ready"));

    // Generation: the window's signals are the one path from buttons, shortcuts and prompt keys.
    connect(this, &MainWindow::generateRequested, this, [this] { generate(); });
    connect(this, &MainWindow::cancelRequested, this, &MainWindow::cancelCurrent);
    connect(&m_engine, &app::EngineController::jobStarted, this, [this](int id, const QString&) { onJobStarted(id); });
    // The service saved and catalogued each image as it was decoded; the gallery shows it at once.
    connect(&m_engine, &app::EngineController::imageSaved, this, [this] { m_gallery->refresh(); });
    connect(&m_engine, &app::EngineController::imagesRecorded, this, &MainWindow::imagesRecorded);
    connect(&m_engine, &app::EngineController::jobProgress, this, &MainWindow::onJobProgress);
    connect(&m_engine, &app::EngineController::imagesReady, this, &MainWindow::onImagesReady);
    connect(&m_engine, &app::EngineController::jobFailed, this, [this](int, const QString& message) {
        m_results->clearPreview();
        statusBar()->showMessage(tr("Failed"), 5000);
        // Non-modal: the queue goes on, the user reads it when convenient.
        showNotice(tr("Generation failed: %1").arg(message));
    });
    connect(&m_engine, &app::EngineController::jobCancelled, this, [this](int) {
        m_results->clearPreview();
        statusBar()->showMessage(tr("Cancelled"), 5000);
    });
    connect(&m_engine, &app::EngineController::queueIdle, this, [this] {
        const QSignalBlocker block(m_foreverAction);
        m_foreverAction->setChecked(m_engine.generateForever());
    });
    connect(m_results, &ResultView::useSeedRequested, this, &MainWindow::useSeed);
    connect(m_results, &ResultView::sendToCanvasRequested, this, &MainWindow::sendToCanvasRequested);
    connect(this, &MainWindow::sendToCanvasRequested, this, &MainWindow::sendToCanvas);
    connect(m_galleryPanel, &GalleryPanel::reuseRequested, this, &MainWindow::reuseParameters);
    connect(m_galleryPanel, &GalleryPanel::sendToCanvasRequested, this, &MainWindow::sendToCanvasRequested);
    connect(m_galleryPanel, &GalleryPanel::failed, this, &MainWindow::showNotice);
    for (PromptEdit* edit : {m_prompt, m_negativePrompt}) {
        edit->setLoraCompletionModel(m_loraNames);
        edit->setEmbeddingCompletionModel(m_embeddingNames);
    }

    const api::GenerationRequest remembered = m_settings.generationParameters();
    m_prompt->setPlainText(QString::fromStdString(remembered.prompt));
    m_negativePrompt->setPlainText(QString::fromStdString(remembered.negativePrompt));
    m_parameters->setFromRequest(remembered);

    restoreGeometry(m_settings.windowGeometry());
    restoreState(m_settings.windowState());

    m_gallery->setCatalogPath(m_catalogPath);
    applyEngineSettings();
    rescanModels();
}

void MainWindow::applyEngineSettings()
{
    if (m_settings.engineMode() == app::EngineMode::Server) {
        const QString error = m_engine.useServer(m_settings.serverUrl(), m_settings.serverApiKey());
        if (!error.isEmpty()) {
            m_engine.useLocalEngine();
            showNotice(tr("Generations stay on this computer: %1").arg(error));
        }
    } else {
        m_engine.useLocalEngine();
    }
    updateDeviceLabel();
}

void MainWindow::updateDeviceLabel()
{
    if (m_engine.usesServer())
        m_statusDevice->setText(tr("Server: %1").arg(m_settings.serverUrl()));
    else
        m_statusDevice->setText(tr("Device: %1").arg(QString::fromStdString(api::activeDevice())));
}

void MainWindow::buildMenus()
{
    m_fileMenu = menuBar()->addMenu(QString());
    m_pngInfoAction = m_fileMenu->addAction(QString(), this, &MainWindow::choosePngInfoFile);
    m_pngInfoAction->setObjectName(QStringLiteral("PngInfoAction"));
    m_pngInfoAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    m_modelManagerAction = m_fileMenu->addAction(QString(), this, &MainWindow::showModelManager);
    m_modelManagerAction->setObjectName(QStringLiteral("ModelManagerAction"));
    m_settingsAction = m_fileMenu->addAction(QString(), this, &MainWindow::showSettings);
    m_settingsAction->setObjectName(QStringLiteral("SettingsAction"));
    m_settingsAction->setShortcut(QKeySequence::Preferences);
    m_fileMenu->addSeparator();
    m_quitAction = m_fileMenu->addAction(QString(), this, &QWidget::close);
    m_quitAction->setShortcut(QKeySequence::Quit);

    m_viewMenu = menuBar()->addMenu(QString());
    m_viewMenu->setObjectName(QStringLiteral("ViewMenu"));

    m_helpMenu = menuBar()->addMenu(QString());
    m_systemInfoAction = m_helpMenu->addAction(QString(), this, &MainWindow::showSystemInfo);
    m_aboutAction = m_helpMenu->addAction(QString(), this, [this] {
        QMessageBox::about(this, tr("About Easel"),
                           tr("Easel %1 — a native studio for Stable Diffusion.").arg(api::easelVersion()));
    });
}

void MainWindow::buildDocks()
{
    auto makeDock = [this](const QString& name, QWidget* content, Qt::DockWidgetArea area) {
        auto* dock = new QDockWidget(this);
        dock->setObjectName(name);
        dock->setWidget(content);
        addDockWidget(area, dock);
        m_viewMenu->addAction(dock->toggleViewAction());
        return dock;
    };

    auto* promptBox = new QWidget(this);
    auto* promptLayout = new QVBoxLayout(promptBox);
    m_prompt = new PromptEdit(promptBox);
    m_prompt->setObjectName(QStringLiteral("PromptEdit"));
    m_negativePrompt = new PromptEdit(promptBox);
    m_negativePrompt->setObjectName(QStringLiteral("NegativePromptEdit"));
    m_negativePrompt->setPositive(false);
    promptLayout->addWidget(m_prompt, 2);
    promptLayout->addWidget(m_negativePrompt, 1);
    auto* promptRow = new QWidget(this);
    auto* promptRowLayout = new QHBoxLayout(promptRow);
    promptRowLayout->setContentsMargins(0, 0, 0, 0);
    promptRowLayout->addWidget(promptBox, 1);
    auto* buttonColumn = new QVBoxLayout;
    auto makeButton = [promptRow, buttonColumn](const char* name, QAction* action) {
        auto* button = new QToolButton(promptRow);
        button->setObjectName(QString::fromLatin1(name));
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        button->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
        buttonColumn->addWidget(button);
        return button;
    };
    m_generateButton = makeButton("GenerateButton", m_generateAction);
    m_generateButton->setMinimumHeight(48);
    m_cancelButton = makeButton("CancelButton", m_cancelAction);
    m_cancelAllButton = makeButton("CancelAllButton", m_cancelAllAction);
    m_foreverButton = makeButton("GenerateForeverButton", m_foreverAction);
    buttonColumn->addStretch(1);
    promptRowLayout->addLayout(buttonColumn);
    m_promptDock = makeDock(QStringLiteral("PromptDock"), promptRow, Qt::TopDockWidgetArea);
    for (PromptEdit* edit : {m_prompt, m_negativePrompt}) {
        connect(edit, &PromptEdit::generateRequested, this, &MainWindow::generateRequested);
        connect(edit, &PromptEdit::cancelRequested, this, &MainWindow::cancelRequested);
    }

    m_parameters = new ParametersPanel(this);
    m_parameters->setCheckpointModel(m_checkpoints);
    m_parameters->setVaeModel(m_vaes);
    connect(m_parameters, &ParametersPanel::stepsChanged, m_prompt, &PromptEdit::setSteps);
    connect(m_parameters, &ParametersPanel::stepsChanged, m_negativePrompt, &PromptEdit::setSteps);
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setWidget(m_parameters);
    m_parametersDock = makeDock(QStringLiteral("ParametersDock"), scroll, Qt::LeftDockWidgetArea);

    m_queuePanel = new QueuePanel(m_engine, this);
    m_queueDock = makeDock(QStringLiteral("QueueDock"), m_queuePanel, Qt::LeftDockWidgetArea);
    tabifyDockWidget(m_parametersDock, m_queueDock);
    m_parametersDock->raise();

    m_galleryPanel = new GalleryPanel(m_gallery, this);
    m_galleryDock = makeDock(QStringLiteral("GalleryDock"), m_galleryPanel, Qt::RightDockWidgetArea);
}

void MainWindow::buildCanvasDock()
{
    // The img2img / inpainting canvas (ui/canvas). Its title follows the panel's own translation, so
    // retranslate() need not know about it.
    m_canvasPanel = new CanvasPanel(this);
    m_canvasDock = new QDockWidget(m_canvasPanel->windowTitle(), this);
    m_canvasDock->setObjectName(QStringLiteral("CanvasDock"));
    m_canvasDock->setWidget(m_canvasPanel);
    addDockWidget(Qt::RightDockWidgetArea, m_canvasDock);
    if (m_galleryDock) {
        tabifyDockWidget(m_galleryDock, m_canvasDock);
        m_galleryDock->raise();
    }
    m_viewMenu->addAction(m_canvasDock->toggleViewAction());
    connect(m_canvasPanel, &QWidget::windowTitleChanged, m_canvasDock, &QDockWidget::setWindowTitle);
    connect(m_canvasPanel, &CanvasPanel::notice, this, &MainWindow::showNotice);
    // An image arriving on the canvas (open, paste, drop, send to img2img) brings the canvas forward.
    connect(m_canvasPanel, &CanvasPanel::imageSizeChanged, m_canvasDock, [dock = m_canvasDock](const QSize& size) {
        if (size.isEmpty())
            return;
        dock->show();
        dock->raise();
    });
}

void MainWindow::buildLoRADock()
{
    // The engine resolves <lora:name> tags and mix names through the same catalog the panel shows.
    m_engine.setCatalogPath(m_catalogPath);
    m_loraMix = new app::LoRAMix(this);
    m_loraLibrary = new app::ModelLibraryModel(this);
    m_loraPanel = new LoRAPanel(m_loraLibrary, m_loraMix, this);
    m_loraDock = new QDockWidget(m_loraPanel->windowTitle(), this);
    m_loraDock->setObjectName(QStringLiteral("LoRADock"));
    m_loraDock->setWidget(m_loraPanel);
    addDockWidget(Qt::RightDockWidgetArea, m_loraDock);
    tabifyDockWidget(m_galleryDock, m_loraDock);
    m_galleryDock->raise();
    m_viewMenu->addAction(m_loraDock->toggleViewAction());
    connect(m_loraPanel, &QWidget::windowTitleChanged, m_loraDock, &QDockWidget::setWindowTitle);
    connect(m_loraPanel, &LoRAPanel::failed, this, &MainWindow::showNotice);
    connect(m_loraPanel, &LoRAPanel::insertTextRequested, this, [this](const QString& text) {
        QString prompt = m_prompt->toPlainText().trimmed();
        if (!prompt.isEmpty() && !prompt.endsWith(QLatin1Char(',')))
            prompt += QLatin1Char(',');
        m_prompt->setPlainText(prompt.isEmpty() ? text : prompt + QLatin1Char(' ') + text);
    });
    auto followCheckpoint = [this] { m_loraPanel->setCheckpointFamily(m_parameters->currentFamily()); };
    connect(m_parameters, &ParametersPanel::changed, this, followCheckpoint);
    connect(this, &MainWindow::modelsScanned, this, [this, followCheckpoint](const QString&) {
        followCheckpoint();
        m_loraLibrary->refresh();
        QStringList roots;
        for (const app::ModelFolder& f : app::modelFolders(m_settings))
            roots << f.path;
        if (roots != m_folderWatcher->folders())
            m_folderWatcher->setFolders(roots);
    });
    // New, changed or removed model files while the studio runs: the incremental rescan (off the
    // GUI thread) picks them up; rescanModels() coalesces a request made during a scan.
    m_folderWatcher = new app::ModelFolderWatcher(this);
    connect(m_folderWatcher, &app::ModelFolderWatcher::folderContentChanged, this, &MainWindow::rescanModels);
    m_loraLibrary->setCatalogPath(m_catalogPath);
}

void MainWindow::retranslate()
{
    setWindowTitle(tr("Easel"));
    m_results->setPlaceholderText(
        tr("Generate an image or open one to start.\nDrop an image here to see its parameters (PNG Info)."));
    updateDeviceLabel();
    m_noticeClose->setToolTip(tr("Dismiss"));
    m_fileMenu->setTitle(tr("&File"));
    m_settingsAction->setText(tr("&Settings…"));
    m_pngInfoAction->setText(tr("PNG &Info…"));
    m_modelManagerAction->setText(tr("&Model Manager…"));
    m_pngInfoAction->setToolTip(tr("Show the generation parameters stored in an image and apply them"));
    m_quitAction->setText(tr("&Quit"));
    m_viewMenu->setTitle(tr("&View"));
    m_helpMenu->setTitle(tr("&Help"));
    m_systemInfoAction->setText(tr("System &Information"));
    m_aboutAction->setText(tr("&About Easel"));
    m_promptDock->setWindowTitle(tr("Prompt"));
    m_parametersDock->setWindowTitle(tr("Parameters"));
    m_galleryDock->setWindowTitle(tr("Gallery"));
    m_queueDock->setWindowTitle(tr("Queue"));
    m_generateMenu->setTitle(tr("&Generate"));
    m_generateAction->setText(tr("Generate"));
    m_generateAction->setToolTip(tr("Queue an image with these prompts and parameters (Ctrl+Enter)"));
    m_cancelAction->setText(tr("Cancel"));
    m_cancelAction->setToolTip(tr("Stop the running image (Esc); queued images stay"));
    m_cancelAllAction->setText(tr("Cancel all"));
    m_cancelAllAction->setToolTip(tr("Stop the running image and drop every queued one"));
    m_foreverAction->setText(tr("Generate forever"));
    m_foreverAction->setToolTip(tr("Start a new image whenever the queue runs empty"));
    m_rescanAction->setText(tr("Rescan models"));
    m_prompt->setPlaceholderText(tr("Prompt (Ctrl+Enter to generate, Ctrl+Up/Down to change a weight)"));
    m_negativePrompt->setPlaceholderText(tr("Negative prompt"));
}

void MainWindow::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QMainWindow::changeEvent(event);
}

api::GenerationRequest MainWindow::currentRequest() const
{
    api::GenerationRequest request = m_parameters->toRequest();
    request.prompt = m_prompt->toPlainText().toStdString();
    request.negativePrompt = m_negativePrompt->toPlainText().toStdString();
    request.loras = m_loraMix->requestEntries();
    return request;
}

QString MainWindow::noticeText() const { return m_notice->isHidden() ? QString() : m_noticeLabel->text(); }

void MainWindow::showNotice(const QString& text)
{
    m_noticeLabel->setText(text);
    m_notice->show();
}

void MainWindow::applyParametersFromImage(const QString& path)
{
    statusBar()->showMessage(tr("Reading parameters from %1…").arg(QFileInfo(path).fileName()));
    app::runAsync(
        QThreadPool::globalInstance(), this, [path, base = currentRequest()] { return readImageParameters(path, base); },
        [this, path](const ImageParameters& result) {
            if (!result.ok) {
                statusBar()->clearMessage();
                showNotice(result.error);
                return;
            }
            applyRequest(path, result.request, result.loras);
        });
}

void MainWindow::showPngInfo(const QString& path)
{
    statusBar()->showMessage(tr("Reading parameters from %1…").arg(QFileInfo(path).fileName()));
    app::runAsync(
        QThreadPool::globalInstance(), this, [path, base = currentRequest()] { return readImageParameters(path, base); },
        [this, path](const ImageParameters& result) {
            statusBar()->clearMessage();
            if (!m_pngInfo) {
                m_pngInfo = new PngInfoDialog(this);
                connect(m_pngInfo, &PngInfoDialog::applyRequested, this,
                        [this](const QString& file, const api::GenerationRequest& request) {
                            applyRequest(file, request, m_pngInfo->parameters().loras);
                        });
            }
            m_pngInfo->setParameters(path, result);
            m_pngInfo->show();
            m_pngInfo->raise();
        });
}

void MainWindow::choosePngInfoFile()
{
    QStringList patterns;
    for (const QString& suffix : parameterImageSuffixes())
        patterns << QStringLiteral("*.") + suffix;
    const QString path = QFileDialog::getOpenFileName(this, tr("PNG Info"), QString(),
                                                      tr("Images (%1)").arg(patterns.join(QLatin1Char(' '))));
    if (!path.isEmpty())
        showPngInfo(path);
}

void MainWindow::showModelManager()
{
    if (!m_modelManager) {
        m_modelManager = new ModelManagerDialog(m_settings, m_catalogPath, this);
        // The manager's scan changed the catalog: the pickers and completions follow (incremental, cheap).
        connect(m_modelManager, &ModelManagerDialog::scanned, this, [this] { rescanModels(); });
    }
    m_modelManager->show();
    m_modelManager->raise();
    m_modelManager->scan();
}

void MainWindow::applyRequest(const QString& path, const api::GenerationRequest& request, const QStringList& loras)
{
    m_prompt->setPlainText(QString::fromStdString(request.prompt));
    m_negativePrompt->setPlainText(QString::fromStdString(request.negativePrompt));
    QStringList missing = m_parameters->setFromRequest(request);
    if (!request.controlNets.empty())
        missing += m_controlNetPanel->setFromRequest(request);
    const QStringList missingLoraNames = missingLoras(loras, m_loraNames->stringList());
    if (missing.isEmpty() && missingLoraNames.isEmpty()) {
        m_notice->hide();
    } else {
        QStringList parts;
        if (!missing.isEmpty())
            parts << tr("models %1 (the current choice was kept)").arg(missing.join(QStringLiteral(", ")));
        if (!missingLoraNames.isEmpty())
            parts << tr("LoRAs %1 (their prompt tags stay but do nothing)").arg(missingLoraNames.join(QStringLiteral(", ")));
        showNotice(tr("Parameters applied, but these are not installed: %1. Put them in the model folders "
                      "(Settings) and rescan, or pick others.")
                       .arg(parts.join(QStringLiteral("; "))));
    }
    missing << missingLoraNames;
    if (!path.isEmpty())
        statusBar()->showMessage(tr("Parameters applied from %1").arg(QFileInfo(path).fileName()), 5000);
    Q_EMIT parametersApplied(path, missing);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.first().isLocalFile() && mayCarryParameters(urls.first().toLocalFile()))
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.isEmpty() || !urls.first().isLocalFile())
        return;
    event->acceptProposedAction();
    showPngInfo(urls.first().toLocalFile());
}

void MainWindow::showSettings()
{
    if (auto* open = findChild<SettingsDialog*>())
        return open->raise();
    auto* dialog = new SettingsDialog(m_settings, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &SettingsDialog::applied, this, [this] {
        // The RNG source is one setting shared with the parameters panel.
        api::GenerationRequest request = m_parameters->toRequest();
        request.rng = m_settings.rngSource();
        m_parameters->setFromRequest(request);
        // Where generations run may have changed, and with it where the models are listed from.
        applyEngineSettings();
        // Model folders may have changed; the scan is incremental, so an unchanged folder is cheap.
        rescanModels();
    });
    dialog->open();
}

void MainWindow::showSystemInfo()
{
    const int job = m_engine.querySystemInfo();
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(&m_engine, &app::EngineController::jobFinished, this,
                          [this, job, connection](int id, const QString& result) {
                              if (id != job)
                                  return;
                              disconnect(*connection);
                              QMessageBox::information(this, tr("System Information"), result);
                          });
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    m_settings.setGenerationParameters(currentRequest());
    m_settings.setWindowGeometry(saveGeometry());
    m_settings.setWindowState(saveState());
    event->accept();
}

void MainWindow::buildGeneration()
{
    m_generateMenu = new QMenu(this);
    m_generateMenu->setObjectName(QStringLiteral("GenerateMenu"));
    menuBar()->insertMenu(m_helpMenu->menuAction(), m_generateMenu);

    m_generateAction = m_generateMenu->addAction(QString(), this, [this] { Q_EMIT generateRequested(); });
    m_generateAction->setObjectName(QStringLiteral("GenerateAction"));
    m_generateAction->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    m_cancelAction = m_generateMenu->addAction(QString(), this, [this] { Q_EMIT cancelRequested(); });
    m_cancelAction->setObjectName(QStringLiteral("CancelAction"));
    // CONVENTIONS.md keyboard habits: Esc and A1111's Ctrl+Alt+Enter.
    m_cancelAction->setShortcuts({QKeySequence(Qt::Key_Escape), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_Return)});
    m_cancelAllAction = m_generateMenu->addAction(QString(), this, &MainWindow::cancelAll);
    m_cancelAllAction->setObjectName(QStringLiteral("CancelAllAction"));
    m_foreverAction = m_generateMenu->addAction(QString());
    m_foreverAction->setObjectName(QStringLiteral("GenerateForeverAction"));
    m_foreverAction->setCheckable(true);
    connect(m_foreverAction, &QAction::toggled, this, &MainWindow::setGenerateForever);
    m_generateMenu->addSeparator();
    m_rescanAction = m_generateMenu->addAction(QString(), this, &MainWindow::rescanModels);
    m_rescanAction->setObjectName(QStringLiteral("RescanModelsAction"));
}

int MainWindow::generate()
{
    api::GenerationRequest request = currentRequest();
    // The canvas goes in here, not in currentRequest(): that one is also what the settings remember,
    // and canvas pixels belong to this job only.
    m_canvasPanel->applyTo(request);
    try {
        m_controlNetPanel->applyTo(request);
    } catch (const std::exception& e) {
        showNotice(tr("Not generated: %1").arg(QString::fromStdString(e.what())));
        return 0;
    }
    int id = 0;
    try {
        id = m_engine.enqueue(request, jobOptions());
    } catch (const api::Error& e) {
        showNotice(tr("Not generated: %1").arg(QString::fromStdString(e.what())));
        return 0;
    }
    if (m_engine.runningJob() != id)
        statusBar()->showMessage(tr("Queued"), 3000);
    return id;
}

bool MainWindow::sendToCanvas(const QString& imagePath)
{
    if (!m_canvasPanel->openImage(imagePath))
        return false; // the panel's notice says why
    m_canvasDock->show();
    m_canvasDock->raise();
    return true;
}

void MainWindow::cancelCurrent()
{
    if (m_engine.runningJob() == 0)
        return;
    m_engine.cancelCurrent();
    statusBar()->showMessage(tr("Cancelling…"));
}

void MainWindow::cancelAll()
{
    m_engine.cancelAll();
    const QSignalBlocker block(m_foreverAction);
    m_foreverAction->setChecked(false);
}

void MainWindow::setGenerateForever(bool on)
{
    if (m_foreverAction->isChecked() != on) {
        m_foreverAction->setChecked(on); // toggled() comes back here
        return;
    }
    // Like A1111: switching it on starts generating when nothing is running — with the parameters as
    // they are now. Queue first, then switch: the controller repeats its last request when the queue
    // runs empty, and that would otherwise be an older job's (e.g. a cancelled 150-step one).
    if (on && m_engine.runningJob() == 0 && !m_engine.queue()->nextQueued())
        generate();
    m_engine.setGenerateForever(on);
}

service::JobOptions MainWindow::jobOptions() const
{
    // Read per job, when it is queued: a settings change applies to the next job (preview cadence,
    // folder, name pattern), never to one already waiting.
    service::JobOptions options;
    options.previewEverySteps = m_settings.previewEverySteps();
    options.output.folder = m_settings.outputFolder().toStdString();
    options.output.pattern = m_settings.filenamePattern().toStdString();
    options.keepPixels = true; // the result view shows them without reading the files back
    return options;
}

void MainWindow::onJobStarted(int id)
{
    if (const app::Job* job = m_engine.queue()->job(id))
        statusBar()->showMessage(tr("Starting: %1").arg(job->title));
}

void MainWindow::onJobProgress(int id, int step, int total, double eta, const QImage& preview)
{
    const app::Job* job = m_engine.queue()->job(id);
    const QString stage = job && !job->stage.isEmpty() ? job->stage : tr("sampling");
    if (total > 0)
        statusBar()->showMessage(tr("%1: step %2/%3, about %4 s left").arg(stage).arg(step).arg(total).arg(qRound(eta)));
    else
        statusBar()->showMessage(stage);
    if (!preview.isNull())
        m_results->showPreview(preview);
}

void MainWindow::onImagesReady(int id, const QStringList& paths, const QList<QImage>& images,
                               const QStringList& infotexts)
{
    m_results->showResults(paths, images, infotexts);
    if (const auto seed = m_results->currentSeed())
        m_parameters->setLastSeed(*seed);
    if (const app::Job* job = m_engine.queue()->job(id))
        m_checkpoints->setLoadedPath(QString::fromStdString(job->request.model));
    statusBar()->showMessage(tr("Done: %n image(s) in %1", nullptr, paths.size())
                                 .arg(paths.isEmpty() ? QString() : QFileInfo(paths.first()).absolutePath()),
                             10000);
}

void MainWindow::rescanModels()
{
    if (m_scanning) {
        m_rescanPending = true;
        return;
    }
    m_scanning = true;
    m_rescanAction->setEnabled(false);
    const bool server = m_engine.usesServer();
    statusBar()->showMessage(server ? tr("Listing the server's models…") : tr("Scanning model folders…"));
    const QString catalogPath = m_catalogPath;
    const QVector<app::ModelFolder> folders = app::modelFolders(m_settings);
    const QString url = m_settings.serverUrl(), key = m_settings.serverApiKey();
    app::runAsync(
        QThreadPool::globalInstance(), this,
        [server, catalogPath, folders, url, key] {
            return server ? app::listServerModels(url, key) : app::scanModelFolders(catalogPath, folders);
        },
        [this, server](const app::ModelScanResult& result) {
            m_scanning = false;
            m_rescanAction->setEnabled(true);
            if (!result.error.isEmpty()) {
                showNotice(server ? tr("The Easel server's models could not be listed: %1").arg(result.error)
                                  : tr("The model folders could not be scanned: %1").arg(result.error));
            } else {
                m_checkpoints->setEntries(result.checkpoints);
                m_vaes->setEntries(result.vaes);
                m_controlNets->setEntries(result.controlNets);
                m_loraNames->setStringList(result.loras);
                m_embeddingNames->setStringList(result.embeddings);
                for (PromptEdit* edit : {m_prompt, m_negativePrompt})
                    edit->setKnownLoraNames(result.loras);
                statusBar()->showMessage(tr("Models: %1 checkpoints, %2 LoRAs, %3 embeddings, %4 VAEs")
                                             .arg(result.checkpoints.size())
                                             .arg(result.loras.size())
                                             .arg(result.embeddings.size())
                                             .arg(result.vaes.size()),
                                         5000);
            }
            Q_EMIT modelsScanned(result.error);
            if (m_rescanPending) {
                m_rescanPending = false;
                rescanModels();
            }
        });
}

void MainWindow::useSeed(qint64 seed)
{
    api::GenerationRequest request = m_parameters->toRequest();
    request.seed = seed;
    m_parameters->setFromRequest(request);
    m_parameters->setLastSeed(seed);
}

void MainWindow::reuseParameters(const QString& path, const QString& paramsJson, qint64 seed)
{
    if (QFileInfo::exists(path) && mayCarryParameters(path)) {
        applyParametersFromImage(path);
        return;
    }
    try {
        api::GenerationRequest request = api::requestFromJson(paramsJson.toStdString());
        request.seed = seed;
        QStringList loras;
        for (const api::LoRAEntry& lora : request.loras)
            loras << QString::fromStdString(lora.name);
        applyRequest(path, request, loras);
    } catch (const std::exception& e) {
        showNotice(tr("The parameters of this image could not be read: %1").arg(QString::fromStdString(e.what())));
    }
}

void MainWindow::buildControlNetDock()
{
    // The ControlNet panel (ui/controlnet) in its own dock beside the parameters; like the canvas
    // dock, its title follows the panel's own translation.
    m_controlNets = new app::ModelListModel(this);
    m_controlNetPanel = new ControlNetPanel(this);
    m_controlNetPanel->setControlNetModels(m_controlNets);
    m_controlNetPanel->followParameters(m_parameters, m_checkpoints);
    m_controlNetPanel->setCanvasSource([this] { return m_canvasPanel->canvas()->document()->image(); });
    m_controlNetPanel->setLastResultSource([this] { return m_results->currentPath(); });
    connect(m_controlNetPanel, &ControlNetPanel::notice, this, &MainWindow::showNotice);
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setWidget(m_controlNetPanel);
    m_controlNetDock = new QDockWidget(m_controlNetPanel->windowTitle(), this);
    m_controlNetDock->setObjectName(QStringLiteral("ControlNetDock"));
    m_controlNetDock->setWidget(scroll);
    addDockWidget(Qt::LeftDockWidgetArea, m_controlNetDock);
    tabifyDockWidget(m_parametersDock, m_controlNetDock);
    m_parametersDock->raise();
    m_viewMenu->addAction(m_controlNetDock->toggleViewAction());
    connect(m_controlNetPanel, &QWidget::windowTitleChanged, m_controlNetDock, &QDockWidget::setWindowTitle);
}

} // namespace easel::ui
