#include "app/model_list_model.h"

#include <QFileInfo>
#include <QFont>

namespace easel::app {

ModelListModel::ModelListModel(QObject* parent)
    : QAbstractListModel(parent)
{
}

void ModelListModel::setEntries(QVector<ModelEntry> entries)
{
    beginResetModel();
    m_entries = std::move(entries);
    endResetModel();
}

void ModelListModel::setLoadedPath(const QString& path)
{
    for (int row = 0; row < m_entries.size(); ++row) {
        const bool loaded = !path.isEmpty() && m_entries[row].path == path;
        if (m_entries[row].loaded != loaded) {
            m_entries[row].loaded = loaded;
            Q_EMIT dataChanged(index(row), index(row));
        }
    }
}

int ModelListModel::findModel(const QString& nameOrPath) const
{
    const QString wanted = nameOrPath.trimmed();
    if (wanted.isEmpty())
        return -1;
    // A1111 writes "Model: name" with the file stem; older infotexts may hold "name [hash]".
    QString bare = wanted;
    QString bracketHash;
    if (bare.endsWith(QLatin1Char(']')) && bare.contains(QLatin1String(" ["))) {
        const qsizetype open = bare.lastIndexOf(QLatin1String(" ["));
        bracketHash = bare.mid(open + 2, bare.size() - open - 3);
        bare = bare.left(open);
    }
    const QString stem = QFileInfo(bare).completeBaseName();
    for (int row = 0; row < m_entries.size(); ++row)
        if (m_entries[row].path == wanted)
            return row;
    for (int row = 0; row < m_entries.size(); ++row) {
        const ModelEntry& e = m_entries[row];
        if (e.name.compare(bare, Qt::CaseInsensitive) == 0 || e.name.compare(stem, Qt::CaseInsensitive) == 0
            || QFileInfo(e.path).completeBaseName().compare(stem, Qt::CaseInsensitive) == 0)
            return row;
    }
    for (int row = 0; row < m_entries.size(); ++row) {
        const QString& hash = m_entries[row].hash;
        if (!hash.isEmpty() && (hash.compare(wanted, Qt::CaseInsensitive) == 0
                                || (!bracketHash.isEmpty() && hash.startsWith(bracketHash, Qt::CaseInsensitive))))
            return row;
    }
    return -1;
}

int ModelListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_entries.size()); }

QVariant ModelListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ModelEntry& e = m_entries[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        return e.family.isEmpty() ? e.name : QStringLiteral("%1  [%2]").arg(e.name, e.family);
    case Qt::EditRole:
    case NameRole:
        return e.name;
    case Qt::ToolTipRole:
        return e.loaded ? tr("%1\nLoaded").arg(e.path) : e.path;
    case Qt::FontRole:
        if (e.loaded) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case PathRole:
        return e.path;
    case FamilyRole:
        return e.family;
    case HashRole:
        return e.hash;
    case LoadedRole:
        return e.loaded;
    default:
        return {};
    }
}

QHash<int, QByteArray> ModelListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(NameRole, "name");
    names.insert(PathRole, "path");
    names.insert(FamilyRole, "family");
    names.insert(HashRole, "hash");
    names.insert(LoadedRole, "loaded");
    return names;
}

} // namespace easel::app
