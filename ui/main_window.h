#pragma once
/// The studio's main window: menus, status bar and the dock layout (prompt, parameters, gallery)
/// around the central image/canvas area. Dropping an image applies its A1111 parameters.
/// Retranslates itself when the application language changes. GUI thread.

#include <QMainWindow>
#include <QStringList>

#include "engine/api/request.h"

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QPlainTextEdit;
class QToolButton;

namespace easel::app {
class EngineController;
class ModelListModel;
class Settings;
} // namespace easel::app

namespace easel::ui {

class CanvasPanel;
class ParametersPanel;
class PromptEdit;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    MainWindow(app::EngineController& engine, app::Settings& settings, QWidget* parent = nullptr);

    QDockWidget* promptDock() const { return m_promptDock; }
    QDockWidget* parametersDock() const { return m_parametersDock; }
    QDockWidget* galleryDock() const { return m_galleryDock; }
    PromptEdit* promptEdit() const { return m_prompt; }
    PromptEdit* negativePromptEdit() const { return m_negativePrompt; }
    ParametersPanel* parametersPanel() const { return m_parameters; }
    /// The img2img / inpainting canvas; currentRequest() feeds it through CanvasPanel::applyTo.
    CanvasPanel* canvasPanel() const { return m_canvasPanel; }
    QDockWidget* canvasDock() const { return m_canvasDock; }
    /// The checkpoint / VAE lists the pickers show; whoever scans models fills them.
    app::ModelListModel* checkpointModel() const { return m_checkpoints; }
    app::ModelListModel* vaeModel() const { return m_vaes; }

    /// Prompts + parameters as they stand.
    api::GenerationRequest currentRequest() const;
    /// Reads an image's A1111 parameters off the GUI thread, then shows them (parametersApplied, or a
    /// notice saying why not).
    void applyParametersFromImage(const QString& path);
    /// The non-modal notice currently shown ("" when none).
    QString noticeText() const;
    void showNotice(const QString& text);

Q_SIGNALS:
    void generateRequested();
    void cancelRequested();
    /// Parameters from `path` are shown; `missing` names models the pickers lack.
    void parametersApplied(const QString& path, const QStringList& missing);

protected:
    void closeEvent(QCloseEvent* event) override;
    void changeEvent(QEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildMenus();
    void buildDocks();
    void buildCanvasDock();
    void retranslate();
    void showSystemInfo();
    void showSettings();

    app::EngineController& m_engine;
    app::Settings& m_settings;
    app::ModelListModel* m_checkpoints = nullptr;
    app::ModelListModel* m_vaes = nullptr;
    QDockWidget* m_promptDock = nullptr;
    QDockWidget* m_parametersDock = nullptr;
    QDockWidget* m_galleryDock = nullptr;
    PromptEdit* m_prompt = nullptr;
    PromptEdit* m_negativePrompt = nullptr;
    ParametersPanel* m_parameters = nullptr;
    CanvasPanel* m_canvasPanel = nullptr;
    QDockWidget* m_canvasDock = nullptr;
    QLabel* m_central = nullptr;
    QWidget* m_notice = nullptr;
    QLabel* m_noticeLabel = nullptr;
    QToolButton* m_noticeClose = nullptr;
    QLabel* m_statusDevice = nullptr;
    QMenu* m_fileMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    QMenu* m_helpMenu = nullptr;
    QAction* m_settingsAction = nullptr;
    QAction* m_quitAction = nullptr;
    QAction* m_systemInfoAction = nullptr;
    QAction* m_aboutAction = nullptr;
};

} // namespace easel::ui
