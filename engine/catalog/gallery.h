#pragma once
/// History of generations and their images in the catalog: recording, searching by prompt text
/// (FTS5), filtering by model, LoRA, date and favourite, paging for a virtualised grid, ratings and
/// deletion. Works on one Database, so on that Database's thread.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace easel::catalog {

class Database;

struct GenerationLoRA {
    std::string name;     ///< as in the prompt / `Lora hashes`
    std::string hash;     ///< AutoV3
    double weight = 1.0;
    std::optional<int64_t> modelId; ///< catalog row, when known
};

struct NewGeneration {
    std::string prompt, negativePrompt;
    std::string paramsJson = "{}"; ///< the full request (api::GenerationRequest JSON)
    std::optional<int64_t> modelId;
    std::string modelHash;         ///< AutoV2
    std::string modelName;
    std::vector<GenerationLoRA> loras;
    std::optional<int64_t> createdAt; ///< unix seconds; now when absent
};

struct NewImage {
    int64_t generationId = 0;
    std::string path;
    std::string thumbnailPath;
    int64_t seed = 0;
    int width = 0, height = 0;
    std::optional<int64_t> parentId;   ///< the image an img2img/inpaint started from
    std::optional<int64_t> createdAt;  ///< unix seconds; the generation's time when absent
};

struct ImageRow {
    int64_t id = 0, generationId = 0;
    std::string path, thumbnailPath;
    int64_t seed = 0;
    int width = 0, height = 0;
    bool favourite = false;
    int rating = 0;
    std::optional<int64_t> parentId;
    int64_t createdAt = 0;
    std::string prompt, negativePrompt, paramsJson;
    std::optional<int64_t> modelId;
    std::string modelHash, modelName;
};

struct ImageQuery {
    std::string text;  ///< words of the prompt or negative prompt (prefix match)
    std::optional<int64_t> modelId;
    std::string modelHash;     ///< also matches images made before the model was catalogued
    std::optional<int64_t> loraModelId;
    std::string loraName;      ///< case-insensitive
    std::optional<int64_t> from, to; ///< unix seconds, [from, to)
    bool favouritesOnly = false;
    bool newestFirst = true;
    int limit = 200;
    int offset = 0;
};

struct DeletedImage {
    std::string path, thumbnailPath; ///< for the caller to move to the trash
    bool generationDeleted = false;  ///< it was the generation's last image
};

class Gallery {
public:
    explicit Gallery(Database& db);

    int64_t addGeneration(const NewGeneration& generation);
    int64_t addImage(const NewImage& image);

    std::vector<ImageRow> search(const ImageQuery& query);
    int64_t count(const ImageQuery& query);
    std::optional<ImageRow> get(int64_t imageId);
    std::vector<GenerationLoRA> loras(int64_t generationId);

    void setFavourite(int64_t imageId, bool favourite);
    void setRating(int64_t imageId, int rating); ///< 0..5
    void setThumbnail(int64_t imageId, const std::string& thumbnailPath);

    /// Deletes the row (and the generation when no image is left); the files stay for the caller
    /// to move to the trash. nullopt when there was no such image.
    std::optional<DeletedImage> deleteImage(int64_t imageId);

private:
    Database& m_db;
};

} // namespace easel::catalog
