#include "ui/model_manager_dialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QThreadPool>
#include <QTimer>
#include <QVBoxLayout>

#include "app/async.h"
#include "app/settings.h"

namespace easel::ui {

namespace {

QTableWidgetItem* item(const QString& text, const QString& toolTip = {})
{
    auto* it = new QTableWidgetItem(text);
    it->setToolTip(toolTip.isEmpty() ? text : toolTip);
    return it;
}

} // namespace

ModelManagerDialog::ModelManagerDialog(const app::Settings& settings, const QString& catalogPath, QWidget* parent)
    : QDialog(parent)
    , m_settings(settings)
    , m_catalogPath(catalogPath)
{
    setObjectName(QStringLiteral("ModelManagerDialog"));
    setModal(false);
    resize(900, 640);
    auto* layout = new QVBoxLayout(this);
    m_foldersLabel = new QLabel(this);
    layout->addWidget(m_foldersLabel);
    m_folders = new QTableWidget(0, 3, this);
    m_folders->setObjectName(QStringLiteral("ModelFolders"));
    m_folders->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_folders->verticalHeader()->hide();
    m_folders->horizontalHeader()->setStretchLastSection(true);
    m_folders->setMaximumHeight(200);
    layout->addWidget(m_folders);

    auto* filesRow = new QHBoxLayout;
    m_filesLabel = new QLabel(this);
    m_problemsOnly = new QCheckBox(this);
    m_problemsOnly->setObjectName(QStringLiteral("ModelProblemsOnly"));
    connect(m_problemsOnly, &QCheckBox::toggled, this, &ModelManagerDialog::fillFiles);
    filesRow->addWidget(m_filesLabel, 1);
    filesRow->addWidget(m_problemsOnly);
    layout->addLayout(filesRow);
    m_files = new QTableWidget(0, 6, this);
    m_files->setObjectName(QStringLiteral("ModelFiles"));
    m_files->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_files->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_files->verticalHeader()->hide();
    m_files->horizontalHeader()->setStretchLastSection(true);
    m_files->setSortingEnabled(false);
    layout->addWidget(m_files, 1);

    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("ModelScanProgress"));
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    layout->addWidget(m_progress);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("ModelScanStatus"));
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    auto* buttons = new QDialogButtonBox(this);
    m_scan = buttons->addButton(QString(), QDialogButtonBox::ActionRole);
    m_scan->setObjectName(QStringLiteral("ModelScanButton"));
    m_close = buttons->addButton(QString(), QDialogButtonBox::RejectRole);
    connect(m_scan, &QPushButton::clicked, this, &ModelManagerDialog::scan);
    connect(m_close, &QPushButton::clicked, this, &ModelManagerDialog::reject);
    layout->addWidget(buttons);
    m_poll = new QTimer(this);
    m_poll->setInterval(100);
    connect(m_poll, &QTimer::timeout, this, [this] {
        if (!m_counts)
            return;
        const int total = m_counts->total.load();
        const int done = m_counts->done.load();
        if (total <= 0)
            return; // still walking the folders: the bar stays busy
        m_progress->setRange(0, total);
        m_progress->setValue(done);
        m_status->setText(tr("Reading %1 of %2 files…").arg(done).arg(total));
    });
    retranslate();
    fillFolders();
}

ModelManagerDialog::~ModelManagerDialog()
{
    // The scan keeps what it read; stopping it early only saves work nobody will look at.
    if (m_cancel)
        m_cancel->store(true);
}

void ModelManagerDialog::scan()
{
    if (m_scanning)
        return;
    m_scanning = true;
    m_scan->setEnabled(false);
    m_progress->setRange(0, 0); // busy until the walk knows how many files there are
    m_status->setText(tr("Scanning the model folders…"));
    fillFolders();
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    const QString catalogPath = m_catalogPath;
    const QVector<app::ModelFolder> folders = app::modelFolders(m_settings);
    auto cancel = m_cancel;
    auto counts = m_counts = std::make_shared<ScanCounts>();
    m_poll->start();
    app::runAsync(
        QThreadPool::globalInstance(), this,
        [catalogPath, folders, cancel, counts] {
            // Progress goes through atomics the dialog polls: the pool thread never touches a widget
            // or an object the GUI thread may be deleting.
            return app::scanModelInventory(
                catalogPath, folders,
                [counts](int done, int total) {
                    counts->done.store(done);
                    counts->total.store(total);
                },
                cancel.get());
        },
        [this](const app::ModelInventory& inventory) {
            m_scanning = false;
            m_poll->stop();
            m_inventory = inventory;
            m_scan->setEnabled(true);
            m_progress->setRange(0, 1);
            m_progress->setValue(1);
            if (!inventory.error.isEmpty())
                m_status->setText(tr("The model folders could not be scanned: %1").arg(inventory.error));
            else
                m_status->setText((inventory.cancelled ? tr("Scan stopped. ") : QString()) +
                                  tr("%n file(s)", nullptr, inventory.files.size()) + QStringLiteral(", ") +
                                  tr("%n broken or unsupported", nullptr, inventory.problems));
            fillFiles();
            Q_EMIT scanned(inventory);
        });
}

void ModelManagerDialog::fillFolders()
{
    m_folders->setRowCount(0);
    for (const app::ModelKind kind : app::kAllModelKinds) {
        const QString path = m_settings.modelFolder(kind);
        const int row = m_folders->rowCount();
        m_folders->insertRow(row);
        m_folders->setItem(row, 0, item(app::Settings::modelFolderName(kind)));
        m_folders->setItem(row, 1, item(QDir::toNativeSeparators(path)));
        m_folders->setItem(row, 2, item(QFileInfo(path).isDir() ? tr("found") : tr("does not exist")));
    }
    m_folders->resizeColumnsToContents();
}

void ModelManagerDialog::fillFiles()
{
    m_files->setRowCount(0);
    const QLocale locale;
    for (const app::ModelFileInfo& file : m_inventory.files) {
        if (m_problemsOnly->isChecked() && !file.isProblem())
            continue;
        const int row = m_files->rowCount();
        m_files->insertRow(row);
        const QString shown = file.folder.isEmpty() ? file.name : file.folder + QLatin1Char('/') + file.name;
        m_files->setItem(row, 0, item(shown, QDir::toNativeSeparators(file.path)));
        m_files->setItem(row, 1, item(file.kind));
        m_files->setItem(row, 2, item(file.family.isEmpty() ? tr("unknown") : file.family));
        m_files->setItem(row, 3, item(file.format));
        m_files->setItem(row, 4, item(locale.formattedDataSize(file.sizeBytes)));
        QString status = file.status == QLatin1String("ok")            ? tr("ok")
                         : file.status == QLatin1String("broken")      ? tr("broken")
                         : file.status == QLatin1String("unsupported") ? tr("unsupported")
                                                                       : file.status;
        if (!file.statusDetail.isEmpty())
            status += QStringLiteral(": ") + file.statusDetail;
        QTableWidgetItem* statusItem = item(status);
        if (file.isProblem())
            statusItem->setForeground(QColor(0xb4, 0x53, 0x09)); // amber, like the studio's notices
        m_files->setItem(row, 5, statusItem);
    }
    m_files->resizeColumnsToContents();
}

void ModelManagerDialog::reject()
{
    if (m_scanning && m_cancel) {
        m_cancel->store(true); // the result (what was read) still arrives and is shown
        m_status->setText(tr("Stopping the scan…"));
        return;
    }
    QDialog::reject();
}

void ModelManagerDialog::retranslate()
{
    setWindowTitle(tr("Model Manager"));
    m_foldersLabel->setText(tr("Model folders (change them in Settings)"));
    m_folders->setHorizontalHeaderLabels({tr("Kind"), tr("Folder"), tr("State")});
    m_filesLabel->setText(tr("Files"));
    m_problemsOnly->setText(tr("Only broken or unsupported"));
    m_files->setHorizontalHeaderLabels({tr("Name"), tr("Kind"), tr("Family"), tr("Format"), tr("Size"), tr("Status")});
    m_scan->setText(tr("Scan"));
    m_close->setText(tr("Close"));
    fillFolders();
}

void ModelManagerDialog::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QDialog::changeEvent(event);
}

} // namespace easel::ui
