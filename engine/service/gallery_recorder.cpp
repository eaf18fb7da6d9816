#include "engine/service/gallery_recorder.h"

#include <filesystem>

#include "engine/catalog/database.h"
#include "engine/catalog/gallery.h"
#include "engine/catalog/model_library.h"
#include "engine/pipeline/infotext.h"

namespace easel::service {

GalleryRecorder::GalleryRecorder(std::string catalogPath)
    : m_path(std::move(catalogPath))
{
}

GalleryRecorder::~GalleryRecorder() = default;

void GalleryRecorder::beginJob(const api::GenerationRequest& request)
{
    m_request = request;
    m_generationId = 0;
}

std::int64_t GalleryRecorder::addImage(const std::string& path, std::int64_t seed, int width, int height,
                                       const std::string& infotext)
{
    if (!m_db)
        m_db = std::make_unique<catalog::Database>(m_path);
    catalog::Gallery gallery(*m_db);
    if (m_generationId == 0) {
        catalog::NewGeneration generation;
        generation.prompt = m_request.prompt;
        generation.negativePrompt = m_request.negativePrompt;
        api::GenerationRequest stored = m_request;
        stored.initPixels = {}; // the gallery keeps parameters, not canvas pixels
        if (stored.inpaint)
            stored.inpaint->maskPixels = {};
        for (auto& unit : stored.controlNets)
            unit.imagePixels = {};
        generation.paramsJson = api::toJson(stored);
        generation.modelName = std::filesystem::path(m_request.model).stem().string();
        const auto parsed = pipeline::parseInfotext(infotext);
        if (const auto hash = parsed.get("Model hash"))
            generation.modelHash = *hash;
        if (const auto name = parsed.get("Model"))
            generation.modelName = *name;
        catalog::ModelLibrary library(*m_db);
        std::optional<catalog::ModelRow> model;
        if (!generation.modelHash.empty())
            model = library.findByHash(generation.modelHash);
        if (!model && !generation.modelName.empty())
            model = library.resolve("checkpoint", generation.modelName);
        if (model)
            generation.modelId = model->id;
        m_generationId = gallery.addGeneration(generation);
    }
    catalog::NewImage image;
    image.generationId = m_generationId;
    image.path = std::filesystem::absolute(path).string();
    image.seed = seed;
    image.width = width;
    image.height = height;
    return gallery.addImage(image);
}

} // namespace easel::service
