#include "engine/catalog/gallery.h"

#include <algorithm>

#include "engine/catalog/database.h"
#include "engine/catalog/fts_query.h"

namespace easel::catalog {

namespace {

const char* const kImageColumns =
    "i.id, i.generation_id, i.path, i.thumbnail_path, i.seed, i.width, i.height, i.favourite, i.rating, i.parent_id, "
    "i.created_at, g.prompt, g.negative_prompt, g.params_json, g.model_id, g.model_hash, g.model_name";

ImageRow readImage(const Statement& s)
{
    ImageRow r;
    r.id = s.int64(0);
    r.generationId = s.int64(1);
    r.path = s.text(2);
    r.thumbnailPath = s.text(3);
    r.seed = s.int64(4);
    r.width = s.integer(5);
    r.height = s.integer(6);
    r.favourite = s.int64(7) != 0;
    r.rating = s.integer(8);
    if (!s.isNull(9))
        r.parentId = s.int64(9);
    r.createdAt = s.int64(10);
    r.prompt = s.text(11);
    r.negativePrompt = s.text(12);
    r.paramsJson = s.text(13);
    if (!s.isNull(14))
        r.modelId = s.int64(14);
    r.modelHash = s.text(15);
    r.modelName = s.text(16);
    return r;
}

struct Bound {
    std::string sql;
    std::vector<std::string> texts;  ///< bound first, in order
    std::vector<int64_t> numbers;    ///< bound after the texts
};

/// FROM/WHERE of an image query. Text values come before numbers in the SQL so they bind in order.
Bound buildFilter(const ImageQuery& q)
{
    Bound b;
    const std::string match = ftsMatchExpression(q.text);
    b.sql = " FROM images i JOIN generations g ON g.id = i.generation_id WHERE 1";
    if (!match.empty()) {
        b.sql += " AND i.generation_id IN (SELECT rowid FROM generations_fts WHERE generations_fts MATCH ?)";
        b.texts.push_back(match);
    }
    if (!q.modelHash.empty()) {
        b.sql += " AND g.model_hash = ?";
        b.texts.push_back(q.modelHash);
    }
    if (!q.loraName.empty()) {
        b.sql += " AND i.generation_id IN (SELECT generation_id FROM generation_loras WHERE name = ? COLLATE NOCASE)";
        b.texts.push_back(q.loraName);
    }
    if (q.modelId) {
        b.sql += " AND g.model_id = ?";
        b.numbers.push_back(*q.modelId);
    }
    if (q.loraModelId) {
        b.sql += " AND i.generation_id IN (SELECT generation_id FROM generation_loras WHERE model_id = ?)";
        b.numbers.push_back(*q.loraModelId);
    }
    if (q.from) {
        b.sql += " AND i.created_at >= ?";
        b.numbers.push_back(*q.from);
    }
    if (q.to) {
        b.sql += " AND i.created_at < ?";
        b.numbers.push_back(*q.to);
    }
    if (q.favouritesOnly)
        b.sql += " AND i.favourite <> 0";
    return b;
}

int bindAll(Statement& s, const Bound& b)
{
    int i = 1;
    for (const auto& t : b.texts)
        s.bind(i++, t);
    for (const auto n : b.numbers)
        s.bind(i++, n);
    return i;
}

} // namespace

Gallery::Gallery(Database& db)
    : m_db(db)
{
}

int64_t Gallery::addGeneration(const NewGeneration& g)
{
    Transaction tx(m_db);
    Statement& s = m_db.cached(
        "INSERT INTO generations(created_at, model_id, prompt, negative_prompt, params_json, model_hash, model_name)"
        " VALUES (coalesce(?1, CAST(strftime('%s','now') AS INTEGER)), ?2, ?3, ?4, ?5, ?6, ?7)");
    s.bind(1, g.createdAt).bind(2, g.modelId).bind(3, g.prompt).bind(4, g.negativePrompt).bind(5, g.paramsJson);
    s.bind(6, g.modelHash).bind(7, g.modelName);
    s.run();
    const int64_t id = m_db.lastInsertId();
    Statement& l = m_db.cached(
        "INSERT INTO generation_loras(generation_id, model_id, name, hash, weight) VALUES (?1, ?2, ?3, ?4, ?5)");
    for (const auto& lora : g.loras) {
        l.bind(1, id).bind(2, lora.modelId).bind(3, lora.name).bind(4, lora.hash).bind(5, lora.weight);
        l.run();
    }
    tx.commit();
    return id;
}

int64_t Gallery::addImage(const NewImage& image)
{
    Statement& s = m_db.cached(
        "INSERT INTO images(generation_id, path, thumbnail_path, seed, width, height, parent_id, created_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
        " coalesce(?8, (SELECT created_at FROM generations WHERE id = ?1), CAST(strftime('%s','now') AS INTEGER)))");
    s.bind(1, image.generationId).bind(2, image.path).bind(3, image.thumbnailPath).bind(4, image.seed);
    s.bind(5, image.width).bind(6, image.height).bind(7, image.parentId).bind(8, image.createdAt);
    s.run();
    return m_db.lastInsertId();
}

std::vector<ImageRow> Gallery::search(const ImageQuery& q)
{
    const Bound b = buildFilter(q);
    const char* order = q.newestFirst ? " ORDER BY i.created_at DESC, i.id DESC" : " ORDER BY i.created_at, i.id";
    Statement& s = m_db.cached(std::string("SELECT ") + kImageColumns + b.sql + order + " LIMIT ? OFFSET ?");
    int i = bindAll(s, b);
    s.bind(i++, static_cast<int64_t>(std::max(0, q.limit)));
    s.bind(i++, static_cast<int64_t>(std::max(0, q.offset)));
    std::vector<ImageRow> rows;
    while (s.step())
        rows.push_back(readImage(s));
    s.reset();
    return rows;
}

int64_t Gallery::count(const ImageQuery& q)
{
    const Bound b = buildFilter(q);
    Statement& s = m_db.cached("SELECT COUNT(*)" + b.sql);
    bindAll(s, b);
    const int64_t n = s.step() ? s.int64(0) : 0;
    s.reset();
    return n;
}

std::optional<ImageRow> Gallery::get(int64_t imageId)
{
    Statement& s = m_db.cached(std::string("SELECT ") + kImageColumns +
                               " FROM images i JOIN generations g ON g.id = i.generation_id WHERE i.id = ?");
    s.bind(1, imageId);
    std::optional<ImageRow> row;
    if (s.step())
        row = readImage(s);
    s.reset();
    return row;
}

std::vector<GenerationLoRA> Gallery::loras(int64_t generationId)
{
    Statement& s = m_db.cached(
        "SELECT name, hash, weight, model_id FROM generation_loras WHERE generation_id = ? ORDER BY rowid");
    s.bind(1, generationId);
    std::vector<GenerationLoRA> out;
    while (s.step()) {
        GenerationLoRA l{s.text(0), s.text(1), s.real(2), std::nullopt};
        if (!s.isNull(3))
            l.modelId = s.int64(3);
        out.push_back(std::move(l));
    }
    s.reset();
    return out;
}

void Gallery::setFavourite(int64_t imageId, bool favourite)
{
    Statement& s = m_db.cached("UPDATE images SET favourite = ?1 WHERE id = ?2");
    s.bind(1, favourite ? 1 : 0).bind(2, imageId);
    s.run();
}

void Gallery::setRating(int64_t imageId, int rating)
{
    Statement& s = m_db.cached("UPDATE images SET rating = ?1 WHERE id = ?2");
    s.bind(1, std::clamp(rating, 0, 5)).bind(2, imageId);
    s.run();
}

void Gallery::setThumbnail(int64_t imageId, const std::string& thumbnailPath)
{
    Statement& s = m_db.cached("UPDATE images SET thumbnail_path = ?1 WHERE id = ?2");
    s.bind(1, thumbnailPath).bind(2, imageId);
    s.run();
}

std::optional<DeletedImage> Gallery::deleteImage(int64_t imageId)
{
    Transaction tx(m_db);
    Statement& find = m_db.cached("SELECT path, thumbnail_path, generation_id FROM images WHERE id = ?");
    find.bind(1, imageId);
    if (!find.step()) {
        find.reset();
        return std::nullopt;
    }
    DeletedImage out{find.text(0), find.text(1), false};
    const int64_t generationId = find.int64(2);
    find.reset();
    Statement& del = m_db.cached("DELETE FROM images WHERE id = ?");
    del.bind(1, imageId);
    del.run();
    Statement& orphan = m_db.cached(
        "DELETE FROM generations WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM images WHERE generation_id = ?1)");
    orphan.bind(1, generationId);
    orphan.run();
    out.generationDeleted = m_db.changes() > 0;
    tx.commit();
    return out;
}

} // namespace easel::catalog
