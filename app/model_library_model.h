#pragma once
/// Models of one kind (LoRAs, embeddings, checkpoints) from the catalog as an item model for a
/// virtualised card grid. Paging and the lazy preview sidecars are PagedCatalogModel's. Search is
/// the catalog's FTS5 (every word a prefix). Rows trained for another family than the current checkpoint's are disabled (greyed)
/// with the reason as tooltip, or hidden with the family filter. GUI thread.

#include <QHash>
#include <QString>

#include <optional>

#include "app/paged_catalog_model.h"
#include "engine/catalog/model_library.h"

namespace easel::app {

using ModelLibraryModelBase = PagedCatalogModel<catalog::ModelLibrary, catalog::ModelRow, catalog::ModelQuery>;

class ModelLibraryModel : public ModelLibraryModelBase {
    Q_OBJECT
public:
    enum Role {
        ModelIdRole = Qt::UserRole + 1,
        NameRole,       ///< file stem: the name `<lora:name>` uses
        PathRole,
        FamilyRole,     ///< "SD1", "SDXL", … ("" = unknown)
        TriggerWordsRole,
        PreferredWeightRole, ///< name.json "preferred weight", 1 when unset
        CompatibleRole,
        LoadedRole,     ///< false while the row's page is being fetched
    };
    static constexpr int kPageSize = 100;
    static constexpr int kMaxCachedPages = 12;
    static constexpr int kPreviewSize = 112;
    static constexpr int kMaxPreviewsInFlight = 4;

    explicit ModelLibraryModel(QObject* parent = nullptr);

    // Catalog path, search text, refresh(), isReady(), cachedRowCount(), pagesFetched(),
    // refreshed() and failed(): PagedCatalogModel.
    /// Catalog kind shown ("lora", "embedding", "checkpoint").
    void setKind(const QString& kind);
    QString kind() const { return m_kind; }
    /// The current checkpoint's family ("" = unknown: everything counts as compatible).
    void setCheckpointFamily(const QString& family);
    QString checkpointFamily() const { return m_checkpointFamily; }
    /// When on (and the family is known), only rows of the checkpoint's family are listed.
    void setFamilyFilter(bool on);
    bool familyFilter() const { return m_familyFilter; }

    std::optional<catalog::ModelRow> modelAt(int row) const { return rowAt(row); }

    /// Why `family` cannot be used with `checkpointFamily` ("" when it can, or either is unknown).
    static QString incompatibility(const QString& family, const QString& checkpointFamily);
    /// What to insert as trigger words: name.json activation text, else civitai trained words,
    /// else the most frequent kohya training tags.
    static QString triggerWords(const catalog::ModelRow& row);

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    catalog::ModelQuery query() const override;

    QString m_kind = QStringLiteral("lora");
    QString m_checkpointFamily;
    bool m_familyFilter = false;
};

} // namespace easel::app
