#pragma once
/// The model manager: the configured model folders (checkpoints, LoRA, embeddings, VAE, ControlNet,
/// upscalers), a scan with progress and cancel, and every file found with what engine/io made of
/// it (kind, family, format, size); broken and unsupported files are listed with the reason.
/// The scan runs on a pool thread. Non-modal. GUI thread.

#include <QDialog>

#include <atomic>
#include <memory>

#include "app/model_inventory.h"

class QCheckBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;
class QTimer;

namespace easel::app {
class Settings;
}

namespace easel::ui {

class ModelManagerDialog : public QDialog {
    Q_OBJECT
public:
    ModelManagerDialog(const app::Settings& settings, const QString& catalogPath, QWidget* parent = nullptr);
    ~ModelManagerDialog() override;

    /// Scans the folders and refills the list (the Scan button; also run when the dialog opens).
    void scan();
    bool isScanning() const { return m_scanning; }
    const app::ModelInventory& inventory() const { return m_inventory; }
    QTableWidget* foldersTable() const { return m_folders; }
    QTableWidget* filesTable() const { return m_files; }

Q_SIGNALS:
    /// A scan finished (the catalog changed: the studio refreshes its pickers).
    void scanned(const easel::app::ModelInventory& inventory);

protected:
    void changeEvent(QEvent* event) override;
    void reject() override; ///< Esc / Close: cancels a running scan first

private:
    void retranslate();
    void fillFolders();
    void fillFiles();

    const app::Settings& m_settings;
    QString m_catalogPath;
    app::ModelInventory m_inventory;
    bool m_scanning = false;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    struct ScanCounts {
        std::atomic<int> done{0}, total{0};
    };
    std::shared_ptr<ScanCounts> m_counts;
    QTimer* m_poll = nullptr;
    QLabel* m_foldersLabel = nullptr;
    QTableWidget* m_folders = nullptr;
    QLabel* m_filesLabel = nullptr;
    QCheckBox* m_problemsOnly = nullptr;
    QTableWidget* m_files = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    QPushButton* m_scan = nullptr;
    QPushButton* m_close = nullptr;
};

} // namespace easel::ui
