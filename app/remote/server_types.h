#pragma once
/// What the Easel server sends back (its /easel/v1 jobs and the A1111-style model listings), as
/// plain values, and how they are read from its JSON. The JSON reading throws api::Error(Internal)
/// with the server's text when a reply is not what the contract says. Plain C++; any thread.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/api/error.h"
#include "engine/api/progress.h"
#include "engine/api/request.h"

namespace easel::remote {

/// A job's progress object; `preview` is a base64 PNG on preview steps, else empty.
struct ServerProgress {
    std::string stage; ///< api::stageName() names ("sampling", …)
    int step = 0;
    int totalSteps = 0;
    int imageIndex = 0;
    int imageCount = 1;
    double fraction = 0;
    double etaSeconds = 0;
    double secondsPerStep = 0;
    std::string preview;
};

/// One finished image of a job; `url` is the server path of its PNG.
struct ServerImage {
    int index = 0;
    std::int64_t seed = 0;
    int width = 0, height = 0;
    std::string infotext;
    std::string url;
};

struct ServerJob {
    std::string id;
    std::string state; ///< queued | running | done | failed | cancelled
    ServerProgress progress;
    std::vector<ServerImage> images;
    std::vector<std::string> warnings;
    std::string errorCode; ///< api::errorCodeName() names; empty without an error
    std::string errorMessage;
    double queuedSeconds = 0;
    double runSeconds = 0;

    bool finished() const { return state == "done" || state == "failed" || state == "cancelled"; }
};

/// A model the server offers, for the pickers: `name` is what a request names it by.
struct ServerModel {
    std::string name; ///< checkpoints/VAEs: model_name; LoRAs: name; ControlNets: the listed name
    std::string title; ///< "name.safetensors [hash]" as A1111 lists checkpoints; else = name
    std::string hash; ///< short hash when known
    std::string filename;
};

ServerJob parseJob(const std::string& json);
ServerProgress parseProgress(const std::string& json);
ServerImage parseImage(const std::string& json);
/// GET /sdapi/v1/sd-models, /sdapi/v1/sd-vae, /sdapi/v1/loras, /controlnet/model_list.
std::vector<ServerModel> parseCheckpoints(const std::string& json);
std::vector<ServerModel> parseVaes(const std::string& json);
std::vector<ServerModel> parseLoras(const std::string& json);
std::vector<ServerModel> parseControlNets(const std::string& json);
/// GET /sdapi/v1/samplers: the names.
std::vector<std::string> parseSamplers(const std::string& json);

/// The body of POST /easel/v1/jobs: the request as api::toJson writes it, the preview cadence
/// (0 = none) and the title; `save` false (the studio saves into its own gallery).
std::string jobSubmission(const api::GenerationRequest& request, int previewEverySteps, const std::string& title);

/// What an error reply says: its `detail` text, or the `msg` of each 422 item joined with "; " (with
/// the field it is about); the body itself when it is not JSON.
std::string errorDetail(const std::string& body);

/// The api::Stage of a stage name (Sampling when unknown, the stage most reports are about).
api::Stage stageFromName(const std::string& name);
/// The api::ErrorCode of an errorCodeName() name (Internal when unknown).
api::ErrorCode errorCodeFromName(const std::string& name);
/// A job's progress as the engine reports it, the preview decoded when there is one.
api::Progress toProgress(const ServerProgress& progress);

} // namespace easel::remote
