#pragma once
// GenerationRequest <-> A1111 infotext. The request holds what the user asked for; ImageFacts hold
// what only the finished generation knows (actual seed, hashes). Plain C++; any thread.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/api/request.h"
#include "engine/pipeline/infotext.h"

namespace easel::pipeline {

struct ImageFacts {
    std::int64_t seed = 0;                 ///< the seed this image used (seed + batch index, resolved -1)
    std::int64_t subseed = 0;
    std::string resolvedScheduler;         ///< "Automatic" resolved to the sampler's default ("" = keep)
    std::string modelName;                 ///< file stem, as A1111 "Model"
    std::string modelHash;                 ///< AutoV2, 10 hex
    std::string vaeName;                   ///< empty = checkpoint's VAE
    std::string vaeHash;
    std::vector<std::pair<std::string, std::string>> loraHashes; ///< alias -> AutoV3 (12 hex)
    std::vector<std::pair<std::string, std::string>> tiHashes;   ///< embedding name -> sha256[:12]
    std::vector<std::string> controlNetUnits;  ///< pre-formatted "Module: canny, Model: …" per unit
    std::string version;                   ///< written as "Version"
};

/// The parameter line in A1111 v1.10 field order (CONVENTIONS.md); fields at their defaults are left out
/// the way A1111 leaves them out (Clip skip 1, RNG GPU, Emphasis Original, ENSD 0, Tiling off).
Infotext infotextFromRequest(const api::GenerationRequest& request, const ImageFacts& facts);

/// Applies what an infotext says onto `base` (missing fields keep base's values, after A1111's
/// defaults; a missing "Tiling" means off). Model/VAE/LoRA names are copied as names; resolving them to files is the catalog's job.
api::GenerationRequest requestFromInfotext(const Infotext& infotext, api::GenerationRequest base = {});

} // namespace easel::pipeline
