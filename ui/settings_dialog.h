#pragma once
/// Preferences over app::Settings: model and output folders, where generations run (this computer,
/// or an Easel server with its address and API key, which "Test connection" checks off the GUI
/// thread), device, threads, RNG source, preview frequency, output file name pattern and language
/// (applied at once). Non-blocking when shown with open(). GUI thread.

#include <QDialog>
#include <QMap>

#include "app/settings.h"

class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QToolButton;

namespace easel::ui {

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    explicit SettingsDialog(app::Settings& settings, QWidget* parent = nullptr);

    /// Writes the fields to the settings and switches the language if it changed.
    void apply();

Q_SIGNALS:
    /// Settings were written; `languageChanged` when the UI language was switched.
    void applied(bool languageChanged);

protected:
    void changeEvent(QEvent* event) override;

private:
    void load();
    void retranslate();
    QWidget* folderField(QLineEdit*& edit, QToolButton*& browse);
    void buildServerFields();
    /// Server fields only matter for a server, device and threads only for this computer.
    void updateEngineFields();
    void testServer();

    app::Settings& m_settings;
    QGroupBox* m_foldersGroup = nullptr;
    QFormLayout* m_folders = nullptr;
    QMap<app::ModelKind, QLineEdit*> m_modelFolders;
    QMap<app::ModelKind, QToolButton*> m_modelBrowse;
    QLineEdit* m_outputFolder = nullptr;
    QToolButton* m_outputBrowse = nullptr;
    QGroupBox* m_engineGroup = nullptr;
    QFormLayout* m_engine = nullptr;
    QComboBox* m_engineMode = nullptr;
    QLineEdit* m_serverUrl = nullptr;
    QLineEdit* m_serverKey = nullptr;
    QPushButton* m_testServer = nullptr;
    QLabel* m_serverStatus = nullptr;
    QComboBox* m_device = nullptr;
    QSpinBox* m_threads = nullptr;
    QComboBox* m_rng = nullptr;
    QSpinBox* m_preview = nullptr;
    QLabel* m_restartNote = nullptr;
    QGroupBox* m_outputGroup = nullptr;
    QFormLayout* m_output = nullptr;
    QLineEdit* m_pattern = nullptr;
    QComboBox* m_language = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

} // namespace easel::ui
