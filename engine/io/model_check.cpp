#include "engine/io/model_check.h"

#include "engine/api/error.h"
#include "engine/io/model_inventory.h"

namespace easel::io {

std::string notAModelReason(const DetectedModel& model, std::uint64_t tensorCount)
{
    if (model.kind != ModelKind::Unknown)
        return {};
    if (tensorCount == 0)
        return "the file holds no tensors, so it is not a model (an empty or non-weight file saved with a model's "
               "name); replace it with the real download or remove it";
    return "not a model Easel recognises: " + std::to_string(tensorCount) +
           " tensor(s), matching no checkpoint, LoRA, embedding, VAE, ControlNet or upscaler layout";
}

void requireModel(const DetectedModel& model, const std::string& path)
{
    if (model.kind != ModelKind::Unknown)
        return; // the common case costs nothing
    const std::uint64_t tensors = inventoryOf(path).tensorCount;
    throw api::Error(tensors == 0 ? api::ErrorCode::CorruptFile : api::ErrorCode::UnsupportedFormat,
                     notAModelReason(model, tensors), path);
}

} // namespace easel::io
