#pragma once
/// The studio's main window: menus, status bar and the dock layout (prompt, parameters, gallery)
/// around the central image/canvas area. GUI thread.

#include <QMainWindow>

class QDockWidget;
class QLabel;
class QPlainTextEdit;

namespace easel::app {
class EngineController;
class Settings;
} // namespace easel::app

namespace easel::ui {

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    MainWindow(app::EngineController& engine, app::Settings& settings, QWidget* parent = nullptr);

    QDockWidget* promptDock() const { return m_promptDock; }
    QDockWidget* parametersDock() const { return m_parametersDock; }
    QDockWidget* galleryDock() const { return m_galleryDock; }

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();
    void buildDocks();
    void showSystemInfo();

    app::EngineController& m_engine;
    app::Settings& m_settings;
    QDockWidget* m_promptDock = nullptr;
    QDockWidget* m_parametersDock = nullptr;
    QDockWidget* m_galleryDock = nullptr;
    QPlainTextEdit* m_prompt = nullptr;
    QPlainTextEdit* m_negativePrompt = nullptr;
    QLabel* m_statusDevice = nullptr;
};

} // namespace easel::ui
