// CLIP text encoders: HF CLIPTextModel names <-> OpenCLIP names.
#include "engine/io/key_map.h"

namespace easel::io {

namespace {
bool startsWith(const std::string& s, const std::string& p) { return s.compare(0, p.size(), p) == 0; }
} // namespace

std::optional<std::string> hfClipToOpenClip(const std::string& key)
{
    static const std::pair<const char*, const char*> kTop[] = {
        {"text_model.embeddings.token_embedding.weight", "token_embedding.weight"},
        {"text_model.embeddings.position_embedding.weight", "positional_embedding"},
        {"text_model.final_layer_norm.weight", "ln_final.weight"},
        {"text_model.final_layer_norm.bias", "ln_final.bias"},
        {"text_projection.weight", "text_projection"},
    };
    for (const auto& [hf, oc] : kTop)
        if (key == hf)
            return std::string(oc);
    const std::string layers = "text_model.encoder.layers.";
    if (!startsWith(key, layers))
        return std::nullopt;
    const size_t dot = key.find('.', layers.size());
    if (dot == std::string::npos)
        return std::nullopt;
    const std::string n = key.substr(layers.size(), dot - layers.size());
    const std::string rest = key.substr(dot + 1);
    const std::string block = "transformer.resblocks." + n + ".";
    static const std::pair<const char*, const char*> kParts[] = {
        {"self_attn.q_proj.", "attn.in_proj_"}, {"self_attn.k_proj.", "attn.in_proj_"},
        {"self_attn.v_proj.", "attn.in_proj_"}, {"self_attn.out_proj.", "attn.out_proj."},
        {"layer_norm1.", "ln_1."},              {"layer_norm2.", "ln_2."},
        {"mlp.fc1.", "mlp.c_fc."},              {"mlp.fc2.", "mlp.c_proj."},
    };
    for (const auto& [hf, oc] : kParts)
        if (startsWith(rest, hf))
            return block + oc + rest.substr(std::char_traits<char>::length(hf));
    return std::nullopt;
}

} // namespace easel::io
