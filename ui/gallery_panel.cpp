#include "ui/gallery_panel.h"

#include <QCheckBox>
#include <QDateTime>
#include <QDesktopServices>
#include <QEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QPlainTextEdit>
#include <QShortcut>
#include <QSplitter>
#include <QTimer>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>
#include <exception>

#include "app/async.h"
#include "app/batch_export.h"
#include "app/catalog_access.h"
#include "app/gallery_model.h"
#include "ui/batch_export_dialog.h"

namespace easel::ui {

GalleryPanel::GalleryPanel(app::GalleryModel* model, QWidget* parent)
    : QWidget(parent)
    , m_model(model)
{
    setObjectName(QStringLiteral("GalleryPanel"));
    auto* layout = new QVBoxLayout(this);

    auto* filters = new QHBoxLayout;
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("GallerySearch"));
    m_search->setClearButtonEnabled(true);
    m_favouritesOnly = new QCheckBox(this);
    m_favouritesOnly->setObjectName(QStringLiteral("GalleryFavouritesOnly"));
    filters->addWidget(m_search, 1);
    filters->addWidget(m_favouritesOnly);
    layout->addLayout(filters);
    // Searching on every key press would queue a query per letter; wait for a pause in typing.
    m_searchTimer = new QTimer(this);
    m_searchTimer->setSingleShot(true);
    m_searchTimer->setInterval(250);
    connect(m_search, &QLineEdit::textChanged, m_searchTimer, qOverload<>(&QTimer::start));
    connect(m_searchTimer, &QTimer::timeout, this, [this] { m_model->setSearchText(m_search->text().trimmed()); });
    connect(m_favouritesOnly, &QCheckBox::toggled, m_model, &app::GalleryModel::setFavouritesOnly);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    m_view = new QListView(splitter);
    m_view->setObjectName(QStringLiteral("GalleryView"));
    m_view->setViewMode(QListView::IconMode);
    m_view->setResizeMode(QListView::Adjust);
    m_view->setMovement(QListView::Static);
    // Uniform sizes: the view never asks the model about rows it does not show (virtualisation).
    m_view->setUniformItemSizes(true);
    m_view->setIconSize(QSize(app::GalleryModel::kThumbnailSize, app::GalleryModel::kThumbnailSize));
    m_view->setGridSize(QSize(app::GalleryModel::kThumbnailSize + 8, app::GalleryModel::kThumbnailSize + 8));
    // Extended: Ctrl/Shift-click and Ctrl+A pick images for a batch export; the single-image
    // actions follow the current item.
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setModel(m_model);
    splitter->addWidget(m_view);

    auto* detailBox = new QWidget(splitter);
    auto* detailLayout = new QVBoxLayout(detailBox);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    m_countLabel = new QLabel(detailBox);
    detailLayout->addWidget(m_countLabel);
    m_details = new QPlainTextEdit(detailBox);
    m_details->setObjectName(QStringLiteral("GalleryDetails"));
    m_details->setReadOnly(true);
    detailLayout->addWidget(m_details, 1);
    auto* actions = new QHBoxLayout;
    auto makeButton = [this, actions](const char* name, auto slot) {
        auto* button = new QToolButton(this);
        button->setObjectName(QString::fromLatin1(name));
        connect(button, &QToolButton::clicked, this, slot);
        actions->addWidget(button);
        return button;
    };
    m_reuse = makeButton("GalleryReuseButton", [this] { reuseSelected(); });
    m_favourite = makeButton("GalleryFavouriteButton", [this] { toggleFavourite(); });
    m_send = makeButton("GallerySendToCanvasButton", [this] { sendSelectedToCanvas(); });
    m_reveal = makeButton("GalleryRevealButton", [this] { revealSelected(); });
    m_delete = makeButton("GalleryDeleteButton", [this] { deleteSelected(); });
    m_undo = makeButton("GalleryUndoDeleteButton", [this] { undoDelete(); });
    m_export = makeButton("GalleryExportButton", [this] { exportSelected(); });
    actions->addStretch(1);
    detailLayout->addLayout(actions);
    splitter->addWidget(detailBox);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    layout->addWidget(splitter, 1);

    auto* deleteKey = new QShortcut(QKeySequence::Delete, m_view, [this] { deleteSelected(); }, Qt::WidgetShortcut);
    Q_UNUSED(deleteKey);
    auto* undoKey = new QShortcut(QKeySequence::Undo, m_view, [this] { undoDelete(); }, Qt::WidgetShortcut);
    Q_UNUSED(undoKey);

    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, &GalleryPanel::showDetails);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &GalleryPanel::updateButtons);
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex& first, const QModelIndex& last) {
        const int row = selectedRow();
        if (row >= first.row() && row <= last.row())
            showDetails();
    });
    // A refresh (new image, delete, filter) resets the model: keep the selected image selected.
    connect(m_model, &QAbstractItemModel::modelAboutToBeReset, this, [this] {
        const auto row = m_model->imageAt(selectedRow());
        m_keepSelected = row ? row->id : 0;
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        const int row = m_keepSelected ? m_model->rowOfImage(m_keepSelected) : -1;
        if (row >= 0)
            m_view->setCurrentIndex(m_model->index(row, 0));
        showDetails();
    });
    connect(m_model, &app::GalleryModel::failed, this, &GalleryPanel::failed);
    connect(m_view, &QListView::activated, this, [this] { reuseSelected(); });
    retranslate();
    showDetails();
}

void GalleryPanel::retranslate()
{
    m_search->setPlaceholderText(tr("Search prompts…"));
    m_favouritesOnly->setText(tr("Favourites"));
    m_reuse->setText(tr("Reuse parameters"));
    m_reuse->setToolTip(tr("Put this image's prompt and parameters into the prompt box and the parameters panel"));
    m_favourite->setText(tr("Favourite"));
    m_send->setText(tr("Send to img2img/inpaint"));
    m_reveal->setText(tr("Show in folder"));
    m_delete->setText(tr("Delete"));
    m_delete->setToolTip(tr("Move the image file to the trash and remove it from the gallery (Del)"));
    m_undo->setText(tr("Undo delete"));
    m_undo->setToolTip(tr("Put the last deleted image back"));
    m_export->setText(tr("Export…"));
    m_export->setToolTip(tr("Export the selected images to a folder (Ctrl/Shift-click to select several)"));
    showDetails();
}

void GalleryPanel::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

int GalleryPanel::selectedRow() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? current.row() : -1;
}

QList<int> GalleryPanel::selectedRows() const
{
    QList<int> rows;
    for (const QModelIndex& index : m_view->selectionModel()->selectedIndexes())
        rows << index.row();
    std::sort(rows.begin(), rows.end());
    if (rows.isEmpty() && selectedRow() >= 0)
        rows << selectedRow();
    return rows;
}

void GalleryPanel::selectRows(const QList<int>& rows)
{
    QItemSelection selection;
    for (const int row : rows)
        selection.select(m_model->index(row, 0), m_model->index(row, 0));
    if (!rows.isEmpty())
        m_view->selectionModel()->setCurrentIndex(m_model->index(rows.first(), 0), QItemSelectionModel::NoUpdate);
    m_view->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
}

void GalleryPanel::exportSelected()
{
    QList<app::ExportSource> sources;
    for (const int row : selectedRows())
        if (const auto image = m_model->imageAt(row)) // a row not paged in yet has nothing to export
            sources << app::exportSourceFromRow(*image);
    if (sources.isEmpty())
        return;
    auto* dialog = new BatchExportDialog(sources, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    Q_EMIT exportDialogOpened(dialog);
}

void GalleryPanel::selectRow(int row)
{
    const QModelIndex index = m_model->index(row, 0);
    m_view->setCurrentIndex(index);
    m_view->scrollTo(index);
}

void GalleryPanel::showDetails()
{
    m_countLabel->setText(tr("%n image(s)", nullptr, m_model->rowCount()));
    const std::optional<catalog::ImageRow> row = m_model->imageAt(selectedRow());
    if (!row) {
        m_details->setPlainText(selectedRow() >= 0 ? tr("Loading…") : QString());
        updateButtons();
        return;
    }
    QString text = QString::fromStdString(row->prompt);
    if (!row->negativePrompt.empty())
        text += QStringLiteral("\n") + tr("Negative prompt: %1").arg(QString::fromStdString(row->negativePrompt));
    text += QStringLiteral("\n\n") + tr("Seed: %1, Size: %2x%3, Model: %4")
                                         .arg(row->seed)
                                         .arg(row->width)
                                         .arg(row->height)
                                         .arg(QString::fromStdString(row->modelName));
    text += QStringLiteral("\n") + tr("Created: %1").arg(QLocale().toString(
                                       QDateTime::fromSecsSinceEpoch(row->createdAt), QLocale::ShortFormat));
    text += QStringLiteral("\n") + tr("File: %1").arg(QString::fromStdString(row->path));
    const QJsonDocument params = QJsonDocument::fromJson(QByteArray::fromStdString(row->paramsJson));
    if (!params.isNull())
        text += QStringLiteral("\n\n") + tr("All parameters:") + QStringLiteral("\n") +
                QString::fromUtf8(params.toJson(QJsonDocument::Indented));
    m_details->setPlainText(text);
    updateButtons();
}

void GalleryPanel::updateButtons()
{
    const std::optional<catalog::ImageRow> row = m_model->imageAt(selectedRow());
    const bool has = row.has_value() && !m_busy;
    m_reuse->setEnabled(has);
    m_favourite->setEnabled(has);
    m_favourite->setCheckable(true);
    m_favourite->setChecked(row && row->favourite);
    m_send->setEnabled(has);
    m_reveal->setEnabled(has);
    m_delete->setEnabled(has);
    m_undo->setEnabled(m_lastDeleted.has_value() && !m_busy);
    m_export->setEnabled(!selectedRows().isEmpty());
}

void GalleryPanel::reuseSelected()
{
    if (const auto row = m_model->imageAt(selectedRow()))
        Q_EMIT reuseRequested(QString::fromStdString(row->path), QString::fromStdString(row->paramsJson), row->seed);
}

void GalleryPanel::toggleFavourite()
{
    const int r = selectedRow();
    if (const auto row = m_model->imageAt(r))
        m_model->setFavourite(r, !row->favourite);
}

void GalleryPanel::sendSelectedToCanvas()
{
    if (const auto row = m_model->imageAt(selectedRow()))
        Q_EMIT sendToCanvasRequested(QString::fromStdString(row->path));
}

void GalleryPanel::revealSelected()
{
    if (const auto row = m_model->imageAt(selectedRow()))
        QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(QString::fromStdString(row->path)).absolutePath()));
}

void GalleryPanel::deleteSelected()
{
    const auto row = m_model->imageAt(selectedRow());
    if (!row || m_busy)
        return;
    m_busy = true;
    updateButtons();
    const qint64 id = row->id;
    const QString catalogPath = m_model->catalogPath();
    app::runAsync(
        app::catalogPool(), this,
        [catalogPath, id]() {
            try {
                return app::deleteGalleryImage(app::threadCatalog(catalogPath), id);
            } catch (const std::exception& e) {
                app::DeleteOutcome failure;
                failure.error = QString::fromStdString(e.what());
                return failure;
            }
        },
        [this, id](const app::DeleteOutcome& outcome) {
            m_busy = false;
            if (!outcome.error.isEmpty()) {
                Q_EMIT failed(tr("The image was not deleted: %1").arg(outcome.error));
                updateButtons();
                return;
            }
            m_lastDeleted = outcome.deleted;
            m_model->refresh();
            updateButtons();
            Q_EMIT deleted(id);
        });
}

void GalleryPanel::undoDelete()
{
    if (!m_lastDeleted || m_busy)
        return;
    m_busy = true;
    updateButtons();
    const app::DeletedGalleryImage deleted = *m_lastDeleted;
    const QString catalogPath = m_model->catalogPath();
    app::runAsync(
        app::catalogPool(), this,
        [catalogPath, deleted]() -> std::pair<qint64, QString> {
            try {
                return {app::restoreGalleryImage(app::threadCatalog(catalogPath), deleted), QString()};
            } catch (const std::exception& e) {
                return {0, QString::fromStdString(e.what())};
            }
        },
        [this](const std::pair<qint64, QString>& result) {
            m_busy = false;
            if (!result.second.isEmpty()) {
                Q_EMIT failed(tr("The image could not be restored: %1").arg(result.second));
                updateButtons();
                return;
            }
            m_lastDeleted.reset();
            m_model->refresh();
            updateButtons();
            Q_EMIT restored(result.first);
        });
}

} // namespace easel::ui
