#include "app/gallery_model.h"

#include <QDateTime>
#include <QImageReader>
#include <QPainter>
#include <QSize>

#include <algorithm>
#include <exception>

#include "app/async.h"
#include "app/catalog_access.h"

namespace easel::app {

namespace {

struct PageResult {
    std::vector<catalog::ImageRow> rows;
    qint64 count = -1; ///< filled when the count was asked for
    QString error;
};

QString text(const std::string& s) { return QString::fromStdString(s); }

} // namespace

GalleryModel::GalleryModel(QObject* parent)
    : QAbstractListModel(parent)
{
    m_thumbnailPool.setMaxThreadCount(2);
    m_thumbnails.setMaxCost(64 * 1024); // KiB: ~1000 thumbnails of 128x128
}

GalleryModel::~GalleryModel()
{
    // Pending loads only read files; their results go to watchers that die with this model.
    m_thumbnailPool.clear();
    m_thumbnailPool.waitForDone();
}

void GalleryModel::setCatalogPath(const QString& path)
{
    m_catalogPath = path;
    refresh();
}

void GalleryModel::setSearchText(const QString& text)
{
    if (text == m_searchText)
        return;
    m_searchText = text;
    refresh();
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
    q.text = m_searchText.toStdString();
    q.favouritesOnly = m_favouritesOnly;
    q.limit = kPageSize;
    return q;
}

void GalleryModel::refresh()
{
    const quint64 epoch = ++m_epoch;
    m_pendingPages.clear();
    if (m_catalogPath.isEmpty()) {
        beginResetModel();
        m_count = 0;
        m_pages.clear();
        endResetModel();
        m_ready = true;
        Q_EMIT refreshed();
        return;
    }
    const QString path = m_catalogPath;
    const catalog::ImageQuery q = query();
    runAsync(
        catalogPool(), this,
        [path, q]() {
            PageResult r;
            try {
                catalog::Gallery gallery(threadCatalog(path));
                r.count = gallery.count(q);
                r.rows = gallery.search(q);
            } catch (const std::exception& e) {
                r.error = QString::fromStdString(e.what());
            }
            return r;
        },
        [this, epoch](PageResult r) {
            if (epoch != m_epoch)
                return;
            if (!r.error.isEmpty())
                Q_EMIT failed(r.error);
            beginResetModel();
            m_pages.clear();
            m_count = static_cast<int>(std::max<qint64>(0, r.count));
            m_pagesFetched = 1;
            if (m_count > 0)
                m_pages.insert(0, Page{std::move(r.rows), ++m_useClock});
            endResetModel();
            m_ready = true;
            Q_EMIT refreshed();
        });
}

int GalleryModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : m_count; }

const catalog::ImageRow* GalleryModel::cachedRow(int row) const
{
    if (row < 0 || row >= m_count)
        return nullptr;
    auto it = m_pages.find(row / kPageSize);
    if (it == m_pages.end())
        return nullptr;
    const int offset = row % kPageSize;
    if (offset >= static_cast<int>(it->rows.size()))
        return nullptr;
    it->lastUse = ++m_useClock;
    return &it->rows[static_cast<size_t>(offset)];
}

std::optional<catalog::ImageRow> GalleryModel::imageAt(int row) const
{
    const catalog::ImageRow* r = cachedRow(row);
    return r ? std::optional<catalog::ImageRow>(*r) : std::nullopt;
}

int GalleryModel::rowOfImage(qint64 imageId) const
{
    for (auto it = m_pages.cbegin(); it != m_pages.cend(); ++it)
        for (size_t i = 0; i < it->rows.size(); ++i)
            if (it->rows[i].id == imageId)
                return it.key() * kPageSize + static_cast<int>(i);
    return -1;
}

int GalleryModel::cachedRowCount() const
{
    int n = 0;
    for (const Page& p : m_pages)
        n += static_cast<int>(p.rows.size());
    return n;
}

void GalleryModel::requestPage(int page)
{
    if (m_pendingPages.contains(page) || m_catalogPath.isEmpty())
        return;
    m_pendingPages.insert(page);
    const quint64 epoch = m_epoch;
    const QString path = m_catalogPath;
    catalog::ImageQuery q = query();
    q.offset = page * kPageSize;
    runAsync(
        catalogPool(), this,
        [path, q]() {
            PageResult r;
            try {
                r.rows = catalog::Gallery(threadCatalog(path)).search(q);
            } catch (const std::exception& e) {
                r.error = QString::fromStdString(e.what());
            }
            return r;
        },
        [this, epoch, page](PageResult r) {
            if (epoch != m_epoch)
                return;
            m_pendingPages.remove(page);
            if (!r.error.isEmpty()) {
                Q_EMIT failed(r.error);
                return;
            }
            storePage(page, std::move(r.rows));
        });
}

void GalleryModel::storePage(int page, std::vector<catalog::ImageRow> rows)
{
    ++m_pagesFetched;
    // Keep memory bounded however far the view scrolls: drop the least recently used pages.
    while (m_pages.size() >= kMaxCachedPages) {
        auto oldest = std::min_element(m_pages.begin(), m_pages.end(),
                                       [](const Page& a, const Page& b) { return a.lastUse < b.lastUse; });
        m_pages.erase(oldest);
    }
    const int first = page * kPageSize;
    const int last = std::min(m_count, first + static_cast<int>(rows.size())) - 1;
    m_pages.insert(page, Page{std::move(rows), ++m_useClock});
    if (last >= first)
        Q_EMIT dataChanged(index(first), index(last));
}

QVariant GalleryModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_count)
        return {};
    const catalog::ImageRow* r = cachedRow(index.row());
    if (!r) {
        // Not in memory: fetch its page; the view repaints on dataChanged.
        const_cast<GalleryModel*>(this)->requestPage(index.row() / kPageSize);
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
    case Qt::DecorationRole: {
        if (const QPixmap* pixmap = m_thumbnails.object(r->id))
            return *pixmap;
        const_cast<GalleryModel*>(this)->requestThumbnail(r->id, text(r->path));
        return placeholder();
    }
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
    const catalog::ImageRow* r = cachedRow(row);
    if (!r || r->favourite == favourite)
        return;
    const_cast<catalog::ImageRow*>(r)->favourite = favourite;
    Q_EMIT dataChanged(index(row), index(row), {FavouriteRole});
    const qint64 id = r->id;
    const QString path = m_catalogPath;
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

void GalleryModel::requestThumbnail(qint64 id, const QString& path)
{
    if (m_thumbnailsWanted.contains(id))
        return;
    m_thumbnailsWanted.insert(id);
    m_thumbnailQueue.append({id, path});
    // Scrolling fast asks for many rows that are gone again; only the latest ones matter.
    constexpr int kMaxQueued = 256;
    while (m_thumbnailQueue.size() > kMaxQueued)
        m_thumbnailsWanted.remove(m_thumbnailQueue.takeFirst().first);
    startThumbnails();
}

void GalleryModel::startThumbnails()
{
    while (m_thumbnailsInFlight < kMaxThumbnailsInFlight && !m_thumbnailQueue.isEmpty()) {
        const auto [id, path] = m_thumbnailQueue.takeLast(); // newest request = what is on screen now
        ++m_thumbnailsInFlight;
        runAsync(
            &m_thumbnailPool, this,
            [path = path]() {
                QImageReader reader(path);
                reader.setAutoTransform(true);
                const QSize size = reader.size();
                if (size.isValid() && (size.width() > kThumbnailSize || size.height() > kThumbnailSize))
                    reader.setScaledSize(size.scaled(kThumbnailSize, kThumbnailSize, Qt::KeepAspectRatio));
                QImage image = reader.read();
                if (!image.isNull() && (image.width() > kThumbnailSize || image.height() > kThumbnailSize))
                    image = image.scaled(kThumbnailSize, kThumbnailSize, Qt::KeepAspectRatio, Qt::SmoothTransformation);
                return image;
            },
            [this, id = id](const QImage& image) {
                --m_thumbnailsInFlight;
                m_thumbnailsWanted.remove(id);
                // A missing or unreadable file keeps the placeholder (cached, so it is not retried
                // on every repaint).
                auto* pixmap = new QPixmap(image.isNull() ? placeholder() : QPixmap::fromImage(image));
                const int cost = std::max(1, pixmap->width() * pixmap->height() * 4 / 1024);
                m_thumbnails.insert(id, pixmap, cost);
                const int row = rowOfImage(id);
                if (row >= 0)
                    Q_EMIT dataChanged(index(row), index(row), {Qt::DecorationRole});
                startThumbnails();
            });
    }
}

QPixmap GalleryModel::placeholder() const
{
    if (m_placeholder.isNull()) {
        m_placeholder = QPixmap(kThumbnailSize, kThumbnailSize);
        m_placeholder.fill(QColor(128, 128, 128, 60));
    }
    return m_placeholder;
}

} // namespace easel::app
