#include "engine/api/progress.h"

namespace easel::api {

const char* stageName(Stage stage)
{
    switch (stage) {
    case Stage::Queued: return "queued";
    case Stage::Loading: return "loading";
    case Stage::Text: return "text";
    case Stage::Sampling: return "sampling";
    case Stage::Hires: return "hires";
    case Stage::Decoding: return "decoding";
    case Stage::Saving: return "saving";
    }
    return "unknown";
}

} // namespace easel::api
