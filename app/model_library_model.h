#pragma once
/// Models of one kind (LoRAs, embeddings, checkpoints) from the catalog as an item model for a
/// virtualised card grid: it knows only the row count up front, fetches rows a page at a time on
/// the catalog pool when a view asks for them (a few pages kept, least recently used dropped), and
/// loads preview sidecars lazily on its own pool. Search is the catalog's FTS5 (every word a
/// prefix). Rows trained for another family than the current checkpoint's are disabled (greyed)
/// with the reason as tooltip, or hidden with the family filter. GUI thread.

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

#include "engine/catalog/model_library.h"

namespace easel::app {

class ModelLibraryModel : public QAbstractListModel {
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
    ~ModelLibraryModel() override;

    /// The catalog file; "" shows nothing. Starts a refresh.
    void setCatalogPath(const QString& path);
    QString catalogPath() const { return m_catalogPath; }
    /// Catalog kind shown ("lora", "embedding", "checkpoint").
    void setKind(const QString& kind);
    QString kind() const { return m_kind; }
    void setSearchText(const QString& text);
    QString searchText() const { return m_searchText; }
    /// The current checkpoint's family ("" = unknown: everything counts as compatible).
    void setCheckpointFamily(const QString& family);
    QString checkpointFamily() const { return m_checkpointFamily; }
    /// When on (and the family is known), only rows of the checkpoint's family are listed.
    void setFamilyFilter(bool on);
    bool familyFilter() const { return m_familyFilter; }

    /// Counts again and drops cached rows (after a scan). Asynchronous: refreshed() follows.
    void refresh();
    bool isReady() const { return m_ready; }

    std::optional<catalog::ModelRow> modelAt(int row) const;
    int cachedRowCount() const;
    int pagesFetched() const { return m_pagesFetched; }

    /// Why `family` cannot be used with `checkpointFamily` ("" when it can, or either is unknown).
    static QString incompatibility(const QString& family, const QString& checkpointFamily);
    /// What to insert as trigger words: name.json activation text, else civitai trained words,
    /// else the most frequent kohya training tags.
    static QString triggerWords(const catalog::ModelRow& row);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void refreshed();
    void failed(const QString& message);

private:
    struct Page {
        std::vector<catalog::ModelRow> rows;
        quint64 lastUse = 0;
    };
    catalog::ModelQuery query() const;
    const catalog::ModelRow* cachedRow(int row) const;
    void requestPage(int page);
    void storePage(int page, std::vector<catalog::ModelRow> rows);
    void requestPreview(qint64 id, const QString& path);
    void startPreviews();
    int rowOfModel(qint64 id) const;
    QPixmap placeholder() const;

    QString m_catalogPath;
    QString m_kind = QStringLiteral("lora");
    QString m_searchText;
    QString m_checkpointFamily;
    bool m_familyFilter = false;
    bool m_ready = false;
    int m_count = 0;
    quint64 m_epoch = 0; ///< bumped per refresh: results of older queries are dropped
    int m_pagesFetched = 0;
    mutable quint64 m_useClock = 0;
    mutable QHash<int, Page> m_pages;
    QSet<int> m_pendingPages;

    QThreadPool m_previewPool;
    QCache<qint64, QPixmap> m_previews;
    QList<QPair<qint64, QString>> m_previewQueue; ///< newest last
    QSet<qint64> m_previewsWanted;
    int m_previewsInFlight = 0;
    mutable QPixmap m_placeholder;
};

} // namespace easel::app
