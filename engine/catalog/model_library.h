#pragma once
/// Queries and user data of the model library: search (FTS5), filters, sorting and paging for
/// virtualised views, favourites, user tags, aliases, use counts, name/hash resolution, and the
/// background-hashing queue. Works on one Database, so on that Database's thread.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace easel::catalog {

class Database;

struct ModelRow {
    int64_t id = 0;
    std::string path, root, folder, name, format;
    std::string kind, family, subtype;
    int64_t sizeBytes = 0, mtimeNs = 0;
    std::string status, statusDetail;
    std::string sha256, autov2, autov3;
    std::string baseModel;   ///< ss_base_model_version
    std::string outputName;  ///< ss_output_name
    std::string triggerWords;
    std::string resolution;
    std::optional<int64_t> networkDim;
    std::optional<double> networkAlpha;
    std::string previewPath;
    std::string activationText;
    std::optional<double> preferredWeight;
    std::string sdVersion, description, notes, negativeText;
    std::string civitaiName, civitaiTrainedWords, civitaiBaseModel;
    std::string alias;
    bool favourite = false;
    int64_t useCount = 0;
    std::optional<int64_t> lastUsedAt; ///< unix seconds
    int64_t addedAt = 0;               ///< unix seconds
    std::vector<std::string> tags;     ///< user tags (filled by get(), not by search())
};

enum class ModelSort { Name, DateAdded, LastUsed, MostUsed, Relevance };

struct ModelQuery {
    std::string text;        ///< user text; every word is a prefix ("dra sty" finds "dragon style")
    std::string kind;        ///< "" = any
    std::string family;      ///< "" = any
    std::string tag;         ///< user tag, "" = any
    bool favouritesOnly = false;
    bool includeMissing = false; ///< missing rows are hidden by default
    ModelSort sort = ModelSort::Name; ///< Relevance falls back to Name without text
    int limit = 100;
    int offset = 0;
};

struct PendingHash {
    int64_t id = 0;
    std::string path;
    int64_t sizeBytes = 0, mtimeNs = 0; ///< the file state the hashes will belong to
};

class ModelLibrary {
public:
    explicit ModelLibrary(Database& db);

    /// One page of matching rows (light: no metadata JSON, no tags).
    std::vector<ModelRow> search(const ModelQuery& query);
    /// How many rows match (ignores limit/offset): the row count of a virtualised view.
    int64_t count(const ModelQuery& query);
    std::optional<ModelRow> get(int64_t id);
    std::string metadataJson(int64_t id);

    /// A model named in a prompt tag (`<lora:name:1>`): by file name, then alias / ss_output_name,
    /// case-insensitive, preferring present files. nullopt when nothing matches.
    std::optional<ModelRow> resolve(const std::string& kind, const std::string& nameOrAlias);
    /// By any recorded hash (AutoV2, AutoV3, SHA256 or a prefix of it of at least 8 digits).
    std::optional<ModelRow> findByHash(const std::string& hash);

    void setFavourite(int64_t id, bool favourite);
    void setAlias(int64_t id, const std::string& alias);
    void addTag(int64_t id, const std::string& tag);
    void removeTag(int64_t id, const std::string& tag);
    std::vector<std::string> tags(int64_t id);
    std::vector<std::string> allTags(); ///< every user tag in use, sorted
    /// Counts one use now (generation started with the model / LoRA).
    void recordUse(int64_t id);

    /// Rows whose hashes are absent or belong to another size/mtime, present files first by size
    /// (small first: LoRAs finish quickly and are what `Lora hashes` needs).
    std::vector<PendingHash> pendingHashes(int limit);
    /// Stores hashes computed for `job`'s file state. Ignored when the row's file changed meanwhile
    /// (its size/mtime no longer match), so a stale result never lands.
    void storeHashes(const PendingHash& job, const std::string& sha256, const std::string& autov2,
                     const std::string& autov3);

private:
    Database& m_db;
};

} // namespace easel::catalog
