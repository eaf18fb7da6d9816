#pragma once
/// The one output-naming function of Easel (studio, easel-cli and easel-server all call it) and its
/// one default pattern. Any thread.

#include <cstdint>
#include <ctime>
#include <string>

#include "engine/service/job.h"

namespace easel::service {

/// The default file-name pattern, without extension: a dated folder, A1111's running number and
/// the seed ("2026-12-07/00012-1234.png").
inline constexpr const char* kDefaultNamePattern = "{date}/{index}-{seed}";

/// What a pattern's placeholders are filled with.
struct NameFields {
    std::int64_t seed = 0;
    int index = 0;              ///< A1111's running number in the target folder
    std::string model;          ///< checkpoint name (file stem)
    std::string prompt;
    std::string sampler;
    int width = 0, height = 0, steps = 0;
    std::time_t time = 0;       ///< {date} = YYYY-MM-DD, {time} = HHMMSS, local time
};

/// NameFields for one image of a request (time = now, model = the checkpoint's file stem).
NameFields nameFieldsFor(const api::GenerationRequest& request, std::int64_t seed, int index);

/// `pattern` with every placeholder replaced; values are made safe for file names ('/', '\\', ':',
/// control characters… become '_', prompt trimmed to 60 characters) while '/' in the pattern itself
/// opens folders. A pattern that climbs out of its folder ("..") is refused with InvalidRequest.
std::string expandNamePattern(const std::string& pattern, const NameFields& fields);

/// `text` made safe as one path component, at most `maxLength` bytes (UTF-8 kept whole).
std::string fileNameSafe(const std::string& text, std::size_t maxLength = 60);

/// A1111's running number: one more than the largest number that starts a file name in `folder`
/// (0 for a new or empty folder).
int nextImageIndex(const std::string& folder);

/// The path a job's image goes to: the options' exact path or folder + pattern + extension, with
/// {index} the folder's next running number; never an existing file (a taken name gets -2, -3, …)
/// unless `overwrite` is set for an exact path. `defaultFolder` stands in for an empty
/// options.folder. Creates no folders or files.
std::string outputPathFor(const OutputOptions& options, const std::string& defaultFolder,
                          const api::GenerationRequest& request, std::int64_t seed, int indexInJob, int imagesInJob);

/// File extension (with dot) for an OutputOptions format or an exact path: ".png", ".jpg", ".webp".
std::string outputExtension(const OutputOptions& options);

} // namespace easel::service
