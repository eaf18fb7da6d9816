#include "app/model_library_model.h"

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
    std::vector<catalog::ModelRow> rows;
    qint64 count = -1; ///< filled when the count was asked for
    QString error;
};

QString text(const std::string& s) { return QString::fromStdString(s); }

QString knownFamily(const std::string& family)
{
    const QString f = text(family);
    return f == QLatin1String("unknown") ? QString() : f;
}

} // namespace

ModelLibraryModel::ModelLibraryModel(QObject* parent)
    : QAbstractListModel(parent)
{
    m_previewPool.setMaxThreadCount(2);
    m_previews.setMaxCost(48 * 1024); // KiB: ~1000 previews of 112x112
}

ModelLibraryModel::~ModelLibraryModel()
{
    // Pending loads only read files; their results go to watchers that die with this model.
    m_previewPool.clear();
    m_previewPool.waitForDone();
}

void ModelLibraryModel::setCatalogPath(const QString& path)
{
    m_catalogPath = path;
    refresh();
}

void ModelLibraryModel::setKind(const QString& kind)
{
    if (kind == m_kind)
        return;
    m_kind = kind;
    refresh();
}

void ModelLibraryModel::setSearchText(const QString& text)
{
    if (text == m_searchText)
        return;
    m_searchText = text;
    refresh();
}

void ModelLibraryModel::setCheckpointFamily(const QString& family)
{
    if (family == m_checkpointFamily)
        return;
    m_checkpointFamily = family;
    if (m_familyFilter)
        refresh();
    else if (m_count > 0)
        Q_EMIT dataChanged(index(0), index(m_count - 1), {CompatibleRole, Qt::ToolTipRole});
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
    q.text = m_searchText.toStdString();
    q.kind = m_kind.toStdString();
    if (m_familyFilter)
        q.family = m_checkpointFamily.toStdString();
    q.sort = m_searchText.trimmed().isEmpty() ? catalog::ModelSort::Name : catalog::ModelSort::Relevance;
    q.limit = kPageSize;
    return q;
}

void ModelLibraryModel::refresh()
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
    const catalog::ModelQuery q = query();
    runAsync(
        catalogPool(), this,
        [path, q]() {
            PageResult r;
            try {
                catalog::ModelLibrary library(threadCatalog(path));
                r.count = library.count(q);
                r.rows = library.search(q);
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

int ModelLibraryModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : m_count; }

const catalog::ModelRow* ModelLibraryModel::cachedRow(int row) const
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

std::optional<catalog::ModelRow> ModelLibraryModel::modelAt(int row) const
{
    const catalog::ModelRow* r = cachedRow(row);
    return r ? std::optional<catalog::ModelRow>(*r) : std::nullopt;
}

int ModelLibraryModel::rowOfModel(qint64 id) const
{
    for (auto it = m_pages.cbegin(); it != m_pages.cend(); ++it)
        for (size_t i = 0; i < it->rows.size(); ++i)
            if (it->rows[i].id == id)
                return it.key() * kPageSize + static_cast<int>(i);
    return -1;
}

int ModelLibraryModel::cachedRowCount() const
{
    int n = 0;
    for (const Page& p : m_pages)
        n += static_cast<int>(p.rows.size());
    return n;
}

void ModelLibraryModel::requestPage(int page)
{
    if (m_pendingPages.contains(page) || m_catalogPath.isEmpty())
        return;
    m_pendingPages.insert(page);
    const quint64 epoch = m_epoch;
    const QString path = m_catalogPath;
    catalog::ModelQuery q = query();
    q.offset = page * kPageSize;
    runAsync(
        catalogPool(), this,
        [path, q]() {
            PageResult r;
            try {
                r.rows = catalog::ModelLibrary(threadCatalog(path)).search(q);
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

void ModelLibraryModel::storePage(int page, std::vector<catalog::ModelRow> rows)
{
    ++m_pagesFetched;
    // Memory stays bounded however far the grid scrolls: drop the least recently used pages.
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
    if (!index.isValid() || index.row() >= m_count)
        return {};
    const catalog::ModelRow* r = cachedRow(index.row());
    if (!r) {
        // Not in memory: fetch its page; the view repaints on dataChanged.
        const_cast<ModelLibraryModel*>(this)->requestPage(index.row() / kPageSize);
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
        if (const QPixmap* pixmap = m_previews.object(r->id))
            return *pixmap;
        const_cast<ModelLibraryModel*>(this)->requestPreview(r->id, text(r->previewPath));
        return placeholder();
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

void ModelLibraryModel::requestPreview(qint64 id, const QString& path)
{
    if (m_previewsWanted.contains(id))
        return;
    m_previewsWanted.insert(id);
    m_previewQueue.append({id, path});
    // Scrolling fast asks for many rows that are gone again; only the latest ones matter.
    constexpr int kMaxQueued = 256;
    while (m_previewQueue.size() > kMaxQueued)
        m_previewsWanted.remove(m_previewQueue.takeFirst().first);
    startPreviews();
}

void ModelLibraryModel::startPreviews()
{
    while (m_previewsInFlight < kMaxPreviewsInFlight && !m_previewQueue.isEmpty()) {
        const auto [id, path] = m_previewQueue.takeLast(); // newest request = what is on screen now
        ++m_previewsInFlight;
        runAsync(
            &m_previewPool, this,
            [path = path]() {
                QImageReader reader(path);
                reader.setAutoTransform(true);
                const QSize size = reader.size();
                if (size.isValid() && (size.width() > kPreviewSize || size.height() > kPreviewSize))
                    reader.setScaledSize(size.scaled(kPreviewSize, kPreviewSize, Qt::KeepAspectRatio));
                QImage image = reader.read();
                if (!image.isNull() && (image.width() > kPreviewSize || image.height() > kPreviewSize))
                    image = image.scaled(kPreviewSize, kPreviewSize, Qt::KeepAspectRatio, Qt::SmoothTransformation);
                return image;
            },
            [this, id = id](const QImage& image) {
                --m_previewsInFlight;
                m_previewsWanted.remove(id);
                // Unreadable previews keep the placeholder (cached: not retried on every repaint).
                auto* pixmap = new QPixmap(image.isNull() ? placeholder() : QPixmap::fromImage(image));
                const int cost = std::max(1, pixmap->width() * pixmap->height() * 4 / 1024);
                m_previews.insert(id, pixmap, cost);
                const int row = rowOfModel(id);
                if (row >= 0)
                    Q_EMIT dataChanged(index(row), index(row), {Qt::DecorationRole});
                startPreviews();
            });
    }
}

QPixmap ModelLibraryModel::placeholder() const
{
    if (m_placeholder.isNull()) {
        m_placeholder = QPixmap(kPreviewSize, kPreviewSize);
        m_placeholder.fill(QColor(128, 128, 128, 60));
    }
    return m_placeholder;
}

} // namespace easel::app
