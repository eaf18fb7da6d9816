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
