#pragma once
/// The gallery as an item model over the catalog's images, for a virtualised grid: it knows only
/// the row count up front, fetches rows a page at a time on the catalog pool when a view asks for
/// them (keeping a few pages, least recently used dropped), and loads thumbnails lazily on its own
/// pool (newest requests first, a bounded number in flight), caching QPixmaps. Filters: prompt
/// text (FTS5) and favourites. GUI thread.

#include <QAbstractListModel>
#include <QCache>
#include <QHash>
#include <QList>
#include <QPixmap>
#include <QSet>
#include <QString>
#include <QThreadPool>

#include <optional>
#include <vector>

#include "engine/catalog/gallery.h"

namespace easel::app {

class GalleryModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        ImageIdRole = Qt::UserRole + 1,
        PathRole,
        PromptRole,
        NegativePromptRole,
        ParamsJsonRole,
        SeedRole,
        SizeRole,
        ModelNameRole,
        FavouriteRole,
        CreatedAtRole,
        LoadedRole, ///< false while the row's page is being fetched
    };
    static constexpr int kPageSize = 128;
    static constexpr int kMaxCachedPages = 12;
    static constexpr int kThumbnailSize = 128;
    static constexpr int kMaxThumbnailsInFlight = 4;

    explicit GalleryModel(QObject* parent = nullptr);
    ~GalleryModel() override;

    /// The catalog file; "" shows nothing. Starts a refresh.
    void setCatalogPath(const QString& path);
    QString catalogPath() const { return m_catalogPath; }
    void setSearchText(const QString& text);
    QString searchText() const { return m_searchText; }
    void setFavouritesOnly(bool on);
    bool favouritesOnly() const { return m_favouritesOnly; }
    /// Counts again and drops the cached rows (after images were added or deleted). Asynchronous:
    /// refreshed() follows.
    void refresh();
    /// The count for the current filter has arrived (false while the first refresh runs).
    bool isReady() const { return m_ready; }

    /// The row's image when its page is loaded.
    std::optional<catalog::ImageRow> imageAt(int row) const;
    /// Row of a loaded image, -1 when its page is not in memory.
    int rowOfImage(qint64 imageId) const;
    /// Marks an image favourite (shown at once, written on the catalog pool).
    void setFavourite(int row, bool favourite);

    /// Rows held in memory now, and pages fetched since the last refresh (virtualisation checks).
    int cachedRowCount() const;
    int pagesFetched() const { return m_pagesFetched; }
    int thumbnailsCached() const { return m_thumbnails.count(); }

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    /// The count for the current filter is known and the first page is in.
    void refreshed();
    /// A catalog query failed (message for a notice).
    void failed(const QString& message);

private:
    struct Page {
        std::vector<catalog::ImageRow> rows;
        quint64 lastUse = 0;
    };
    catalog::ImageQuery query() const;
    const catalog::ImageRow* cachedRow(int row) const;
    void requestPage(int page);
    void storePage(int page, std::vector<catalog::ImageRow> rows);
    void requestThumbnail(qint64 id, const QString& path);
    void startThumbnails();
    QPixmap placeholder() const;

    QString m_catalogPath;
    QString m_searchText;
    bool m_favouritesOnly = false;
    bool m_ready = false;
    int m_count = 0;
    quint64 m_epoch = 0;       ///< bumped per refresh: results of older queries are dropped
    int m_pagesFetched = 0;
    mutable quint64 m_useClock = 0;
    mutable QHash<int, Page> m_pages;
    QSet<int> m_pendingPages;

    QThreadPool m_thumbnailPool;
    QCache<qint64, QPixmap> m_thumbnails;
    QList<QPair<qint64, QString>> m_thumbnailQueue; ///< newest last
    QSet<qint64> m_thumbnailsWanted;
    int m_thumbnailsInFlight = 0;
    mutable QPixmap m_placeholder;
};

} // namespace easel::app
