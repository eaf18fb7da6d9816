#pragma once
/// Reads the kohya-ss sd-scripts training metadata of a LoRA (`ss_*` keys in `__metadata__`).
/// Plain C++; any thread.

#include <string>
#include <utility>
#include <vector>

#include "engine/catalog/model_facts.h"

namespace easel::catalog {

/// How many of the most frequent training tags become suggested trigger words.
inline constexpr size_t kTriggerWordCount = 10;

/// Extracts the fields of KohyaFacts. Bad values (unparsable JSON or numbers) are skipped: the
/// metadata is informative and a trainer bug must not make the file unusable.
KohyaFacts readKohyaMetadata(const std::vector<std::pair<std::string, std::string>>& metadata);

/// The top `count` tags of an `ss_tag_frequency` value ({"dataset dir": {"tag": n}}), counts summed
/// over dataset folders, ties broken by name.
std::vector<std::string> topTags(const std::string& tagFrequencyJson, size_t count = kTriggerWordCount);

/// Metadata as a JSON object for the catalog, leaving out values longer than `maxValueBytes`
/// (base64 thumbnails, huge dataset dumps); their names go to "__omitted__".
std::string metadataToJson(const std::vector<std::pair<std::string, std::string>>& metadata,
                           size_t maxValueBytes = 16 * 1024);

} // namespace easel::catalog
