#pragma once
/// Sidecar files users already keep beside their models (CONVENTIONS.md, "Model folders and
/// sidecars"): preview images, A1111's `name.json` user metadata and Civitai Helper's
/// `name.civitai.info`. Plain C++; any thread.

#include <set>
#include <string>
#include <vector>

#include "engine/catalog/model_facts.h"

namespace easel::catalog {

/// Preview file names for a model stem, in the order A1111 looks for them
/// (Ref: A1111 ui_extra_networks.py find_preview: `{path}.{ext}`, `{path}.preview.{ext}` per ext).
std::vector<std::string> previewCandidates(const std::string& stem);
std::string userMetadataName(const std::string& stem);   ///< "stem.json"
std::string civitaiInfoName(const std::string& stem);    ///< "stem.civitai.info"

/// Reads the A1111 user metadata JSON text into `out` (problems noted in out.problems).
void readUserMetadata(const std::string& jsonText, SidecarFacts& out);
/// Reads a Civitai Helper model-version JSON text into `out`.
void readCivitaiInfo(const std::string& jsonText, SidecarFacts& out);

/// Reads the sidecars named in `facts` (sidecarPreview/Json/Civitai) into facts.sidecars.
/// Unreadable or malformed sidecars are noted, never fatal.
void readSidecars(ModelFacts& facts);

} // namespace easel::catalog
