#pragma once
/// A flat list of model files (checkpoints, VAEs, …) for pickers: name, path, family and whether the
/// engine has it loaded. Filled from a list (folder scan or catalog query) by its owner. GUI thread.

#include <QAbstractListModel>
#include <QString>
#include <QVector>

namespace easel::app {

struct ModelEntry {
    QString name;       ///< display name, A1111 "Model" (file stem)
    QString path;       ///< absolute file path (or catalog name when no file is known)
    QString family;     ///< "SD1", "SD2", "SDXL", … ("" = unknown)
    QString hash;       ///< short hash (AutoV2) when known
    bool loaded = false;
};

class ModelListModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { NameRole = Qt::UserRole + 1, PathRole, FamilyRole, HashRole, LoadedRole };

    explicit ModelListModel(QObject* parent = nullptr);

    void setEntries(QVector<ModelEntry> entries);
    const QVector<ModelEntry>& entries() const { return m_entries; }
    /// Marks the entry with `path` loaded (and every other one not loaded).
    void setLoadedPath(const QString& path);

    /// Row of the entry a request or infotext names: by path, by name or file stem (ignoring case),
    /// or by hash; -1 when none.
    int findModel(const QString& nameOrPath) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    QVector<ModelEntry> m_entries;
};

} // namespace easel::app
