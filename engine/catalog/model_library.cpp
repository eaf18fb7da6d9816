#include "engine/catalog/model_library.h"

#include <algorithm>
#include <cctype>

#include "engine/catalog/database.h"
#include "engine/catalog/fts_query.h"

namespace easel::catalog {

namespace {

const char* const kColumns =
    "m.id, m.path, m.root, m.folder, m.name, m.format, m.kind, m.family, m.subtype, m.size_bytes, m.mtime_ns, "
    "m.status, m.status_detail, m.sha256, m.autov2, m.autov3, m.ss_base_model_version, m.ss_output_name, "
    "m.trigger_words, m.resolution, m.network_dim, m.network_alpha, m.preview_path, m.activation_text, "
    "m.preferred_weight, m.sd_version, m.description, m.notes, m.negative_text, m.civitai_name, "
    "m.civitai_trained_words, m.civitai_base_model, m.alias, m.favourite, m.use_count, m.last_used_at, m.added_at";

ModelRow readRow(const Statement& s)
{
    ModelRow r;
    int c = 0;
    r.id = s.int64(c++);
    r.path = s.text(c++);
    r.root = s.text(c++);
    r.folder = s.text(c++);
    r.name = s.text(c++);
    r.format = s.text(c++);
    r.kind = s.text(c++);
    r.family = s.text(c++);
    r.subtype = s.text(c++);
    r.sizeBytes = s.int64(c++);
    r.mtimeNs = s.int64(c++);
    r.status = s.text(c++);
    r.statusDetail = s.text(c++);
    r.sha256 = s.text(c++);
    r.autov2 = s.text(c++);
    r.autov3 = s.text(c++);
    r.baseModel = s.text(c++);
    r.outputName = s.text(c++);
    r.triggerWords = s.text(c++);
    r.resolution = s.text(c++);
    if (!s.isNull(c))
        r.networkDim = s.int64(c);
    ++c;
    if (!s.isNull(c))
        r.networkAlpha = s.real(c);
    ++c;
    r.previewPath = s.text(c++);
    r.activationText = s.text(c++);
    if (!s.isNull(c))
        r.preferredWeight = s.real(c);
    ++c;
    r.sdVersion = s.text(c++);
    r.description = s.text(c++);
    r.notes = s.text(c++);
    r.negativeText = s.text(c++);
    r.civitaiName = s.text(c++);
    r.civitaiTrainedWords = s.text(c++);
    r.civitaiBaseModel = s.text(c++);
    r.alias = s.text(c++);
    r.favourite = s.int64(c++) != 0;
    r.useCount = s.int64(c++);
    if (!s.isNull(c))
        r.lastUsedAt = s.int64(c);
    ++c;
    r.addedAt = s.int64(c++);
    return r;
}

/// FROM/WHERE of a query and the values to bind, in order.
struct Filter {
    std::string sql;
    std::vector<std::string> values;
    bool text = false;
};

Filter buildFilter(const ModelQuery& q)
{
    Filter f;
    const std::string match = ftsMatchExpression(q.text);
    if (!match.empty()) {
        f.text = true;
        // CROSS JOIN keeps the full-text match as the outer loop; otherwise SQLite may walk an index
        // of models (kind, name) and run the match once per row.
        f.sql = " FROM models_fts CROSS JOIN models m ON m.id = models_fts.rowid WHERE models_fts MATCH ?";
        f.values.push_back(match);
    } else {
        f.sql = " FROM models m WHERE 1";
    }
    if (!q.includeMissing)
        f.sql += " AND m.status <> 'missing'";
    if (!q.kind.empty()) {
        f.sql += " AND m.kind = ?";
        f.values.push_back(q.kind);
    }
    if (!q.family.empty()) {
        f.sql += " AND m.family = ?";
        f.values.push_back(q.family);
    }
    if (q.favouritesOnly)
        f.sql += " AND m.favourite <> 0";
    if (!q.tag.empty()) {
        f.sql += " AND m.id IN (SELECT model_id FROM model_tags WHERE tag = ?)";
        f.values.push_back(q.tag);
    }
    return f;
}

std::string orderBy(const ModelQuery& q, bool text)
{
    switch (q.sort) {
    case ModelSort::DateAdded: return " ORDER BY m.added_at DESC, m.id DESC";
    case ModelSort::LastUsed: return " ORDER BY m.last_used_at IS NULL, m.last_used_at DESC, m.name COLLATE NOCASE, m.id";
    case ModelSort::MostUsed: return " ORDER BY m.use_count DESC, m.name COLLATE NOCASE, m.id";
    case ModelSort::Relevance:
        if (text)
            return " ORDER BY models_fts.rank, m.name COLLATE NOCASE, m.id";
        [[fallthrough]];
    case ModelSort::Name: break;
    }
    return " ORDER BY m.name COLLATE NOCASE, m.id";
}

std::string normaliseTag(std::string tag)
{
    const auto notSpace = [](unsigned char c) { return !std::isspace(c); };
    tag.erase(tag.begin(), std::find_if(tag.begin(), tag.end(), notSpace));
    tag.erase(std::find_if(tag.rbegin(), tag.rend(), notSpace).base(), tag.end());
    return tag;
}

} // namespace

ModelLibrary::ModelLibrary(Database& db)
    : m_db(db)
{
}

std::vector<ModelRow> ModelLibrary::search(const ModelQuery& q)
{
    // Two steps: the page's ids in order (the sort touches only the id and the sort key of each
    // match), then the 'limit' rows by primary key.
    const Filter f = buildFilter(q);
    Statement& s = m_db.cached("SELECT m.id" + f.sql + orderBy(q, f.text) + " LIMIT ? OFFSET ?");
    int i = 1;
    for (const auto& v : f.values)
        s.bind(i++, v);
    s.bind(i++, static_cast<int64_t>(std::max(0, q.limit)));
    s.bind(i++, static_cast<int64_t>(std::max(0, q.offset)));
    std::vector<int64_t> ids;
    while (s.step())
        ids.push_back(s.int64(0));
    s.reset();
    std::vector<ModelRow> rows;
    rows.reserve(ids.size());
    Statement& row = m_db.cached(std::string("SELECT ") + kColumns + " FROM models m WHERE m.id = ?");
    for (const int64_t id : ids) {
        row.bind(1, id);
        if (row.step())
            rows.push_back(readRow(row));
        row.reset();
    }
    return rows;
}

int64_t ModelLibrary::count(const ModelQuery& q)
{
    const Filter f = buildFilter(q);
    Statement& s = m_db.cached("SELECT COUNT(*)" + f.sql);
    int i = 1;
    for (const auto& v : f.values)
        s.bind(i++, v);
    const int64_t n = s.step() ? s.int64(0) : 0;
    s.reset();
    return n;
}

std::optional<ModelRow> ModelLibrary::get(int64_t id)
{
    Statement& s = m_db.cached(std::string("SELECT ") + kColumns + " FROM models m WHERE m.id = ?");
    s.bind(1, id);
    std::optional<ModelRow> row;
    if (s.step())
        row = readRow(s);
    s.reset();
    if (row)
        row->tags = tags(id);
    return row;
}

std::string ModelLibrary::metadataJson(int64_t id)
{
    Statement& s = m_db.cached("SELECT json FROM model_metadata WHERE model_id = ?");
    s.bind(1, id);
    std::string json = s.step() ? s.text(0) : std::string("{}");
    s.reset();
    return json;
}

std::optional<ModelRow> ModelLibrary::resolve(const std::string& kind, const std::string& nameOrAlias)
{
    Statement& s = m_db.cached(std::string("SELECT ") + kColumns +
                               " FROM models m WHERE m.kind = ?1 AND (m.name = ?2 COLLATE NOCASE"
                               " OR m.alias = ?2 COLLATE NOCASE OR m.ss_output_name = ?2 COLLATE NOCASE)"
                               " ORDER BY m.status = 'missing', m.name = ?2 COLLATE NOCASE DESC, m.name = ?2 DESC, m.id"
                               " LIMIT 1");
    s.bind(1, kind).bind(2, nameOrAlias);
    std::optional<ModelRow> row;
    if (s.step())
        row = readRow(s);
    s.reset();
    return row;
}

std::optional<ModelRow> ModelLibrary::findByHash(const std::string& hashIn)
{
    std::string hash = hashIn;
    std::transform(hash.begin(), hash.end(), hash.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (hash.size() < 8 || hash.find_first_not_of("0123456789abcdef") != std::string::npos)
        return std::nullopt;
    // Hex digits sort below 'g', so [hash, hash+'g') is every sha256 starting with hash.
    Statement& s = m_db.cached(std::string("SELECT ") + kColumns +
                               " FROM models m WHERE m.autov2 = ?1 OR m.autov3 = ?1 OR (m.sha256 >= ?1 AND m.sha256 < ?2)"
                               " ORDER BY m.status = 'missing', m.id LIMIT 1");
    s.bind(1, hash).bind(2, hash + "g");
    std::optional<ModelRow> row;
    if (s.step())
        row = readRow(s);
    s.reset();
    return row;
}

void ModelLibrary::setFavourite(int64_t id, bool favourite)
{
    Statement& s = m_db.cached("UPDATE models SET favourite = ?1 WHERE id = ?2");
    s.bind(1, favourite ? 1 : 0).bind(2, id);
    s.run();
}

void ModelLibrary::setAlias(int64_t id, const std::string& alias)
{
    Statement& s = m_db.cached("UPDATE models SET alias = ?1 WHERE id = ?2");
    s.bind(1, normaliseTag(alias)).bind(2, id);
    s.run();
}

void ModelLibrary::addTag(int64_t id, const std::string& tagIn)
{
    const std::string tag = normaliseTag(tagIn);
    if (tag.empty())
        return;
    Statement& s = m_db.cached("INSERT OR IGNORE INTO model_tags(model_id, tag) VALUES (?1, ?2)");
    s.bind(1, id).bind(2, tag);
    s.run();
}

void ModelLibrary::removeTag(int64_t id, const std::string& tag)
{
    Statement& s = m_db.cached("DELETE FROM model_tags WHERE model_id = ?1 AND tag = ?2");
    s.bind(1, id).bind(2, normaliseTag(tag));
    s.run();
}

std::vector<std::string> ModelLibrary::tags(int64_t id)
{
    Statement& s = m_db.cached("SELECT tag FROM model_tags WHERE model_id = ? ORDER BY tag");
    s.bind(1, id);
    std::vector<std::string> out;
    while (s.step())
        out.push_back(s.text(0));
    s.reset();
    return out;
}

std::vector<std::string> ModelLibrary::allTags()
{
    Statement& s = m_db.cached("SELECT DISTINCT tag FROM model_tags ORDER BY tag");
    std::vector<std::string> out;
    while (s.step())
        out.push_back(s.text(0));
    s.reset();
    return out;
}

void ModelLibrary::recordUse(int64_t id)
{
    Statement& s = m_db.cached(
        "UPDATE models SET use_count = use_count + 1, last_used_at = CAST(strftime('%s','now') AS INTEGER) WHERE id = ?");
    s.bind(1, id);
    s.run();
}

std::vector<PendingHash> ModelLibrary::pendingHashes(int limit)
{
    Statement& s = m_db.cached(
        "SELECT id, path, size_bytes, mtime_ns FROM models WHERE status IN ('ok', 'unsupported')"
        " AND (sha256 = '' OR hashed_size <> size_bytes OR hashed_mtime_ns <> mtime_ns)"
        " ORDER BY size_bytes, id LIMIT ?");
    s.bind(1, static_cast<int64_t>(std::max(0, limit)));
    std::vector<PendingHash> out;
    while (s.step())
        out.push_back({s.int64(0), s.text(1), s.int64(2), s.int64(3)});
    s.reset();
    return out;
}

void ModelLibrary::storeHashes(const PendingHash& job, const std::string& sha256, const std::string& autov2,
                               const std::string& autov3)
{
    Statement& s = m_db.cached(
        "UPDATE models SET sha256 = ?1, autov2 = ?2, autov3 = ?3, hashed_size = ?4, hashed_mtime_ns = ?5"
        " WHERE id = ?6 AND size_bytes = ?4 AND mtime_ns = ?5");
    s.bind(1, sha256).bind(2, autov2).bind(3, autov3).bind(4, job.sizeBytes).bind(5, job.mtimeNs).bind(6, job.id);
    s.run();
}

} // namespace easel::catalog
