#include "engine/adapters/lora_targets.h"

#include <algorithm>
#include <set>

#include "engine/io/key_map.h"
#include "engine/models/unet.h"
#include "engine/text/text_encoder.h"

namespace easel::adapters {

namespace {

bool startsWith(const std::string& s, const std::string& p) { return s.compare(0, p.size(), p) == 0; }
bool endsWith(const std::string& s, const std::string& p)
{
    return s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0;
}

std::vector<std::string> splitDots(const std::string& s)
{
    std::vector<std::string> out;
    size_t start = 0;
    for (size_t p; (p = s.find('.', start)) != std::string::npos; start = p + 1)
        out.push_back(s.substr(start, p - start));
    out.push_back(s.substr(start));
    return out;
}

bool parseIndex(const std::string& s, int& value)
{
    if (s.empty() || s.size() > 6 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return false;
    value = std::stoi(s);
    return true;
}

std::string joinFrom(const std::vector<std::string>& parts, size_t from)
{
    std::string out;
    for (size_t i = from; i < parts.size(); ++i)
        out += (out.empty() ? "" : ".") + parts[i];
    return out;
}

std::string withRest(const std::string& head, const std::string& rest) { return rest.empty() ? head : head + "." + rest; }

// ResBlock inner modules, LDM -> diffusers (same correspondence as io/key_map_unet.cpp).
std::string resnetPart(const std::string& rest)
{
    static const std::pair<const char*, const char*> kParts[] = {
        {"in_layers.0", "norm1"},  {"in_layers.2", "conv1"},          {"out_layers.0", "norm2"},
        {"out_layers.3", "conv2"}, {"emb_layers.1", "time_emb_proj"}, {"skip_connection", "conv_shortcut"},
    };
    for (const auto& [ldm, diff] : kParts) {
        const std::string l = ldm;
        if (rest == l)
            return diff;
        if (startsWith(rest, l + "."))
            return std::string(diff) + rest.substr(l.size());
    }
    return {};
}

} // namespace

std::string flatten(std::string path)
{
    std::replace(path.begin(), path.end(), '.', '_');
    return path;
}

std::string unetLdmToDiffusers(const std::string& module, int lpb)
{
    static const std::pair<const char*, const char*> kTop[] = {
        {"time_embed.0", "time_embedding.linear_1"}, {"time_embed.2", "time_embedding.linear_2"},
        {"label_emb.0.0", "add_embedding.linear_1"}, {"label_emb.0.2", "add_embedding.linear_2"},
        {"input_blocks.0.0", "conv_in"},             {"out.0", "conv_norm_out"},
        {"out.2", "conv_out"},
    };
    for (const auto& [ldm, diff] : kTop) {
        const std::string l = ldm;
        if (module == l || startsWith(module, l + "."))
            return diff + module.substr(l.size());
    }
    const std::vector<std::string> p = splitDots(module);
    int n = 0, m = 0;
    if (p.size() >= 3 && p[0] == "input_blocks" && parseIndex(p[1], n) && parseIndex(p[2], m) && n >= 1) {
        const int level = (n - 1) / (lpb + 1), j = (n - 1) % (lpb + 1);
        const std::string rest = joinFrom(p, 3);
        const std::string block = "down_blocks." + std::to_string(level) + ".";
        if (j < lpb && m == 0) {
            const std::string part = resnetPart(rest);
            return part.empty() ? std::string() : block + "resnets." + std::to_string(j) + "." + part;
        }
        if (j < lpb && m == 1)
            return withRest(block + "attentions." + std::to_string(j), rest);
        if (j == lpb && m == 0 && (rest == "op" || startsWith(rest, "op.")))
            return block + "downsamplers.0.conv" + rest.substr(2);
        return {};
    }
    if (p.size() >= 2 && p[0] == "middle_block" && parseIndex(p[1], m)) {
        const std::string rest = joinFrom(p, 2);
        if (m == 1)
            return withRest("mid_block.attentions.0", rest);
        if (m == 0 || m == 2) {
            const std::string part = resnetPart(rest);
            return part.empty() ? std::string() : "mid_block.resnets." + std::to_string(m / 2) + "." + part;
        }
        return {};
    }
    if (p.size() >= 3 && p[0] == "output_blocks" && parseIndex(p[1], n) && parseIndex(p[2], m)) {
        const int level = n / (lpb + 1), j = n % (lpb + 1);
        const std::string rest = joinFrom(p, 3);
        const std::string block = "up_blocks." + std::to_string(level) + ".";
        // Sub-module 1 is the attention, or the upsampler (only a `conv`) on levels without attention.
        const bool upsampler = m == 2 || (m == 1 && (rest == "conv" || startsWith(rest, "conv.")));
        if (m == 0) {
            const std::string part = resnetPart(rest);
            return part.empty() ? std::string() : block + "resnets." + std::to_string(j) + "." + part;
        }
        if (upsampler)
            return withRest(block + "upsamplers.0", rest);
        if (m == 1)
            return withRest(block + "attentions." + std::to_string(j), rest);
    }
    return {};
}

LoRATargetIndex::LoRATargetIndex(models::UNet* unet, const std::vector<text::TextEncoder*>& encoders)
{
    if (unet)
        indexUNet(*unet);
    for (size_t i = 0; i < encoders.size(); ++i)
        if (encoders[i])
            indexEncoder(static_cast<int>(i) + 1, *encoders[i]);
}

const LoRATarget* LoRATargetIndex::find(LoRAComponent component, const std::string& flatName) const
{
    const int c = component == LoRAComponent::UNet ? 0 : component == LoRAComponent::TextEncoder1 ? 1 : 2;
    const auto it = m_targets.find({c, flatName});
    return it == m_targets.end() ? nullptr : &it->second;
}

torch::Tensor LoRATargetIndex::parameter(const std::string& id) const
{
    const auto& [owner, name] = m_owners.at(id);
    const auto params = owner->named_parameters(/*recurse=*/false);
    const torch::Tensor* found = params.find(name);
    TORCH_CHECK(found, "parameter ", id, " disappeared from its module");
    return *found;
}

std::map<std::string, torch::Tensor> LoRATargetIndex::parameters() const
{
    std::map<std::string, torch::Tensor> out;
    for (const auto& [id, owner] : m_owners)
        out[id] = parameter(id);
    return out;
}

void LoRATargetIndex::addModule(int component, const std::string& flatName, bool bias, const ParamSlice& slice)
{
    LoRATarget& t = m_targets[{component, flatName}];
    (bias ? t.bias : t.weight) = slice;
}

std::vector<std::string> LoRATargetIndex::addOwners(torch::nn::Module& root, const std::string& idPrefix)
{
    std::vector<std::string> names;
    for (const auto& item : root.named_modules("", /*include_self=*/true)) {
        for (const auto& param : item.value()->named_parameters(/*recurse=*/false)) {
            const std::string name = item.key().empty() ? param.key() : item.key() + "." + param.key();
            m_owners[idPrefix + name] = {item.value().get(), param.key()};
            names.push_back(name);
        }
    }
    return names;
}

namespace {
/// (module path, is bias) of a parameter name; names without .weight/.bias are their own module.
std::pair<std::string, bool> moduleOf(const std::string& name)
{
    if (endsWith(name, ".bias"))
        return {name.substr(0, name.size() - 5), true};
    if (endsWith(name, ".weight"))
        return {name.substr(0, name.size() - 7), false};
    return {name, false};
}
} // namespace

void LoRATargetIndex::indexUNet(models::UNet& unet)
{
    const int lpb = unet.config().numResBlocks;
    for (const std::string& name : addOwners(unet, "unet/")) {
        const auto [module, bias] = moduleOf(name);
        const ParamSlice slice{"unet/" + name};
        addModule(0, flatten(module), bias, slice);
        const std::string diffusers = unetLdmToDiffusers(module, lpb);
        if (!diffusers.empty())
            addModule(0, flatten(diffusers), bias, slice);
    }
}

void LoRATargetIndex::indexEncoder(int component, text::TextEncoder& encoder)
{
    const std::string idPrefix = "te" + std::to_string(component - 1) + "/";
    const std::vector<std::string> names = addOwners(encoder, idPrefix);
    const std::set<std::string> params(names.begin(), names.end());
    const bool openClip = encoder.config().kind == io::TextEncoderKind::OpenCLIP;
    for (const std::string& name : names) {
        const auto [module, bias] = moduleOf(name);
        const ParamSlice slice{idPrefix + name};
        addModule(component, flatten(module), bias, slice);
        if (!openClip && module != "text_projection")
            addModule(component, flatten("text_model." + module), bias, slice);
    }
    if (!openClip)
        return;
    // LoRAs trained on the HF version of an OpenCLIP encoder (kohya SD2, SDXL te2) name HF modules;
    // io::hfClipToOpenClip knows where each lands (q/k/v: row blocks of in_proj, rows q;k;v).
    const int64_t hidden = encoder.config().hidden;
    std::vector<std::string> hfModules = {"embeddings.token_embedding", "embeddings.position_embedding",
                                          "final_layer_norm"};
    for (int n = 0; n < encoder.config().layers; ++n)
        for (const char* part : {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.out_proj",
                                 "mlp.fc1", "mlp.fc2", "layer_norm1", "layer_norm2"})
            hfModules.push_back("encoder.layers." + std::to_string(n) + "." + part);
    for (const std::string& hf : hfModules) {
        for (const bool bias : {false, true}) {
            const auto mapped = io::hfClipToOpenClip("text_model." + hf + (bias ? ".bias" : ".weight"));
            if (!mapped || !params.count(*mapped))
                continue;
            ParamSlice slice{idPrefix + *mapped};
            const std::string projection = hf.substr(hf.rfind('.') + 1);
            if (projection == "q_proj" || projection == "k_proj" || projection == "v_proj") {
                slice.rowStart = (projection == "q_proj" ? 0 : projection == "k_proj" ? 1 : 2) * hidden;
                slice.rows = hidden;
            }
            addModule(component, flatten(hf), bias, slice);
            addModule(component, flatten("text_model." + hf), bias, slice);
        }
    }
}

} // namespace easel::adapters
