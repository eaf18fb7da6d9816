#include "app/server/a1111_options.h"

#include "app/server/validation.h"

namespace easel::server {

using nlohmann::json;

namespace {

// A1111 1.10 defaults (modules/shared_options.py) of the settings clients commonly read.
json initialValues()
{
    return {
        {"sd_model_checkpoint", ""},
        {"sd_checkpoint_hash", ""},
        {"sd_vae", "Automatic"},
        {"CLIP_stop_at_last_layers", 1},
        {"eta_ancestral", 1.0},
        {"eta_ddim", 0.0},
        {"eta_noise_seed_delta", 0},
        {"randn_source", "GPU"},
        {"emphasis", "Original"},
        {"samples_save", true},
        {"samples_format", "png"},
        {"jpeg_quality", 80},
        {"send_seed", true},
        {"send_size", true},
        {"enable_pnginfo", true},
        {"save_txt", false},
        {"live_previews_enable", true},
        {"show_progress_every_n_steps", 10},
        {"show_progress_type", "Approx cheap"},
        {"live_preview_content", "Prompt"},
        {"img2img_fix_steps", false},
        {"sd_checkpoint_cache", 0},
        {"sd_vae_checkpoint_cache", 0},
        {"upscaler_for_img2img", nullptr},
        {"face_restoration", false},
        {"face_restoration_model", nullptr},
        {"sdxl_crop_top", 0},
        {"sdxl_crop_left", 0},
        {"lora_preferred_name", "Alias from file"},
        {"lora_add_hashes_to_infotext", true},
        {"add_model_hash_to_info", true},
        {"add_model_name_to_info", true},
        {"add_vae_hash_to_info", true},
        {"add_vae_name_to_info", true},
        {"quicksettings_list", {"sd_model_checkpoint"}},
        {"control_net_unit_count", 3},
    };
}

bool sameType(const json& current, const json& value)
{
    if (current.is_null())
        return value.is_null() || value.is_string();
    if (current.is_number() && value.is_number())
        return !current.is_number_integer() || value.is_number_integer();
    return current.type() == value.type();
}

} // namespace

A1111Options::A1111Options() : m_values(initialValues()) {}

json A1111Options::all() const
{
    std::lock_guard lock(m_mutex);
    return m_values;
}

void A1111Options::set(const json& changes, const std::function<void(const std::string&, const std::string&)>& checkModel)
{
    if (!changes.is_object())
        throw ValidationError({"body"}, "options must be a JSON object", "type_error.dict");
    std::vector<FieldError> errors;
    json accepted = json::object();
    {
        std::lock_guard lock(m_mutex);
        for (const auto& [key, value] : changes.items()) {
            const auto it = m_values.find(key);
            if (it == m_values.end() || key == "sd_checkpoint_hash")
                continue; // A1111 ignores names it does not know
            if (!sameType(*it, value)) {
                errors.push_back({{"body", key}, "expected " + std::string(it->type_name()) + ", got " + value.type_name(),
                                  "type_error"});
                continue;
            }
            accepted[key] = value;
        }
    }
    if (!errors.empty())
        throw ValidationError(errors);
    if (checkModel)
        for (const char* key : {"sd_model_checkpoint", "sd_vae"})
            if (accepted.contains(key) && accepted[key].is_string())
                checkModel(key, accepted[key].get<std::string>());
    std::lock_guard lock(m_mutex);
    for (const auto& [key, value] : accepted.items())
        m_values[key] = value;
}

GenerationDefaults A1111Options::defaults() const
{
    std::lock_guard lock(m_mutex);
    GenerationDefaults d;
    d.checkpoint = m_values["sd_model_checkpoint"].get<std::string>();
    d.vae = m_values["sd_vae"].get<std::string>();
    d.clipSkip = m_values["CLIP_stop_at_last_layers"].get<int>();
    d.etaAncestral = m_values["eta_ancestral"].get<double>();
    d.ensd = m_values["eta_noise_seed_delta"].get<std::int64_t>();
    d.rng = m_values["randn_source"].get<std::string>();
    d.emphasis = m_values["emphasis"].get<std::string>();
    d.samplesFormat = m_values["samples_format"].get<std::string>();
    d.jpegQuality = m_values["jpeg_quality"].get<int>();
    return d;
}

} // namespace easel::server
