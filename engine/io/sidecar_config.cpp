// Sidecar configs beside model files: LDM/sgm `name.yaml` (A1111 convention) and diffusers
// `config.json`. They state what the weights cannot (heads, prediction type, scaling factor).
#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "engine/api/error.h"
#include "engine/io/model_detect.h"
#include "engine/io/yaml_lite.h"

namespace easel::io {

namespace {

bool toInt(const YamlNode* n, int& out)
{
    if (!n || n->type != YamlNode::Type::Scalar)
        return false;
    try {
        size_t used = 0;
        const int v = std::stoi(n->scalar, &used);
        if (used != n->scalar.size())
            return false;
        out = v;
        return true;
    } catch (...) {
        return false;
    }
}

std::vector<int> toIntList(const YamlNode* n)
{
    std::vector<int> out;
    if (!n || n->type != YamlNode::Type::List)
        return out;
    for (const YamlNode& item : n->list) {
        int v = 0;
        if (toInt(&item, v))
            out.push_back(v);
    }
    return out;
}

bool toBool(const YamlNode* n, bool& out)
{
    if (!n || n->type != YamlNode::Type::Scalar)
        return false;
    const std::string& s = n->scalar;
    if (s == "true" || s == "True" || s == "TRUE")
        out = true;
    else if (s == "false" || s == "False" || s == "FALSE")
        out = false;
    else
        return false;
    return true;
}

/// Depth per level, 0 where a level has no attention; `list` may give one value per level.
void setDepths(UNetConfig& c, const std::vector<int>& list, int single)
{
    c.transformerDepth.assign(c.channelMult.size(), 0);
    for (int level : c.attentionLevels)
        if (level >= 0 && level < static_cast<int>(c.transformerDepth.size()))
            c.transformerDepth[level] = list.empty() ? single : list[std::min<size_t>(level, list.size() - 1)];
}

void applyUNetParams(UNetConfig& c, const YamlNode& p)
{
    int v = 0;
    bool b = false;
    if (toInt(p.get("in_channels"), v)) c.inChannels = v;
    if (toInt(p.get("out_channels"), v)) c.outChannels = v;
    if (toInt(p.get("model_channels"), v)) c.modelChannels = v;
    if (auto mult = toIntList(p.get("channel_mult")); !mult.empty()) c.channelMult = mult;
    if (toInt(p.get("num_res_blocks"), v)) c.numResBlocks = v;
    if (const YamlNode* att = p.get("attention_resolutions"); att && att->type == YamlNode::Type::List) {
        c.attentionLevels.clear();
        for (int r : toIntList(att)) {
            const int level = static_cast<int>(std::lround(std::log2(std::max(1, r))));
            if (level < static_cast<int>(c.channelMult.size()))
                c.attentionLevels.push_back(level);
        }
        std::sort(c.attentionLevels.begin(), c.attentionLevels.end());
    }
    const std::vector<int> depths = toIntList(p.get("transformer_depth"));
    int depth = 0;
    if (!depths.empty() || toInt(p.get("transformer_depth"), depth)) {
        setDepths(c, depths, depth);
        c.transformerDepthMiddle = depths.empty() ? depth : depths.back();
    }
    if (toInt(p.get("transformer_depth_middle"), v)) c.transformerDepthMiddle = v;
    if (toInt(p.get("context_dim"), v)) c.contextDim = v;
    if (toBool(p.get("use_linear_in_transformer"), b)) c.useLinearInTransformer = b;
    if (toInt(p.get("adm_in_channels"), v)) c.admInChannels = v;
    // LDM UNetModel: num_head_channels wins when set (!= -1), else num_heads.
    int heads = -1, headChannels = -1;
    toInt(p.get("num_heads"), heads);
    toInt(p.get("num_head_channels"), headChannels);
    if (headChannels > 0) {
        c.numHeadChannels = headChannels;
        c.numHeads = -1;
    } else if (heads > 0) {
        c.numHeads = heads;
        c.numHeadChannels = -1;
    }
}

void applyVAEParams(VAEConfig& c, const YamlNode& p)
{
    int v = 0;
    if (toInt(p.get("embed_dim"), v)) c.embedDim = v;
    const YamlNode* dd = p.get("ddconfig");
    if (!dd)
        return;
    if (toInt(dd->get("ch"), v)) c.ch = v;
    if (auto mult = toIntList(dd->get("ch_mult")); !mult.empty()) c.chMult = mult;
    if (toInt(dd->get("num_res_blocks"), v)) c.numResBlocks = v;
    if (toInt(dd->get("z_channels"), v)) c.zChannels = v;
    if (toInt(dd->get("in_channels"), v)) c.inChannels = v;
    if (toInt(dd->get("out_ch"), v)) c.outChannels = v;
}

/// transformers CLIPTextConfig fields: what the weights cannot tell (heads, activation) and what
/// they can (widths), which must then agree with them.
void applyTextEncoderConfig(TextEncoderConfig& t, const nlohmann::json& j)
{
    auto intOf = [&](const char* key, int& out) {
        if (j.contains(key) && j[key].is_number_integer())
            out = j[key].get<int>();
    };
    intOf("num_attention_heads", t.heads);
    intOf("intermediate_size", t.mlp);
    intOf("vocab_size", t.vocabSize);
    intOf("max_position_embeddings", t.maxPositions);
    if (j.contains("hidden_act") && j["hidden_act"].is_string())
        t.quickGelu = j["hidden_act"] == "quick_gelu";
    if (t.hasTextProjection)
        intOf("projection_dim", t.projectionDim);
}

} // namespace

void applyTextEncoderConfig(TextEncoderConfig& config, const std::string& jsonText, const std::string& path)
{
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(jsonText);
    } catch (const nlohmann::json::exception& e) {
        throw api::Error(api::ErrorCode::CorruptFile, std::string("invalid text encoder config: ") + e.what(), path);
    }
    if (j.is_object())
        applyTextEncoderConfig(config, j);
}

void applyLdmYaml(DetectedModel& m, const std::string& text, const std::string& path)
{
    const YamlNode root = parseYaml(text, path);
    const YamlNode* params = root.path("model.params");
    if (!params)
        return;
    m.configSource = path.empty() ? "yaml" : path;
    if (const YamlNode* control = params->path("control_stage_config.params")) {
        applyUNetParams(m.controlNet.unet, *control);
        int hint = 0;
        if (toInt(control->get("hint_channels"), hint))
            m.controlNet.hintChannels = hint;
    }
    const YamlNode* unet = params->path("unet_config.params");
    if (!unet)
        unet = params->path("network_config.params");
    if (unet && m.kind != ModelKind::ControlNet)
        applyUNetParams(m.unet, *unet);
    if (m.kind == ModelKind::ControlNet)
        m.unet = m.controlNet.unet;
    if (const YamlNode* vae = params->path("first_stage_config.params"))
        applyVAEParams(m.vae, *vae);
    if (const YamlNode* sf = params->get("scale_factor"); sf && sf->type == YamlNode::Type::Scalar) {
        try {
            m.vae.scalingFactor = std::stod(sf->scalar);
        } catch (...) {
        }
    }
    // Prediction: LDM `parameterization` (default eps); sgm denoiser scaling/weighting class names.
    Prediction pred = Prediction::Epsilon;
    if (const YamlNode* param = params->get("parameterization"); param && param->type == YamlNode::Type::Scalar)
        pred = param->scalar == "v" ? Prediction::VPrediction : Prediction::Epsilon;
    if (const YamlNode* scaling = params->path("denoiser_config.params.scaling_config.target"))
        if (scaling->scalar.find("VScaling") != std::string::npos)
            pred = Prediction::VPrediction;
    m.unet.prediction = pred;
    m.predictionKnown = true;
    std::erase_if(m.notes, [](const std::string& n) { return n.rfind("prediction type", 0) == 0; });
}

void applyDiffusersConfig(DetectedModel& m, const std::string& text, const std::string& path)
{
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw api::Error(api::ErrorCode::CorruptFile, std::string("invalid config.json: ") + e.what(), path);
    }
    if (!j.is_object())
        return;
    auto intOf = [&](const char* key, int& out) {
        if (j.contains(key) && j[key].is_number_integer())
            out = j[key].get<int>();
    };
    const std::string cls = j.value("_class_name", std::string());
    if (j.contains("prediction_type") && j["prediction_type"].is_string()) { // scheduler_config.json
        m.unet.prediction = j["prediction_type"] == "v_prediction" ? Prediction::VPrediction : Prediction::Epsilon;
        m.predictionKnown = true;
        return;
    }
    if (cls == "UNet2DConditionModel" || cls == "ControlNetModel") {
        UNetConfig& c = cls == "ControlNetModel" ? m.controlNet.unet : m.unet;
        intOf("in_channels", c.inChannels);
        intOf("out_channels", c.outChannels);
        intOf("layers_per_block", c.numResBlocks);
        std::vector<int> blocks;
        if (j.contains("block_out_channels") && j["block_out_channels"].is_array())
            blocks = j["block_out_channels"].get<std::vector<int>>();
        if (!blocks.empty()) {
            c.modelChannels = blocks[0];
            c.channelMult.clear();
            for (int b : blocks)
                c.channelMult.push_back(b / std::max(1, blocks[0]));
        }
        if (j.contains("down_block_types") && j["down_block_types"].is_array()) {
            c.attentionLevels.clear();
            for (size_t i = 0; i < j["down_block_types"].size(); ++i)
                if (j["down_block_types"][i].get<std::string>().find("CrossAttn") != std::string::npos)
                    c.attentionLevels.push_back(static_cast<int>(i));
        }
        const auto& tl = j.value("transformer_layers_per_block", nlohmann::json(1));
        std::vector<int> depths;
        if (tl.is_array())
            depths = tl.get<std::vector<int>>();
        setDepths(c, depths, tl.is_number_integer() ? tl.get<int>() : 1);
        c.transformerDepthMiddle = depths.empty() ? (tl.is_number_integer() ? tl.get<int>() : 1) : depths.back();
        if (j.contains("cross_attention_dim") && j["cross_attention_dim"].is_number_integer())
            c.contextDim = j["cross_attention_dim"].get<int>();
        if (j.contains("use_linear_projection") && j["use_linear_projection"].is_boolean())
            c.useLinearInTransformer = j["use_linear_projection"].get<bool>();
        if (j.value("addition_embed_type", nlohmann::json()).is_string())
            intOf("projection_class_embeddings_input_dim", c.admInChannels);
        // Heads: `num_attention_heads` when set, else diffusers' historical `attention_head_dim`,
        // which actually holds head counts (int: same count everywhere; list: per level).
        nlohmann::json heads = j.value("num_attention_heads", nlohmann::json());
        if (heads.is_null())
            heads = j.value("attention_head_dim", nlohmann::json());
        if (heads.is_number_integer()) {
            c.numHeads = heads.get<int>();
            c.numHeadChannels = -1;
        } else if (heads.is_array() && !heads.empty() && heads.size() == blocks.size()) {
            const int size0 = blocks[0] / std::max(1, heads[0].get<int>());
            bool sameSize = true;
            for (size_t i = 0; i < blocks.size(); ++i)
                sameSize = sameSize && blocks[i] / std::max(1, heads[i].get<int>()) == size0;
            if (sameSize) {
                c.numHeadChannels = size0;
                c.numHeads = -1;
            }
        }
        if (cls == "ControlNetModel") {
            intOf("conditioning_channels", m.controlNet.hintChannels);
            if (j.contains("conditioning_embedding_out_channels") && j["conditioning_embedding_out_channels"].is_array())
                m.controlNet.hintBlockChannels = j["conditioning_embedding_out_channels"].get<std::vector<int>>();
            m.unet = c;
        }
    } else if (cls == "AutoencoderKL") {
        VAEConfig& v = m.vae;
        if (j.contains("block_out_channels") && j["block_out_channels"].is_array()) {
            const auto blocks = j["block_out_channels"].get<std::vector<int>>();
            if (!blocks.empty()) {
                v.ch = blocks[0];
                v.chMult.clear();
                for (int b : blocks)
                    v.chMult.push_back(b / std::max(1, blocks[0]));
            }
        }
        intOf("layers_per_block", v.numResBlocks);
        intOf("latent_channels", v.zChannels);
        intOf("latent_channels", v.embedDim);
        intOf("in_channels", v.inChannels);
        intOf("out_channels", v.outChannels);
        if (j.contains("scaling_factor") && j["scaling_factor"].is_number())
            v.scalingFactor = j["scaling_factor"].get<double>();
    } else if (j.value("model_type", std::string()).find("clip_text") == 0 || j.contains("architectures")) {
        const size_t index = path.find("text_encoder_2") != std::string::npos ? 1 : 0;
        if (index >= m.textEncoders.size())
            return;
        applyTextEncoderConfig(m.textEncoders[index], j);
    } else {
        return;
    }
    m.configSource = path.empty() ? "config.json" : path;
}

} // namespace easel::io
