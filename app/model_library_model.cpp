#include "app/model_library_model.h"

#include <QSize>

namespace easel::app {

namespace {

QString text(const std::string& s) { return QString::fromStdString(s); }

QString knownFamily(const std::string& family)
{
    const QString f = text(family);
    return f == QLatin1String("unknown") ? QString() : f;
}

} // namespace

ModelLibraryModel::ModelLibraryModel(QObject* parent)
    : ModelLibraryModelBase(kPageSize, kMaxCachedPages,
                            // 48 MiB: ~1000 previews of 112x112
                            ThumbnailLimits{kPreviewSize, kMaxPreviewsInFlight, 48 * 1024}, parent)
{
}

void ModelLibraryModel::setKind(const QString& kind)
{
    if (kind == m_kind)
        return;
    m_kind = kind;
    refresh();
}

void ModelLibraryModel::setCheckpointFamily(const QString& family)
{
    if (family == m_checkpointFamily)
        return;
    m_checkpointFamily = family;
    if (m_familyFilter)
        refresh();
    else if (rowCount() > 0)
        Q_EMIT dataChanged(index(0), index(rowCount() - 1), {CompatibleRole, Qt::ToolTipRole});
}

void ModelLibraryModel::setFamilyFilter(bool on)
{
    if (on == m_familyFilter)
        return;
    m_familyFilter = on;
    refresh();
}

QString ModelLibraryModel::incompatibility(const QString& family, const QString& checkpointFamily)
{
    if (family.isEmpty() || checkpointFamily.isEmpty() || family == QLatin1String("unknown") ||
        family.compare(checkpointFamily, Qt::CaseInsensitive) == 0)
        return {};
    return tr("Trained for %1; the current checkpoint is %2. Pick a %1 checkpoint to use it.")
        .arg(family, checkpointFamily);
}

QString ModelLibraryModel::triggerWords(const catalog::ModelRow& row)
{
    for (const std::string* s : {&row.activationText, &row.civitaiTrainedWords, &row.triggerWords})
        if (!s->empty())
            return text(*s).trimmed();
    return {};
}

catalog::ModelQuery ModelLibraryModel::query() const
{
    catalog::ModelQuery q;
    q.text = searchText().toStdString();
    q.kind = m_kind.toStdString();
    if (m_familyFilter)
        q.family = m_checkpointFamily.toStdString();
    q.sort = searchText().trimmed().isEmpty() ? catalog::ModelSort::Name : catalog::ModelSort::Relevance;
    return q;
}

Qt::ItemFlags ModelLibraryModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    const catalog::ModelRow* r = cachedRow(index.row());
    if (r && !incompatibility(knownFamily(r->family), m_checkpointFamily).isEmpty())
        return Qt::ItemNeverHasChildren; // greyed: not selectable, not clickable
    return QAbstractListModel::flags(index) | Qt::ItemNeverHasChildren;
}

QVariant ModelLibraryModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const catalog::ModelRow* r = cachedRow(index.row());
    if (!r) {
        // Not in memory: fetch its page; the view repaints on dataChanged.
        const_cast<ModelLibraryModel*>(this)->requestRow(index.row());
        switch (role) {
        case Qt::DecorationRole: return placeholder();
        case LoadedRole: return false;
        default: return {};
        }
    }
    const QString family = knownFamily(r->family);
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return text(r->name);
    case Qt::ToolTipRole: {
        const QString reason = incompatibility(family, m_checkpointFamily);
        if (!reason.isEmpty())
            return reason;
        const QString words = triggerWords(*r);
        return words.isEmpty() ? text(r->path) : text(r->path) + QLatin1Char('\n') + words;
    }
    case Qt::DecorationRole: {
        if (r->previewPath.empty())
            return placeholder();
        return thumbnail(r->id, text(r->previewPath));
    }
    case ModelIdRole: return QVariant::fromValue<qint64>(r->id);
    case PathRole: return text(r->path);
    case FamilyRole: return family;
    case TriggerWordsRole: return triggerWords(*r);
    case PreferredWeightRole:
        return r->preferredWeight && *r->preferredWeight != 0 ? *r->preferredWeight : 1.0; // A1111: 0 = unset
    case CompatibleRole: return incompatibility(family, m_checkpointFamily).isEmpty();
    case LoadedRole: return true;
    default: return {};
    }
}

QHash<int, QByteArray> ModelLibraryModel::roleNames() const
{
    auto names = QAbstractListModel::roleNames();
    names[ModelIdRole] = "modelId";
    names[NameRole] = "name";
    names[PathRole] = "path";
    names[FamilyRole] = "family";
    names[TriggerWordsRole] = "triggerWords";
    names[PreferredWeightRole] = "preferredWeight";
    names[CompatibleRole] = "compatible";
    names[LoadedRole] = "loaded";
    return names;
}

} // namespace easel::app
