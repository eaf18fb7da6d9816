#pragma once
/// Batch export of gallery images: target folder, naming template (with a preview of the first
/// name), PNG/JPEG/WebP and quality, optional downscale to a longest side, keep or strip metadata,
/// CSV / JSON sidecars. The export runs off the GUI thread (app::BatchExporter) with a progress bar
/// and Cancel; taken names get a free "-2" suffix instead of overwriting (app/batch_export.h).
/// Non-modal. GUI thread.

#include <QDialog>
#include <QList>

#include "app/batch_export.h"

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QToolButton;

namespace easel::app {
class BatchExporter;
}

namespace easel::ui {

class BatchExportDialog : public QDialog {
    Q_OBJECT
public:
    BatchExportDialog(const QList<app::ExportSource>& sources, QWidget* parent = nullptr);

    /// The options as the form shows them.
    app::ExportOptions options() const;
    void setOptions(const app::ExportOptions& options);
    /// Starts the export (the Export button).
    void startExport();
    bool isExporting() const;
    /// The result of the last finished export.
    const app::ExportResult& lastResult() const { return m_result; }

Q_SIGNALS:
    void exportFinished(const easel::app::ExportResult& result);

protected:
    void changeEvent(QEvent* event) override;
    void reject() override; ///< Esc / Close: cancels a running export first

private:
    void retranslate();
    void updateForm();
    void chooseFolder();
    void onFinished(const app::ExportResult& result);

    QList<app::ExportSource> m_sources;
    app::BatchExporter* m_exporter = nullptr;
    app::ExportResult m_result;
    QFormLayout* m_form = nullptr;
    QLabel* m_summary = nullptr;
    QLabel* m_folderLabel = nullptr;
    QLineEdit* m_folder = nullptr;
    QToolButton* m_browse = nullptr;
    QLineEdit* m_template = nullptr;
    QLabel* m_preview = nullptr;
    QComboBox* m_format = nullptr;
    QSpinBox* m_quality = nullptr;
    QCheckBox* m_resize = nullptr;
    QSpinBox* m_maxSide = nullptr;
    QCheckBox* m_metadata = nullptr;
    QCheckBox* m_csv = nullptr;
    QCheckBox* m_json = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    QPushButton* m_export = nullptr;
    QPushButton* m_cancel = nullptr;
};

} // namespace easel::ui
