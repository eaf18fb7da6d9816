#pragma once
// The settings A1111 clients read and write through GET/POST /sdapi/v1/options. Only typed,
// harmless values can be set: no option names a path, runs anything or changes where files go (a
// server never trusts its client). sd_model_checkpoint and sd_vae are the defaults of requests that
// do not override them. Any thread.

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

namespace easel::server {

/// The values a generation takes from the options when its request does not say.
struct GenerationDefaults {
    std::string checkpoint; ///< A1111 title or name; "" = the first checkpoint served
    std::string vae;        ///< "Automatic" / "None" / a VAE name
    int clipSkip = 1;
    double etaAncestral = 1.0;
    std::int64_t ensd = 0;
    std::string rng = "GPU";
    std::string emphasis = "Original";
    std::string samplesFormat = "png";
    int jpegQuality = 80;
};

class A1111Options {
public:
    A1111Options();

    nlohmann::json all() const;
    /// Applies the known keys of `changes` (unknown keys are ignored as A1111 does; a known key of
    /// the wrong type throws ValidationError and nothing is changed). `checkModel` vets a new
    /// sd_model_checkpoint / sd_vae (throws ValidationError when not served).
    void set(const nlohmann::json& changes,
             const std::function<void(const std::string& key, const std::string& value)>& checkModel = {});
    GenerationDefaults defaults() const;

private:
    mutable std::mutex m_mutex;
    nlohmann::json m_values;
};

} // namespace easel::server
