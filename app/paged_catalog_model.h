#pragma once
/// The paging both catalog list models share (GalleryModel, ModelLibraryModel): the model knows
/// only the row count up front and fetches rows a page at a time on the catalog pool when a view
/// asks for them, keeping a few pages (least recently used dropped), so a grid over 100 000 rows
/// stays virtualised. A change of catalog, search text or any other part of the query refreshes:
/// the count is asked again, the cached rows are dropped and the results of older queries are
/// ignored. Thumbnails (gallery images, model previews) load lazily on the model's own pool,
/// newest request first, a bounded number in flight, cached as QPixmaps. GUI thread.
///
/// PagedCatalogModelBase holds what needs no row type (signals, catalog path, search text,
/// thumbnails); PagedCatalogModel<Source, Row, Query> adds the pages of `Row` that
/// `Source(threadCatalog(path)).count(query)` / `.search(query)` return. A derived model supplies
/// query() (its filter; limit and offset are set here) and its own roles in data().

#include <QAbstractListModel>
#include <QCache>
#include <QHash>
#include <QList>
#include <QPair>
#include <QPixmap>
#include <QSet>
#include <QString>
#include <QThreadPool>

#include <algorithm>
#include <exception>
#include <optional>
#include <utility>
#include <vector>

#include "app/async.h"
#include "app/catalog_access.h"

namespace easel::app {

class PagedCatalogModelBase : public QAbstractListModel {
    Q_OBJECT
public:
    ~PagedCatalogModelBase() override;

    /// The catalog file; "" shows nothing. Starts a refresh.
    void setCatalogPath(const QString& path);
    QString catalogPath() const { return m_catalogPath; }
    /// FTS5 search text of the query; a change refreshes.
    void setSearchText(const QString& text);
    QString searchText() const { return m_searchText; }
    /// Counts again and drops the cached rows (after rows were added or deleted). Asynchronous:
    /// refreshed() follows.
    virtual void refresh() = 0;

    int thumbnailsCached() const { return m_thumbnails.count(); }

Q_SIGNALS:
    /// The count for the current query is known and the first page is in.
    void refreshed();
    /// A catalog query failed (message for a notice).
    void failed(const QString& message);

protected:
    struct ThumbnailLimits {
        int size = 128;          ///< longest side in pixels
        int maxInFlight = 4;     ///< loads running at once
        int cacheKiB = 64 * 1024;
    };
    PagedCatalogModelBase(const ThumbnailLimits& thumbnails, QObject* parent);

    /// The cached thumbnail of the file at `path` for row id `id`, else the placeholder while it
    /// loads (dataChanged(DecorationRole) for its row follows). Unreadable files keep the
    /// placeholder.
    QPixmap thumbnail(qint64 id, const QString& path) const;
    QPixmap placeholder() const;
    int thumbnailSize() const { return m_thumbnailLimits.size; }
    /// Row of a loaded row id, -1 when its page is not in memory.
    virtual int rowOfId(qint64 id) const = 0;

private:
    void requestThumbnail(qint64 id, const QString& path);
    void startThumbnails();

    QString m_catalogPath;
    QString m_searchText;

    ThumbnailLimits m_thumbnailLimits;
    QThreadPool m_thumbnailPool;
    QCache<qint64, QPixmap> m_thumbnails;
    QList<QPair<qint64, QString>> m_thumbnailQueue; ///< newest last
    QSet<qint64> m_thumbnailsWanted;
    int m_thumbnailsInFlight = 0;
    mutable QPixmap m_placeholder;
};

template <class Source, class Row, class Query>
class PagedCatalogModel : public PagedCatalogModelBase {
public:
    void refresh() override;
    /// The count for the current query has arrived (false while the first refresh runs).
    bool isReady() const { return m_ready; }
    /// Rows held in memory now, and pages fetched since the last refresh (virtualisation checks).
    int cachedRowCount() const;
    int pagesFetched() const { return m_pagesFetched; }

    int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : m_count; }

protected:
    PagedCatalogModel(int pageSize, int maxCachedPages, const ThumbnailLimits& thumbnails, QObject* parent)
        : PagedCatalogModelBase(thumbnails, parent)
        , m_pageSize(pageSize)
        , m_maxCachedPages(maxCachedPages)
    {
    }

    /// The derived model's filter and order; limit and offset are filled in here.
    virtual Query query() const = 0;

    /// The row when its page is in memory (marks the page as used), else nullptr.
    const Row* cachedRow(int row) const;
    Row* cachedRow(int row) { return const_cast<Row*>(std::as_const(*this).cachedRow(row)); }
    std::optional<Row> rowAt(int row) const
    {
        const Row* r = cachedRow(row);
        return r ? std::optional<Row>(*r) : std::nullopt;
    }
    /// For a row that is not in memory: fetches its page (once); dataChanged follows.
    void requestRow(int row) { requestPage(row / m_pageSize); }
    int rowOfId(qint64 id) const override;

private:
    struct Page {
        std::vector<Row> rows;
        quint64 lastUse = 0;
    };
    struct PageResult {
        std::vector<Row> rows;
        qint64 count = -1; ///< filled when the count was asked for
        QString error;
    };
    void requestPage(int page);
    void storePage(int page, std::vector<Row> rows);

    const int m_pageSize;
    const int m_maxCachedPages;
    bool m_ready = false;
    int m_count = 0;
    quint64 m_epoch = 0; ///< bumped per refresh: results of older queries are dropped
    int m_pagesFetched = 0;
    mutable quint64 m_useClock = 0;
    mutable QHash<int, Page> m_pages;
    QSet<int> m_pendingPages;
};

template <class Source, class Row, class Query>
void PagedCatalogModel<Source, Row, Query>::refresh()
{
    const quint64 epoch = ++m_epoch;
    m_pendingPages.clear();
    if (catalogPath().isEmpty()) {
        beginResetModel();
        m_count = 0;
        m_pages.clear();
        endResetModel();
        m_ready = true;
        Q_EMIT refreshed();
        return;
    }
    const QString path = catalogPath();
    Query q = query();
    q.limit = m_pageSize;
    runAsync(
        catalogPool(), this,
        [path, q]() {
            PageResult r;
            try {
                Source source(threadCatalog(path));
                r.count = source.count(q);
                r.rows = source.search(q);
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

template <class Source, class Row, class Query>
const Row* PagedCatalogModel<Source, Row, Query>::cachedRow(int row) const
{
    if (row < 0 || row >= m_count)
        return nullptr;
    auto it = m_pages.find(row / m_pageSize);
    if (it == m_pages.end())
        return nullptr;
    const int offset = row % m_pageSize;
    if (offset >= static_cast<int>(it->rows.size()))
        return nullptr;
    it->lastUse = ++m_useClock;
    return &it->rows[static_cast<size_t>(offset)];
}

template <class Source, class Row, class Query>
int PagedCatalogModel<Source, Row, Query>::rowOfId(qint64 id) const
{
    for (auto it = m_pages.cbegin(); it != m_pages.cend(); ++it)
        for (size_t i = 0; i < it->rows.size(); ++i)
            if (it->rows[i].id == id)
                return it.key() * m_pageSize + static_cast<int>(i);
    return -1;
}

template <class Source, class Row, class Query>
int PagedCatalogModel<Source, Row, Query>::cachedRowCount() const
{
    int n = 0;
    for (const Page& p : m_pages)
        n += static_cast<int>(p.rows.size());
    return n;
}

template <class Source, class Row, class Query>
void PagedCatalogModel<Source, Row, Query>::requestPage(int page)
{
    if (m_pendingPages.contains(page) || catalogPath().isEmpty())
        return;
    m_pendingPages.insert(page);
    const quint64 epoch = m_epoch;
    const QString path = catalogPath();
    Query q = query();
    q.limit = m_pageSize;
    q.offset = page * m_pageSize;
    runAsync(
        catalogPool(), this,
        [path, q]() {
            PageResult r;
            try {
                r.rows = Source(threadCatalog(path)).search(q);
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

template <class Source, class Row, class Query>
void PagedCatalogModel<Source, Row, Query>::storePage(int page, std::vector<Row> rows)
{
    ++m_pagesFetched;
    // Memory stays bounded however far the view scrolls: drop the least recently used pages.
    while (m_pages.size() >= m_maxCachedPages) {
        auto oldest = std::min_element(m_pages.begin(), m_pages.end(),
                                       [](const Page& a, const Page& b) { return a.lastUse < b.lastUse; });
        m_pages.erase(oldest);
    }
    const int first = page * m_pageSize;
    const int last = std::min(m_count, first + static_cast<int>(rows.size())) - 1;
    m_pages.insert(page, Page{std::move(rows), ++m_useClock});
    if (last >= first)
        Q_EMIT dataChanged(index(first), index(last));
}

} // namespace easel::app
