#pragma once
/// The gallery as an item model over the catalog's images, for a virtualised grid. Paging and the
/// lazy thumbnails are PagedCatalogModel's; this adds the image roles and the filters: prompt text
/// (FTS5) and favourites. GUI thread.

#include <QHash>
#include <QString>

#include <optional>

#include "app/paged_catalog_model.h"
#include "engine/catalog/gallery.h"

namespace easel::app {

using GalleryModelBase = PagedCatalogModel<catalog::Gallery, catalog::ImageRow, catalog::ImageQuery>;

class GalleryModel : public GalleryModelBase {
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

    // Catalog path, search text, refresh(), isReady(), cachedRowCount(), pagesFetched(),
    // thumbnailsCached(), refreshed() and failed(): PagedCatalogModel.
    void setFavouritesOnly(bool on);
    bool favouritesOnly() const { return m_favouritesOnly; }

    /// The row's image when its page is loaded.
    std::optional<catalog::ImageRow> imageAt(int row) const { return rowAt(row); }
    /// Row of a loaded image, -1 when its page is not in memory.
    int rowOfImage(qint64 imageId) const { return rowOfId(imageId); }
    /// Marks an image favourite (shown at once, written on the catalog pool).
    void setFavourite(int row, bool favourite);

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    catalog::ImageQuery query() const override;

    bool m_favouritesOnly = false;
};

} // namespace easel::app
