#include "ui/main_window.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFormLayout>
#include <QLabel>
#include <QListView>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QStatusBar>
#include <QVBoxLayout>

#include "app/engine_controller.h"
#include "app/settings.h"
#include "engine/api/runtime.h"
#include "engine/api/version.h"

namespace easel::ui {

MainWindow::MainWindow(app::EngineController& engine, app::Settings& settings, QWidget* parent)
    : QMainWindow(parent)
    , m_engine(engine)
    , m_settings(settings)
{
    setObjectName(QStringLiteral("MainWindow"));
    setWindowTitle(tr("Easel"));
    resize(1400, 900);

    auto* central = new QLabel(tr("Generate an image or open one to start."), this);
    central->setObjectName(QStringLiteral("ResultView"));
    central->setAlignment(Qt::AlignCenter);
    central->setMinimumSize(512, 512);
    setCentralWidget(central);

    buildMenus();
    buildDocks();

    m_statusDevice = new QLabel(this);
    m_statusDevice->setText(tr("Device: %1").arg(QString::fromStdString(api::activeDevice())));
    statusBar()->addPermanentWidget(m_statusDevice);
    statusBar()->showMessage(tr("Ready"));

    connect(&m_engine, &app::EngineController::jobFailed, this,
            [this](int, const QString& message) { statusBar()->showMessage(message, 10000); });

    restoreGeometry(m_settings.windowGeometry());
    restoreState(m_settings.windowState());
}

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->setObjectName(QStringLiteral("ViewMenu"));

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("System &Information"), this, &MainWindow::showSystemInfo);
    help->addAction(tr("&About Easel"), this, [this] {
        QMessageBox::about(this, tr("About Easel"),
                           tr("Easel %1 — a native studio for Stable Diffusion.").arg(api::easelVersion()));
    });
}

void MainWindow::buildDocks()
{
    auto makeDock = [this](const QString& title, const QString& name, QWidget* content, Qt::DockWidgetArea area) {
        auto* dock = new QDockWidget(title, this);
        dock->setObjectName(name);
        dock->setWidget(content);
        addDockWidget(area, dock);
        if (auto* view = menuBar()->findChild<QMenu*>(QStringLiteral("ViewMenu")))
            view->addAction(dock->toggleViewAction());
        return dock;
    };

    auto* promptBox = new QWidget(this);
    auto* promptLayout = new QVBoxLayout(promptBox);
    m_prompt = new QPlainTextEdit(promptBox);
    m_prompt->setObjectName(QStringLiteral("PromptEdit"));
    m_prompt->setPlaceholderText(tr("Prompt"));
    m_negativePrompt = new QPlainTextEdit(promptBox);
    m_negativePrompt->setObjectName(QStringLiteral("NegativePromptEdit"));
    m_negativePrompt->setPlaceholderText(tr("Negative prompt"));
    promptLayout->addWidget(m_prompt, 2);
    promptLayout->addWidget(m_negativePrompt, 1);
    m_promptDock = makeDock(tr("Prompt"), QStringLiteral("PromptDock"), promptBox, Qt::TopDockWidgetArea);

    auto* params = new QWidget(this);
    auto* form = new QFormLayout(params);
    form->addRow(new QLabel(tr("Checkpoint, sampler and size controls arrive with the generation pipeline."), params));
    m_parametersDock = makeDock(tr("Parameters"), QStringLiteral("ParametersDock"), params, Qt::LeftDockWidgetArea);

    auto* gallery = new QListView(this);
    gallery->setObjectName(QStringLiteral("GalleryView"));
    gallery->setViewMode(QListView::IconMode);
    m_galleryDock = makeDock(tr("Gallery"), QStringLiteral("GalleryDock"), gallery, Qt::RightDockWidgetArea);
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
    m_settings.setWindowGeometry(saveGeometry());
    m_settings.setWindowState(saveState());
    event->accept();
}

} // namespace easel::ui
