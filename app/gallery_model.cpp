#include "app/gallery_model.h"

#include <QDateTime>
#include <QSize>

#include <exception>

#include "app/async.h"
#include "app/catalog_access.h"

namespace easel::app {

namespace {

QString text(const std::string& s) { return QString::fromStdString(s); }

} // namespace

GalleryModel::GalleryModel(QObject* parent)
    : GalleryModelBase(kPageSize, kMaxCachedPages,
                       // 64 MiB: ~1000 thumbnails of 128x128
                       ThumbnailLimits{kThumbnailSize, kMaxThumbnailsInFlight, 64 * 1024}, parent)
{
}

void GalleryModel::setFavouritesOnly(bool on)
{
    if (on == m_favouritesOnly)
        return;
    m_favouritesOnly = on;
    refresh();
}

catalog::ImageQuery GalleryModel::query() const
{
    catalog::ImageQuery q;
    q.text = searchText().toStdString();
    q.favouritesOnly = m_favouritesOnly;
    return q;
}

QVariant GalleryModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const catalog::ImageRow* r = cachedRow(index.row());
    if (!r) {
        // Not in memory: fetch its page; the view repaints on dataChanged.
        const_cast<GalleryModel*>(this)->requestRow(index.row());
        switch (role) {
        case Qt::DecorationRole: return placeholder();
        case LoadedRole: return false;
        case Qt::SizeHintRole: return QSize(kThumbnailSize, kThumbnailSize);
        default: return {};
        }
    }
    switch (role) {
    case Qt::DisplayRole: return QString();
    case Qt::ToolTipRole:
    case PromptRole: return text(r->prompt);
    case Qt::DecorationRole: return thumbnail(r->id, text(r->path));
    case ImageIdRole: return QVariant::fromValue<qint64>(r->id);
    case PathRole: return text(r->path);
    case NegativePromptRole: return text(r->negativePrompt);
    case ParamsJsonRole: return text(r->paramsJson);
    case SeedRole: return QVariant::fromValue<qint64>(r->seed);
    case SizeRole: return QSize(r->width, r->height);
    case ModelNameRole: return text(r->modelName);
    case FavouriteRole: return r->favourite;
    case CreatedAtRole: return QDateTime::fromSecsSinceEpoch(r->createdAt);
    case LoadedRole: return true;
    default: return {};
    }
}

QHash<int, QByteArray> GalleryModel::roleNames() const
{
    auto names = QAbstractListModel::roleNames();
    names[ImageIdRole] = "imageId";
    names[PathRole] = "path";
    names[PromptRole] = "prompt";
    names[NegativePromptRole] = "negativePrompt";
    names[ParamsJsonRole] = "paramsJson";
    names[SeedRole] = "seed";
    names[SizeRole] = "size";
    names[ModelNameRole] = "modelName";
    names[FavouriteRole] = "favourite";
    names[CreatedAtRole] = "createdAt";
    names[LoadedRole] = "loaded";
    return names;
}

void GalleryModel::setFavourite(int row, bool favourite)
{
    catalog::ImageRow* r = cachedRow(row);
    if (!r || r->favourite == favourite)
        return;
    r->favourite = favourite;
    Q_EMIT dataChanged(index(row), index(row), {FavouriteRole});
    const qint64 id = r->id;
    const QString path = catalogPath();
    runAsync(
        catalogPool(), this,
        [path, id, favourite]() -> QString {
            try {
                catalog::Gallery(threadCatalog(path)).setFavourite(id, favourite);
            } catch (const std::exception& e) {
                return QString::fromStdString(e.what());
            }
            return {};
        },
        [this](const QString& error) {
            if (!error.isEmpty())
                Q_EMIT failed(error);
            if (m_favouritesOnly || !error.isEmpty())
                refresh();
        });
}

} // namespace easel::app
