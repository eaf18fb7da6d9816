#include "engine/catalog/migrations.h"

#include "engine/api/error.h"
#include "engine/catalog/database.h"

namespace easel::catalog {

const std::vector<Migration>& migrations()
{
    // Never edit a released migration: add a new one. Version N's SQL runs on a file at N-1.
    static const std::vector<Migration> all = {
        {1, "models and generated images",
         R"sql(
CREATE TABLE models (
    id            INTEGER PRIMARY KEY,
    path          TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL,            -- checkpoint, lora, embedding, vae, controlnet, upscaler, unknown
    family        TEXT NOT NULL DEFAULT '', -- sd1, sd2, sdxl, ...
    size_bytes    INTEGER NOT NULL DEFAULT 0,
    mtime_ns      INTEGER NOT NULL DEFAULT 0,
    identity_hash TEXT NOT NULL DEFAULT '', -- fast xxHash of header + sampled blocks
    sha256        TEXT NOT NULL DEFAULT '', -- full hash, filled in the background
    status        TEXT NOT NULL DEFAULT 'ok', -- ok, missing, broken, unsupported
    status_detail TEXT NOT NULL DEFAULT '',
    metadata_json TEXT NOT NULL DEFAULT '{}',
    added_at      INTEGER NOT NULL DEFAULT (strftime('%s','now'))
);
CREATE INDEX models_kind_family ON models(kind, family);
CREATE INDEX models_identity ON models(identity_hash);

CREATE TABLE generations (
    id              INTEGER PRIMARY KEY,
    created_at      INTEGER NOT NULL DEFAULT (strftime('%s','now')),
    model_id        INTEGER REFERENCES models(id) ON DELETE SET NULL,
    prompt          TEXT NOT NULL DEFAULT '',
    negative_prompt TEXT NOT NULL DEFAULT '',
    params_json     TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE images (
    id            INTEGER PRIMARY KEY,
    generation_id INTEGER NOT NULL REFERENCES generations(id) ON DELETE CASCADE,
    path          TEXT NOT NULL UNIQUE,
    seed          INTEGER NOT NULL,
    width         INTEGER NOT NULL,
    height        INTEGER NOT NULL,
    favourite     INTEGER NOT NULL DEFAULT 0,
    rating        INTEGER NOT NULL DEFAULT 0,
    parent_id     INTEGER REFERENCES images(id) ON DELETE SET NULL,
    created_at    INTEGER NOT NULL DEFAULT (strftime('%s','now'))
);
CREATE INDEX images_generation ON images(generation_id);
)sql"},
        {2, "model library (names, folders, kohya and sidecar fields, user data, hashes), tags, FTS5 "
            "search, LoRAs of generations, thumbnails",
         R"sql(
ALTER TABLE models ADD COLUMN root TEXT NOT NULL DEFAULT '';        -- configured folder it was found in
ALTER TABLE models ADD COLUMN folder TEXT NOT NULL DEFAULT '';      -- sub-folder of root ('' at top)
ALTER TABLE models ADD COLUMN name TEXT NOT NULL DEFAULT '';        -- file name without extension
ALTER TABLE models ADD COLUMN format TEXT NOT NULL DEFAULT '';      -- safetensors, ckpt, pt, bin
ALTER TABLE models ADD COLUMN subtype TEXT NOT NULL DEFAULT '';     -- LoRA/LoCon/LoHa/LoKr, inpainting, ...
ALTER TABLE models ADD COLUMN scan_version INTEGER NOT NULL DEFAULT 0; -- reader version that filled the row
ALTER TABLE models ADD COLUMN sidecar_sig INTEGER NOT NULL DEFAULT 0; -- names/sizes/mtimes of sidecars
ALTER TABLE models ADD COLUMN missing_since INTEGER;
ALTER TABLE models ADD COLUMN autov2 TEXT NOT NULL DEFAULT '';
ALTER TABLE models ADD COLUMN autov3 TEXT NOT NULL DEFAULT '';
ALTER TABLE models ADD COLUMN hashed_size INTEGER NOT NULL DEFAULT -1;     -- size/mtime the hashes belong to
ALTER TABLE models ADD COLUMN hashed_mtime_ns INTEGER NOT NULL DEFAULT -1;
ALTER TABLE models ADD COLUMN ss_base_model_version TEXT NOT NULL DEFAULT '';
ALTER TABLE models ADD COLUMN ss_output_name TEXT NOT NULL DEFAULT '';
ALTER TABLE models ADD COLUMN trigger_words TEXT NOT NULL DEFAULT '';  -- top ss_tag_frequency tags, ", "
ALTER TABLE models ADD COLUMN resolution TEXT NOT NULL DEFAULT '';
ALTER TABLE models ADD COLUMN network_dim INTEGER;
ALTER TABLE models ADD COLUMN network_alpha REAL;
ALTER TABLE models ADD COLUMN preview_path TEXT NOT NULL DEFAULT '';
ALTER TABLE models ADD COLUMN activation_text TEXT NOT NULL DEFAULT '';  -- A1111 name.json
ALTER TABLE models ADD COLUMN preferred_weight REAL;
ALTER TABLE models ADD COLUMN sd_version TEXT NOT NULL DEFAULT '';
ALTER TABLE models ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE models ADD COLUMN notes TEXT NOT NULL DEFAULT '';
ALTER TABLE models ADD COLUMN negative_text TEXT NOT NULL DEFAULT '';
ALTER TABLE models ADD COLUMN civitai_name TEXT NOT NULL DEFAULT '';     -- name.civitai.info
ALTER TABLE models ADD COLUMN civitai_trained_words TEXT NOT NULL DEFAULT '';
ALTER TABLE models ADD COLUMN civitai_base_model TEXT NOT NULL DEFAULT '';
ALTER TABLE models ADD COLUMN alias TEXT NOT NULL DEFAULT '';            -- set by the user
ALTER TABLE models ADD COLUMN favourite INTEGER NOT NULL DEFAULT 0;
ALTER TABLE models ADD COLUMN use_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE models ADD COLUMN last_used_at INTEGER;

CREATE INDEX models_kind_name ON models(kind, name COLLATE NOCASE);
CREATE INDEX models_added ON models(added_at);
CREATE INDEX models_last_used ON models(last_used_at);
CREATE INDEX models_use_count ON models(use_count);
CREATE INDEX models_favourite ON models(favourite) WHERE favourite <> 0;
CREATE INDEX models_family ON models(family);
CREATE INDEX models_status ON models(status);
CREATE INDEX models_sha256 ON models(sha256);
CREATE INDEX models_autov2 ON models(autov2);
CREATE INDEX models_autov3 ON models(autov3);

CREATE TABLE model_tags (
    model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
    tag      TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (model_id, tag)
) WITHOUT ROWID;
CREATE INDEX model_tags_tag ON model_tags(tag);

-- Search text of a model, one row per model (rowid = models.id). A plain FTS5 table filled by the
-- triggers below, because its text comes from two tables (user tags).
CREATE VIRTUAL TABLE models_fts USING fts5(
    name, alias, trigger_words, tags, folder, base_model,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3');

CREATE VIEW models_fts_source AS
SELECT m.id AS id,
       m.name AS name,
       trim(m.alias || ' ' || m.ss_output_name || ' ' || m.civitai_name) AS alias,
       trim(m.trigger_words || ' ' || m.activation_text || ' ' || m.civitai_trained_words) AS trigger_words,
       coalesce((SELECT group_concat(t.tag, ' ') FROM model_tags t WHERE t.model_id = m.id), '') AS tags,
       m.folder AS folder,
       trim(m.ss_base_model_version || ' ' || m.civitai_base_model || ' ' || m.sd_version || ' ' || m.family) AS base_model
FROM models m;

CREATE TRIGGER models_fts_insert AFTER INSERT ON models BEGIN
    INSERT INTO models_fts(rowid, name, alias, trigger_words, tags, folder, base_model)
        SELECT * FROM models_fts_source WHERE id = NEW.id;
END;
CREATE TRIGGER models_fts_delete AFTER DELETE ON models BEGIN
    DELETE FROM models_fts WHERE rowid = OLD.id;
END;
CREATE TRIGGER models_fts_update AFTER UPDATE OF name, alias, ss_output_name, civitai_name, trigger_words,
    activation_text, civitai_trained_words, folder, ss_base_model_version, civitai_base_model, sd_version, family
    ON models BEGIN
    DELETE FROM models_fts WHERE rowid = OLD.id;
    INSERT INTO models_fts(rowid, name, alias, trigger_words, tags, folder, base_model)
        SELECT * FROM models_fts_source WHERE id = NEW.id;
END;
CREATE TRIGGER model_tags_fts_insert AFTER INSERT ON model_tags BEGIN
    DELETE FROM models_fts WHERE rowid = NEW.model_id;
    INSERT INTO models_fts(rowid, name, alias, trigger_words, tags, folder, base_model)
        SELECT * FROM models_fts_source WHERE id = NEW.model_id;
END;
CREATE TRIGGER model_tags_fts_delete AFTER DELETE ON model_tags BEGIN
    DELETE FROM models_fts WHERE rowid = OLD.model_id;
    INSERT INTO models_fts(rowid, name, alias, trigger_words, tags, folder, base_model)
        SELECT * FROM models_fts_source WHERE id = OLD.model_id;
END;
INSERT INTO models_fts(rowid, name, alias, trigger_words, tags, folder, base_model)
    SELECT * FROM models_fts_source;

ALTER TABLE generations ADD COLUMN model_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE generations ADD COLUMN model_name TEXT NOT NULL DEFAULT '';
CREATE INDEX generations_model ON generations(model_id);
CREATE INDEX generations_model_hash ON generations(model_hash);
CREATE INDEX generations_created ON generations(created_at);

CREATE TABLE generation_loras (
    generation_id INTEGER NOT NULL REFERENCES generations(id) ON DELETE CASCADE,
    model_id      INTEGER REFERENCES models(id) ON DELETE SET NULL,
    name          TEXT NOT NULL,
    hash          TEXT NOT NULL DEFAULT '',  -- AutoV3 as in `Lora hashes`
    weight        REAL NOT NULL DEFAULT 1
);
CREATE INDEX generation_loras_generation ON generation_loras(generation_id);
CREATE INDEX generation_loras_model ON generation_loras(model_id);
CREATE INDEX generation_loras_name ON generation_loras(name COLLATE NOCASE);

ALTER TABLE images ADD COLUMN thumbnail_path TEXT NOT NULL DEFAULT '';
CREATE INDEX images_created ON images(created_at);
CREATE INDEX images_favourite ON images(favourite, created_at) WHERE favourite <> 0;
CREATE INDEX images_parent ON images(parent_id);

CREATE VIRTUAL TABLE generations_fts USING fts5(
    prompt, negative_prompt, content = 'generations', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
CREATE TRIGGER generations_fts_insert AFTER INSERT ON generations BEGIN
    INSERT INTO generations_fts(rowid, prompt, negative_prompt) VALUES (NEW.id, NEW.prompt, NEW.negative_prompt);
END;
CREATE TRIGGER generations_fts_delete AFTER DELETE ON generations BEGIN
    INSERT INTO generations_fts(generations_fts, rowid, prompt, negative_prompt)
        VALUES ('delete', OLD.id, OLD.prompt, OLD.negative_prompt);
END;
CREATE TRIGGER generations_fts_update AFTER UPDATE OF prompt, negative_prompt ON generations BEGIN
    INSERT INTO generations_fts(generations_fts, rowid, prompt, negative_prompt)
        VALUES ('delete', OLD.id, OLD.prompt, OLD.negative_prompt);
    INSERT INTO generations_fts(rowid, prompt, negative_prompt) VALUES (NEW.id, NEW.prompt, NEW.negative_prompt);
END;
INSERT INTO generations_fts(generations_fts) VALUES ('rebuild');
)sql"},
        {3, "training metadata in its own table (keeps model rows small for search and sorting)",
         R"sql(
-- Kohya metadata runs to kilobytes per LoRA; inside models rows it pushed every column added later
-- onto overflow pages, so each search hit read them.
CREATE TABLE model_metadata (
    model_id INTEGER PRIMARY KEY REFERENCES models(id) ON DELETE CASCADE,
    json     TEXT NOT NULL
);
INSERT INTO model_metadata(model_id, json) SELECT id, metadata_json FROM models WHERE metadata_json <> '{}';
ALTER TABLE models DROP COLUMN metadata_json;
)sql"},
        {4, "covering index for search joins",
         R"sql(
-- A text search joins every match to its model row for the filters and the sort key; this index
-- holds exactly those columns, so the join reads a small index instead of the wide rows (3x faster
-- for searches matching thousands of models).
CREATE INDEX models_search_cover ON models(id, status, kind, family, favourite, name COLLATE NOCASE,
                                           added_at, use_count, last_used_at);
)sql"},
    };
    return all;
}

int currentSchemaVersion() { return migrations().back().version; }

void migrate(Database& db)
{
    const int have = db.schemaVersion();
    if (have > currentSchemaVersion())
        throw api::Error(api::ErrorCode::UnsupportedFormat,
                         "this catalog was written by a newer Easel (schema " + std::to_string(have)
                             + "); update Easel or point it at another data folder",
                         db.path());
    for (const auto& m : migrations()) {
        if (m.version <= have)
            continue;
        db.exec("BEGIN IMMEDIATE");
        try {
            // Another connection (the scanner thread, a second process) may have migrated while
            // we waited for the write lock: re-read the version under the lock before applying.
            if (db.schemaVersion() >= m.version) {
                db.exec("COMMIT");
                continue;
            }
            db.exec(m.sql);
            db.exec("PRAGMA user_version = " + std::to_string(m.version));
            db.exec("COMMIT");
        } catch (...) {
            db.exec("ROLLBACK");
            throw;
        }
    }
}

} // namespace easel::catalog
