#pragma once
/// Records a job's images in the catalog's gallery as they are saved: the generation row with the
/// first image, then one image row each. Owns its own catalog connection, so it lives on one thread
/// (the service's worker). A catalog failure never loses an image: the file is already written and
/// the caller reports the failure as a warning.

#include <cstdint>
#include <memory>
#include <string>

#include "engine/api/request.h"

namespace easel::catalog {
class Database;
}

namespace easel::service {

class GalleryRecorder {
public:
    explicit GalleryRecorder(std::string catalogPath);
    ~GalleryRecorder();

    /// Starts a job (the next image opens a new generation row).
    void beginJob(const api::GenerationRequest& request);
    /// Adds one saved image; returns its gallery id. Throws api::Error / std::exception on failure.
    std::int64_t addImage(const std::string& path, std::int64_t seed, int width, int height, const std::string& infotext);

private:
    std::string m_path;
    std::unique_ptr<catalog::Database> m_db;
    api::GenerationRequest m_request;
    std::int64_t m_generationId = 0;
};

} // namespace easel::service
