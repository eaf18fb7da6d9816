#include "engine/api/infotext.h"

#include "engine/pipeline/infotext.h"
#include "engine/pipeline/infotext_request.h"

namespace easel::api {

std::optional<std::string> Infotext::get(const std::string& key) const
{
    for (const auto& [k, v] : params)
        if (k == key)
            return v;
    return std::nullopt;
}

void Infotext::set(const std::string& key, const std::string& value)
{
    for (auto& [k, v] : params) {
        if (k == key) {
            v = value;
            return;
        }
    }
    params.emplace_back(key, value);
}

Infotext parseInfotext(const std::string& text) { return pipeline::parseInfotext(text); }

GenerationRequest applyInfotext(const Infotext& infotext, GenerationRequest base)
{
    return pipeline::requestFromInfotext(infotext, std::move(base));
}

} // namespace easel::api
