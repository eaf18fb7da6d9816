#pragma once
// The native API's JSON of jobs, their progress and their images, and the PNG bytes an image is
// served as (with its A1111 `parameters` chunk). One place, so polling, SSE and the OpenAPI
// document agree.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/service/job.h"

namespace easel::server {

std::string jobPath(service::JobId id);
/// {"stage","step","total_steps","image_index","image_count","fraction","eta_seconds",
/// "seconds_per_step"} and, with `withPreview` and a preview, "preview": base64 PNG.
nlohmann::json progressJson(const api::Progress& progress, bool withPreview);
/// Share of the whole job done, 0..1, from a progress report (hires counts as a second pass).
double progressFraction(const api::Progress& progress, bool hires);
nlohmann::json imageJson(service::JobId id, const service::JobImage& image);
nlohmann::json jobJson(const service::JobSnapshot& job, int position = -1);

/// PNG file bytes of pixels with A1111's `parameters` text chunk (none when empty).
std::vector<unsigned char> pngBytes(const api::Image& image, const std::string& parameters);
std::string pngBase64(const api::Image& image, const std::string& parameters);
/// A generated image as PNG base64: the producer's PNG bytes when it sent them (a fleet worker),
/// else its pixels encoded with its infotext.
std::string pngBase64(const api::GeneratedImage& generated);

} // namespace easel::server
