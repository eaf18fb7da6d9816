#include "app/paged_catalog_model.h"

#include <QColor>
#include <QImage>
#include <QImageReader>
#include <QSize>

namespace easel::app {

PagedCatalogModelBase::PagedCatalogModelBase(const ThumbnailLimits& thumbnails, QObject* parent)
    : QAbstractListModel(parent)
    , m_thumbnailLimits(thumbnails)
{
    m_thumbnailPool.setMaxThreadCount(2);
    m_thumbnails.setMaxCost(thumbnails.cacheKiB);
}

PagedCatalogModelBase::~PagedCatalogModelBase()
{
    // Pending loads only read files; their results go to watchers that die with this model.
    m_thumbnailPool.clear();
    m_thumbnailPool.waitForDone();
}

void PagedCatalogModelBase::setCatalogPath(const QString& path)
{
    m_catalogPath = path;
    refresh();
}

void PagedCatalogModelBase::setSearchText(const QString& text)
{
    if (text == m_searchText)
        return;
    m_searchText = text;
    refresh();
}

QPixmap PagedCatalogModelBase::thumbnail(qint64 id, const QString& path) const
{
    if (const QPixmap* pixmap = m_thumbnails.object(id))
        return *pixmap;
    const_cast<PagedCatalogModelBase*>(this)->requestThumbnail(id, path);
    return placeholder();
}

void PagedCatalogModelBase::requestThumbnail(qint64 id, const QString& path)
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

void PagedCatalogModelBase::startThumbnails()
{
    while (m_thumbnailsInFlight < m_thumbnailLimits.maxInFlight && !m_thumbnailQueue.isEmpty()) {
        const auto [id, path] = m_thumbnailQueue.takeLast(); // newest request = what is on screen now
        ++m_thumbnailsInFlight;
        runAsync(
            &m_thumbnailPool, this,
            [path = path, side = m_thumbnailLimits.size]() {
                QImageReader reader(path);
                reader.setAutoTransform(true);
                const QSize size = reader.size();
                if (size.isValid() && (size.width() > side || size.height() > side))
                    reader.setScaledSize(size.scaled(side, side, Qt::KeepAspectRatio));
                QImage image = reader.read();
                if (!image.isNull() && (image.width() > side || image.height() > side))
                    image = image.scaled(side, side, Qt::KeepAspectRatio, Qt::SmoothTransformation);
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
                const int row = rowOfId(id);
                if (row >= 0)
                    Q_EMIT dataChanged(index(row), index(row), {Qt::DecorationRole});
                startThumbnails();
            });
    }
}

QPixmap PagedCatalogModelBase::placeholder() const
{
    if (m_placeholder.isNull()) {
        m_placeholder = QPixmap(m_thumbnailLimits.size, m_thumbnailLimits.size);
        m_placeholder.fill(QColor(128, 128, 128, 60));
    }
    return m_placeholder;
}

} // namespace easel::app
