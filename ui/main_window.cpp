#include "ui/main_window.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QScrollArea>
#include <QStatusBar>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "app/engine_controller.h"
#include "app/model_list_model.h"
#include "app/settings.h"
#include "engine/api/runtime.h"
#include "engine/api/version.h"
#include "ui/canvas/canvas_panel.h"
#include "ui/image_parameters.h"
#include "ui/parameters_panel.h"
#include "ui/prompt_edit.h"
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
    m_central = new QLabel(central);
    m_central->setObjectName(QStringLiteral("ResultView"));
    m_central->setAlignment(Qt::AlignCenter);
    m_central->setMinimumSize(512, 512);
    centralLayout->addWidget(m_central, 1);
    setCentralWidget(central);

    buildMenus();
    buildDocks();
    buildCanvasDock();

    m_statusDevice = new QLabel(this);
    statusBar()->addPermanentWidget(m_statusDevice);
    retranslate();
    statusBar()->showMessage(tr("Ready"));

    connect(&m_engine, &app::EngineController::jobFailed, this,
            [this](int, const QString& message) { statusBar()->showMessage(message, 10000); });

    const api::GenerationRequest remembered = m_settings.generationParameters();
    m_prompt->setPlainText(QString::fromStdString(remembered.prompt));
    m_negativePrompt->setPlainText(QString::fromStdString(remembered.negativePrompt));
    m_parameters->setFromRequest(remembered);

    restoreGeometry(m_settings.windowGeometry());
    restoreState(m_settings.windowState());
}

void MainWindow::buildMenus()
{
    m_fileMenu = menuBar()->addMenu(QString());
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
    m_promptDock = makeDock(QStringLiteral("PromptDock"), promptBox, Qt::TopDockWidgetArea);
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

    auto* gallery = new QListView(this);
    gallery->setObjectName(QStringLiteral("GalleryView"));
    gallery->setViewMode(QListView::IconMode);
    m_galleryDock = makeDock(QStringLiteral("GalleryDock"), gallery, Qt::RightDockWidgetArea);
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

void MainWindow::retranslate()
{
    setWindowTitle(tr("Easel"));
    m_central->setText(tr("Generate an image or open one to start.\nDrop an image here to apply its parameters."));
    m_statusDevice->setText(tr("Device: %1").arg(QString::fromStdString(api::activeDevice())));
    m_noticeClose->setToolTip(tr("Dismiss"));
    m_fileMenu->setTitle(tr("&File"));
    m_settingsAction->setText(tr("&Settings…"));
    m_quitAction->setText(tr("&Quit"));
    m_viewMenu->setTitle(tr("&View"));
    m_helpMenu->setTitle(tr("&Help"));
    m_systemInfoAction->setText(tr("System &Information"));
    m_aboutAction->setText(tr("&About Easel"));
    m_promptDock->setWindowTitle(tr("Prompt"));
    m_parametersDock->setWindowTitle(tr("Parameters"));
    m_galleryDock->setWindowTitle(tr("Gallery"));
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
    return request;
}

QString MainWindow::noticeText() const { return m_notice->isVisible() ? m_noticeLabel->text() : QString(); }

void MainWindow::showNotice(const QString& text)
{
    m_noticeLabel->setText(text);
    m_notice->show();
}

void MainWindow::applyParametersFromImage(const QString& path)
{
    statusBar()->showMessage(tr("Reading parameters from %1…").arg(QFileInfo(path).fileName()));
    auto* watcher = new QFutureWatcher<ImageParameters>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, path] {
        watcher->deleteLater();
        const ImageParameters result = watcher->result();
        if (!result.ok) {
            statusBar()->clearMessage();
            showNotice(result.error);
            return;
        }
        m_prompt->setPlainText(QString::fromStdString(result.request.prompt));
        m_negativePrompt->setPlainText(QString::fromStdString(result.request.negativePrompt));
        const QStringList missing = m_parameters->setFromRequest(result.request);
        if (missing.isEmpty())
            m_notice->hide();
        else
            showNotice(tr("Parameters applied, but these models are not installed: %1. Put them in the model "
                          "folders (Settings) or pick others; the current choice was kept.")
                           .arg(missing.join(QStringLiteral(", "))));
        statusBar()->showMessage(tr("Parameters applied from %1").arg(QFileInfo(path).fileName()), 5000);
        Q_EMIT parametersApplied(path, missing);
    });
    watcher->setFuture(QtConcurrent::run(readImageParameters, path, currentRequest()));
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
    applyParametersFromImage(urls.first().toLocalFile());
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

} // namespace easel::ui
