#include "engine/io/model_detect.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "engine/api/error.h"
#include "engine/io/checkpoint_file.h"
#include "engine/io/key_map.h"
#include "engine/io/key_map_util.h"

namespace easel::io {

namespace fs = std::filesystem;

namespace {

bool startsWith(const std::string& s, const std::string& p) { return s.compare(0, p.size(), p) == 0; }
bool endsWith(const std::string& s, const std::string& p)
{
    return s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0;
}

/// Shapes with prefix queries.
class Shapes {
public:
    explicit Shapes(const TensorShapes& t) : m_t(t), m_stats(keys(t)) {}
    static std::vector<std::string> keys(const TensorShapes& t)
    {
        std::vector<std::string> k;
        for (const auto& kv : t.shapes)
            k.push_back(kv.first);
        return k;
    }
    const std::vector<int64_t>* shape(const std::string& key) const
    {
        const auto it = m_t.shapes.find(key);
        return it == m_t.shapes.end() ? nullptr : &it->second;
    }
    int64_t dim(const std::string& key, size_t i, int64_t fallback = 0) const
    {
        const auto* s = shape(key);
        return s && s->size() > i ? (*s)[i] : fallback;
    }
    bool has(const std::string& key) const { return m_t.shapes.count(key) > 0; }
    bool hasPrefix(const std::string& p) const { return m_stats.hasPrefix(p); }
    int count(const std::string& p) const { return m_stats.count(p); }
    bool anyKeyContains(const std::string& part) const
    {
        for (const auto& kv : m_t.shapes)
            if (kv.first.find(part) != std::string::npos)
                return true;
        return false;
    }
    const TensorShapes& raw() const { return m_t; }

private:
    const TensorShapes& m_t;
    KeyStats m_stats;
};

/// Text encoder heads are invisible in shapes: head size 64 in every real CLIP; tiny test models
/// (width < 128) use 2 heads.
int conventionalHeads(int hidden) { return hidden >= 128 ? std::max(1, hidden / 64) : 2; }

bool detectUNet(const Shapes& s, const std::string& p, UNetConfig& c)
{
    const auto* in = s.shape(p + "input_blocks.0.0.weight");
    if (!in || in->size() != 4)
        return false;
    c.modelChannels = static_cast<int>((*in)[0]);
    c.inChannels = static_cast<int>((*in)[1]);
    c.outChannels = static_cast<int>(s.dim(p + "out.2.weight", 0, c.inChannels == 4 ? 4 : 4));
    c.channelMult.clear();
    c.attentionLevels.clear();
    c.transformerDepth.clear();
    c.numResBlocks = -1;
    int level = 0, resInLevel = 0, levelChannels = c.modelChannels, levelDepth = 0;
    auto closeLevel = [&]() {
        c.channelMult.push_back(levelChannels / std::max(1, c.modelChannels));
        c.transformerDepth.push_back(levelDepth);
        if (levelDepth > 0)
            c.attentionLevels.push_back(level);
        if (c.numResBlocks < 0)
            c.numResBlocks = resInLevel;
        ++level;
        resInLevel = 0;
        levelDepth = 0;
    };
    const int blocks = s.count(p + "input_blocks.");
    for (int i = 1; i < blocks; ++i) {
        const std::string b = p + "input_blocks." + std::to_string(i) + ".";
        if (s.has(b + "0.op.weight")) {
            closeLevel();
        } else if (const auto* w = s.shape(b + "0.in_layers.2.weight")) {
            levelChannels = static_cast<int>((*w)[0]);
            ++resInLevel;
            if (const auto* proj = s.shape(b + "1.proj_in.weight")) {
                c.useLinearInTransformer = proj->size() == 2;
                levelDepth = std::max(levelDepth, s.count(b + "1.transformer_blocks."));
                c.contextDim = static_cast<int>(s.dim(b + "1.transformer_blocks.0.attn2.to_k.weight", 1, c.contextDim));
            }
        }
    }
    closeLevel();
    c.transformerDepthMiddle = s.count(p + "middle_block.1.transformer_blocks.");
    if (const auto* mid = s.shape(p + "middle_block.1.proj_in.weight"))
        c.useLinearInTransformer = mid->size() == 2;
    c.admInChannels = static_cast<int>(s.dim(p + "label_emb.0.0.weight", 1, 0));
    return true;
}

ModelFamily familyFromUNet(const UNetConfig& c)
{
    if (c.admInChannels > 0)
        return c.admInChannels == 2560 || c.contextDim == 1280 ? ModelFamily::SDXLRefiner : ModelFamily::SDXL;
    if (c.contextDim == 768)
        return ModelFamily::SD1;
    if (c.contextDim == 1024)
        return ModelFamily::SD2;
    return c.useLinearInTransformer ? ModelFamily::SD2 : ModelFamily::SD1;
}

/// What the released models use (SD1: a fixed head count; SD2 and SDXL: a fixed head size). A
/// sidecar overrides it; test-size models (width < 128) without one get 2 heads at level 0.
void applyHeadConvention(UNetConfig& c, ModelFamily f)
{
    const bool tiny = c.modelChannels < 128;
    if (f == ModelFamily::SD1) {
        c.numHeads = tiny ? 2 : UNetConfig::sd15().numHeads;
        c.numHeadChannels = -1;
    } else {
        c.numHeads = -1;
        c.numHeadChannels = tiny ? c.modelChannels / 2 : UNetConfig::sdxl().numHeadChannels;
    }
}

bool detectHfClip(const Shapes& s, const std::string& p, TextEncoderConfig& c)
{
    const auto* tok = s.shape(p + "text_model.embeddings.token_embedding.weight");
    if (!tok || tok->size() != 2)
        return false;
    c.kind = TextEncoderKind::CLIP_HF;
    c.vocabSize = static_cast<int>((*tok)[0]);
    c.hidden = static_cast<int>((*tok)[1]);
    c.maxPositions = static_cast<int>(s.dim(p + "text_model.embeddings.position_embedding.weight", 0, 77));
    c.layers = s.count(p + "text_model.encoder.layers.");
    c.mlp = static_cast<int>(s.dim(p + "text_model.encoder.layers.0.mlp.fc1.weight", 0, 4 * c.hidden));
    c.heads = conventionalHeads(c.hidden);
    c.quickGelu = true;
    c.padToken = 49407;
    if (const auto* proj = s.shape(p + "text_projection.weight")) {
        c.hasTextProjection = true;
        c.projectionDim = static_cast<int>((*proj)[0]);
    }
    return true;
}

bool detectOpenClip(const Shapes& s, const std::string& p, TextEncoderConfig& c)
{
    const auto* tok = s.shape(p + "token_embedding.weight");
    if (!tok || tok->size() != 2 || !s.hasPrefix(p + "transformer.resblocks."))
        return false;
    c.kind = TextEncoderKind::OpenCLIP;
    c.vocabSize = static_cast<int>((*tok)[0]);
    c.hidden = static_cast<int>((*tok)[1]);
    c.maxPositions = static_cast<int>(s.dim(p + "positional_embedding", 0, 77));
    c.layers = s.count(p + "transformer.resblocks.");
    c.mlp = static_cast<int>(s.dim(p + "transformer.resblocks.0.mlp.c_fc.weight", 0, 4 * c.hidden));
    c.heads = conventionalHeads(c.hidden);
    c.quickGelu = false;
    c.padToken = 0;
    if (const auto* proj = s.shape(p + "text_projection")) {
        c.hasTextProjection = true;
        c.projectionDim = static_cast<int>(proj->back());
    }
    return true;
}

bool detectVAE(const Shapes& s, const std::string& p, VAEConfig& c)
{
    const auto* in = s.shape(p + "encoder.conv_in.weight");
    if (!in || in->size() != 4 || !s.has(p + "decoder.conv_out.weight"))
        return false;
    c.ch = static_cast<int>((*in)[0]);
    c.inChannels = static_cast<int>((*in)[1]);
    c.outChannels = static_cast<int>(s.dim(p + "decoder.conv_out.weight", 0, 3));
    c.zChannels = static_cast<int>(s.dim(p + "decoder.conv_in.weight", 1, 4));
    c.embedDim = static_cast<int>(s.dim(p + "post_quant_conv.weight", 0, c.zChannels));
    c.numResBlocks = s.count(p + "encoder.down.0.block.");
    c.chMult.clear();
    const int levels = s.count(p + "encoder.down.");
    for (int l = 0; l < levels; ++l)
        c.chMult.push_back(static_cast<int>(s.dim(p + "encoder.down." + std::to_string(l) + ".block.0.conv2.weight", 0, c.ch)) /
                           std::max(1, c.ch));
    return true;
}

/// Families Easel recognises but cannot run yet.
std::string unsupportedFamily(const Shapes& s)
{
    for (const std::string p : {"", "model.diffusion_model.", "model."}) {
        if (s.hasPrefix(p + "double_blocks.") && s.hasPrefix(p + "single_blocks."))
            return "Flux";
        if (s.hasPrefix(p + "joint_blocks."))
            return "SD3";
    }
    if (s.hasPrefix("transformer_blocks.") && s.has("context_embedder.weight") && s.hasPrefix("transformer_blocks.0.attn.add_q_proj"))
        return "SD3";
    if (s.hasPrefix("transformer_blocks.") && s.hasPrefix("single_transformer_blocks."))
        return "Flux";
    if (s.anyKeyContains("time_stack.") || s.anyKeyContains(".time_mixer."))
        return "Stable Video Diffusion";
    if (s.anyKeyContains("motion_modules."))
        return "AnimateDiff motion module";
    if (s.has("image_proj.proj.weight") || s.hasPrefix("ip_adapter.") || s.has("image_proj.latents"))
        return "IP-Adapter";
    if (s.hasPrefix("encoder.block.0.layer.0.SelfAttention.") || s.hasPrefix("encoder.final_layer_norm."))
        return "T5 text encoder";
    if (s.hasPrefix("model.diffusion_model.") && s.hasPrefix("model.diffusion_model.blocks.") &&
        s.anyKeyContains("cross_attn"))
        return "PixArt/DiT";
    if (s.hasPrefix("down_blocks.0.0.channelwise") || s.hasPrefix("down_blocks.0.0.depthwise"))
        return "Stable Cascade";
    return {};
}

bool isLoRA(const Shapes& s, DetectedModel& m)
{
    bool lora = false, conv = false, loha = false, lokr = false, peft = false;
    for (const auto& [k, shape] : s.raw().shapes) {
        if (endsWith(k, ".lora_down.weight") || endsWith(k, ".lora_up.weight")) {
            lora = true;
            conv = conv || (endsWith(k, ".lora_down.weight") && shape.size() == 4 && shape[2] > 1);
        } else if (k.find(".hada_w1_a") != std::string::npos) {
            loha = true;
        } else if (k.find(".lokr_w1") != std::string::npos) {
            lokr = true;
        } else if (endsWith(k, ".lora_A.weight") || endsWith(k, ".lora.down.weight")) {
            peft = true;
        }
    }
    if (!(lora || loha || lokr || peft))
        return false;
    m.kind = ModelKind::LoRA;
    m.loraType = loha ? "LoHa" : lokr ? "LoKr" : conv ? "LoCon" : lora ? "LoRA" : "LoRA (diffusers/PEFT)";
    m.layout = peft && !lora ? KeyLayout::Diffusers : KeyLayout::LDM;

    // Family: kohya metadata first, then dual text encoders, then cross-attention widths.
    const auto& meta = s.raw().metadata;
    auto metaValue = [&](const char* key) {
        const auto it = meta.find(key);
        return it == meta.end() ? std::string() : it->second;
    };
    const std::string base = metaValue("ss_base_model_version") + " " + metaValue("modelspec.architecture");
    if (base.find("sdxl") != std::string::npos || base.find("stable-diffusion-xl") != std::string::npos) {
        m.family = ModelFamily::SDXL;
        return true;
    }
    if (base.find("sd_v2") != std::string::npos || metaValue("ss_v2") == "True" ||
        base.find("stable-diffusion-v2") != std::string::npos) {
        m.family = ModelFamily::SD2;
        return true;
    }
    if (base.find("sd_v1") != std::string::npos || base.find("stable-diffusion-v1") != std::string::npos) {
        m.family = ModelFamily::SD1;
        return true;
    }
    int context = 0, textWidth = 0;
    bool te2 = false, ldmNames = false;
    for (const auto& [k, shape] : s.raw().shapes) {
        if (startsWith(k, "lora_te2_") || startsWith(k, "lora_te1_") || startsWith(k, "text_encoder_2."))
            te2 = true;
        if (startsWith(k, "lora_unet_input_blocks_") || startsWith(k, "lora_unet_output_blocks_") || startsWith(k, "lora_unet_middle_block_"))
            ldmNames = true;
        const bool down = endsWith(k, ".lora_down.weight") || endsWith(k, ".lora_A.weight") || endsWith(k, ".lora.down.weight");
        if (down && shape.size() >= 2 && (k.find("attn2_to_k") != std::string::npos || k.find("attn2.to_k") != std::string::npos))
            context = static_cast<int>(shape[1]);
        if (down && shape.size() >= 2 && (k.find("q_proj") != std::string::npos) &&
            (startsWith(k, "lora_te_") || startsWith(k, "text_encoder.")))
            textWidth = static_cast<int>(shape[1]);
    }
    if (te2 || context == 2048 || context == 1280)
        m.family = ModelFamily::SDXL;
    else if (context == 1024 || textWidth == 1024)
        m.family = ModelFamily::SD2;
    else if (context == 768 || textWidth == 768)
        m.family = ModelFamily::SD1;
    else if (ldmNames)
        m.family = ModelFamily::SDXL; // kohya names SDXL UNet modules by their LDM paths
    else {
        m.family = ModelFamily::SD1;
        m.notes.push_back("LoRA widths match no known model; assumed SD1");
    }
    return true;
}

bool isEmbedding(const Shapes& s, DetectedModel& m)
{
    const auto& shapes = s.raw().shapes;
    if (shapes.size() > 8)
        return false;
    const std::vector<int64_t>* vec = nullptr;
    if (auto* e = s.shape("emb_params"))
        vec = e;
    for (const auto& [k, shape] : shapes)
        if (startsWith(k, "string_to_param."))
            vec = &shape;
    const auto* l = s.shape("clip_l");
    const auto* g = s.shape("clip_g");
    if (l && g && l->size() == 2 && g->size() == 2) {
        m.kind = ModelKind::Embedding;
        m.family = ModelFamily::SDXL;
        m.embeddingVectors = static_cast<int>((*l)[0]);
        m.embeddingDims = {static_cast<int>((*l)[1]), static_cast<int>((*g)[1])};
        return true;
    }
    if (!vec || vec->empty() || vec->size() > 2)
        return false;
    m.kind = ModelKind::Embedding;
    const int dim = static_cast<int>(vec->back());
    m.embeddingVectors = vec->size() == 2 ? static_cast<int>((*vec)[0]) : 1;
    m.embeddingDims = {dim};
    if (dim == 1024) {
        m.family = ModelFamily::SD2;
    } else {
        m.family = ModelFamily::SD1;
        if (dim != 768)
            m.notes.push_back("embedding width " + std::to_string(dim) + " matches no known model; assumed SD1");
    }
    return true;
}

std::string upscalerArch(const Shapes& s)
{
    if (s.has("conv_first.weight") && (s.hasPrefix("RRDB_trunk.") || s.hasPrefix("body.0.rdb1.")))
        return "ESRGAN";
    if (s.has("model.0.weight") && s.hasPrefix("model.1.sub.0.RDB1."))
        return "ESRGAN";
    if (s.has("conv_first.weight") && s.hasPrefix("layers.0.residual_group."))
        return "SwinIR";
    if (s.has("params_ema.conv_first.weight") || s.hasPrefix("params_ema.body.") || s.hasPrefix("params.body."))
        return "Real-ESRGAN";
    if (s.has("body.0.weight") && s.has("body.1.weight") && s.raw().shapes.size() < 80 && !s.hasPrefix("body.0.rdb1"))
        return "Real-ESRGAN compact (SRVGG)";
    return {};
}

void detectTextEncoders(const Shapes& s, DetectedModel& m)
{
    TextEncoderConfig c;
    if (detectHfClip(s, kLdmSDXLText0Prefix, c))
        m.textEncoders.push_back(c);
    if (detectOpenClip(s, "conditioner.embedders.0.model.", c))
        m.textEncoders.push_back(c); // SDXL refiner: bigG only
    if (detectOpenClip(s, kLdmSDXLText1Prefix, c))
        m.textEncoders.push_back(c);
    if (detectHfClip(s, kLdmSD1TextPrefix, c))
        m.textEncoders.push_back(c);
    if (detectOpenClip(s, kLdmSD2TextPrefix, c))
        m.textEncoders.push_back(c);
}

ModelFamily familyFromTextEncoders(const Shapes& s)
{
    if (s.hasPrefix(kLdmSDXLText0Prefix) && s.hasPrefix(kLdmSDXLText1Prefix))
        return ModelFamily::SDXL;
    if (s.hasPrefix("conditioner.embedders.0.model."))
        return ModelFamily::SDXLRefiner;
    if (s.hasPrefix(kLdmSD1TextPrefix))
        return ModelFamily::SD1;
    if (s.hasPrefix(kLdmSD2TextPrefix))
        return ModelFamily::SD2;
    return ModelFamily::Unknown;
}

void applyPredictionEvidence(const Shapes& s, DetectedModel& m)
{
    const auto it = s.raw().metadata.find("modelspec.prediction_type");
    if (s.has("v_pred") || (it != s.raw().metadata.end() && it->second.find("v") == 0)) {
        m.unet.prediction = Prediction::VPrediction;
        m.predictionKnown = true;
    } else if (it != s.raw().metadata.end() && it->second.find("eps") == 0) {
        m.unet.prediction = Prediction::Epsilon;
        m.predictionKnown = true;
    } else {
        m.unet.prediction = m.family == ModelFamily::SD2 ? Prediction::VPrediction : Prediction::Epsilon;
        m.notes.push_back(std::string("prediction type not stored in the weights; assumed ") +
                          predictionName(m.unet.prediction) + " (add a .yaml sidecar to change it)");
    }
}

/// Renames a diffusers component's shapes to LDM names.
TensorShapes renamed(const TensorShapes& t, const KeyMap& map, const std::string& prefix)
{
    TensorShapes out;
    out.metadata = t.metadata;
    for (const auto& [k, v] : t.shapes) {
        const auto it = map.find(k);
        out.shapes[prefix + (it == map.end() ? k : it->second)] = v;
    }
    return out;
}

} // namespace

TensorShapes TensorShapes::of(const SafetensorsFile& file)
{
    TensorShapes t;
    for (const TensorInfo& i : file.tensors())
        t.shapes[i.name] = i.shape;
    t.metadata = file.metadata();
    return t;
}

DetectedModel detectModel(const TensorShapes& tensors)
{
    DetectedModel m;
    const Shapes s(tensors);
    if (const std::string u = unsupportedFamily(s); !u.empty()) {
        m.kind = ModelKind::Unsupported;
        m.unsupportedFamily = u;
        return m;
    }
    if (isLoRA(s, m) || isEmbedding(s, m))
        return m;

    // ControlNet, lllyasviel layout (with or without `control_model.`), then diffusers layout.
    for (const std::string p : {std::string(kLdmControlNetPrefix), std::string()}) {
        if (!s.has(p + "input_hint_block.0.weight"))
            continue;
        m.kind = ModelKind::ControlNet;
        m.keyPrefix = p;
        detectUNet(s, p, m.controlNet.unet);
        m.family = familyFromUNet(m.controlNet.unet);
        applyHeadConvention(m.controlNet.unet, m.family);
        m.controlNet.hintChannels = static_cast<int>(s.dim(p + "input_hint_block.0.weight", 1, 3));
        // Convs sit at even indices (SiLU between); the widths before each stride-2 conv are the
        // diffusers `conditioning_embedding_out_channels`: outputs of convs 0, 2, 4, ... of the pairs.
        std::vector<int> convs;
        for (int i = 0; i < s.count(p + "input_hint_block."); ++i)
            if (const auto* w = s.shape(p + "input_hint_block." + std::to_string(i) + ".weight"))
                convs.push_back(static_cast<int>((*w)[0]));
        m.controlNet.hintBlockChannels.clear();
        for (size_t i = 0; i + 1 < convs.size(); i += 2)
            m.controlNet.hintBlockChannels.push_back(convs[i]);
        m.unet = m.controlNet.unet;
        return m;
    }
    if (s.has("controlnet_cond_embedding.conv_in.weight")) {
        DetectedModel d = detectModel(renamed(tensors, controlNetDiffusersToLdm(Shapes::keys(tensors)), kLdmControlNetPrefix));
        d.layout = KeyLayout::Diffusers;
        d.keyPrefix.clear();
        return d;
    }

    // Checkpoints: LDM single file, bare LDM UNet, diffusers UNet.
    for (const std::string p : {std::string(kLdmUNetPrefix), std::string()}) {
        if (!detectUNet(s, p, m.unet))
            continue;
        m.kind = ModelKind::Checkpoint;
        m.hasUNet = true;
        m.keyPrefix = p;
        m.family = familyFromTextEncoders(s);
        if (m.family == ModelFamily::Unknown)
            m.family = familyFromUNet(m.unet);
        applyHeadConvention(m.unet, m.family);
        m.variant = m.unet.inChannels == 9   ? CheckpointVariant::Inpainting
                    : m.unet.inChannels == 8 ? CheckpointVariant::InstructPix2Pix
                                             : CheckpointVariant::Normal;
        m.hasVAE = detectVAE(s, kLdmVAEPrefix, m.vae);
        if (m.family == ModelFamily::SDXL || m.family == ModelFamily::SDXLRefiner)
            m.vae.scalingFactor = 0.13025;
        detectTextEncoders(s, m);
        applyPredictionEvidence(s, m);
        return m;
    }
    if (s.has("conv_in.weight") && s.has("time_embedding.linear_1.weight")) {
        DetectedModel d = detectModel(renamed(tensors, unetDiffusersToLdm(Shapes::keys(tensors)), kLdmUNetPrefix));
        d.layout = KeyLayout::Diffusers;
        d.keyPrefix.clear();
        return d;
    }

    // Standalone VAE.
    for (const std::string p : {std::string(), std::string(kLdmVAEPrefix), std::string("vae.")}) {
        if (!detectVAE(s, p, m.vae))
            continue;
        m.kind = ModelKind::VAE;
        m.hasVAE = true;
        m.keyPrefix = p;
        return m;
    }
    if (s.has("encoder.conv_in.weight") && s.hasPrefix("encoder.down_blocks.")) {
        DetectedModel d = detectModel(renamed(tensors, vaeDiffusersToLdm(Shapes::keys(tensors)), ""));
        d.layout = KeyLayout::Diffusers;
        return d;
    }

    if (const std::string arch = upscalerArch(s); !arch.empty()) {
        m.kind = ModelKind::Upscaler;
        m.upscalerArch = arch;
        return m;
    }
    TextEncoderConfig te;
    if (detectHfClip(s, "", te) || detectOpenClip(s, "", te)) {
        m.kind = ModelKind::Unsupported;
        m.unsupportedFamily = "standalone text encoder";
        m.textEncoders.push_back(te);
    }
    return m;
}

// ----- sidecars ---------------------------------------------------------------------------------

namespace {

std::string readText(const fs::path& p)
{
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

TensorShapes folderShapes(const fs::path& dir, std::vector<fs::path>& configs)
{
    TensorShapes all;
    auto weights = [](const fs::path& d) -> fs::path {
        for (const char* n : {"diffusion_pytorch_model.safetensors", "model.safetensors", "diffusion_pytorch_model.fp16.safetensors",
                              "model.fp16.safetensors"})
            if (fs::is_regular_file(d / n))
                return d / n;
        return {};
    };
    using NameFn = std::function<std::string(const std::string&, const KeyMap&)>;
    using MapFn = std::function<KeyMap(const std::vector<std::string>&)>;
    auto add = [&](const std::string& sub, const NameFn& name, const MapFn& makeMap) {
        const fs::path w = weights(dir / sub);
        if (w.empty())
            return;
        const TensorShapes t = TensorShapes::of(SafetensorsFile::openHeaderOnly(w.string()));
        const KeyMap map = makeMap ? makeMap(Shapes::keys(t)) : KeyMap{};
        for (const auto& [k, v] : t.shapes)
            if (const std::string n = name(k, map); !n.empty())
                all.shapes[n] = v;
        if (fs::is_regular_file(dir / sub / "config.json"))
            configs.push_back(dir / sub / "config.json");
    };
    auto viaMap = [](const std::string& prefix) -> NameFn {
        return [prefix](const std::string& k, const KeyMap& map) {
            const auto it = map.find(k);
            return prefix + (it == map.end() ? k : it->second);
        };
    };
    add("unet", viaMap(kLdmUNetPrefix), unetDiffusersToLdm);
    add("vae", viaMap(kLdmVAEPrefix), vaeDiffusersToLdm);
    const bool sdxl = fs::is_directory(dir / "text_encoder_2");
    bool openClipTe = false;
    if (fs::is_regular_file(dir / "text_encoder" / "config.json"))
        openClipTe = !sdxl && readText(dir / "text_encoder" / "config.json").find("\"gelu\"") != std::string::npos;
    auto openClip = [](const std::string& prefix) -> NameFn {
        return [prefix](const std::string& k, const KeyMap&) {
            const auto n = hfClipToOpenClip(k);
            return n ? prefix + *n : std::string();
        };
    };
    if (openClipTe)
        add("text_encoder", openClip(kLdmSD2TextPrefix), {});
    else
        add("text_encoder", viaMap(sdxl ? kLdmSDXLText0Prefix : kLdmSD1TextPrefix), {});
    if (sdxl)
        add("text_encoder_2", openClip(kLdmSDXLText1Prefix), {});
    return all;
}

bool isPickleCheckpointName(const std::string& path)
{
    for (const char* ext : {".ckpt", ".pt", ".pth", ".bin"})
        if (endsWith(path, ext))
            return true;
    return false;
}

} // namespace

DetectedModel detectModelFile(const std::string& path)
{
    const fs::path p(path);
    if (fs::is_directory(p) && fs::is_regular_file(p / "model_index.json")) {
        std::vector<fs::path> configs;
        DetectedModel m = detectModel(folderShapes(p, configs));
        m.layout = KeyLayout::Diffusers;
        m.notes.clear();
        m.predictionKnown = false;
        if (m.family == ModelFamily::SD2)
            m.unet.prediction = Prediction::VPrediction;
        for (const fs::path& c : configs)
            applyDiffusersConfig(m, readText(c), c.string());
        if (fs::is_regular_file(p / "scheduler" / "scheduler_config.json"))
            applyDiffusersConfig(m, readText(p / "scheduler" / "scheduler_config.json"), (p / "scheduler").string());
        if (!m.predictionKnown)
            m.notes.push_back(std::string("prediction type not stated; assumed ") + predictionName(m.unet.prediction));
        m.configSource = p.string(); // the folder's config.json files
        return m;
    }
    if (fs::is_directory(p) && fs::is_regular_file(p / "config.json")) {
        // A single diffusers component folder (unet/, vae/, a ControlNetModel download).
        for (const char* n : {"diffusion_pytorch_model.safetensors", "model.safetensors", "diffusion_pytorch_model.fp16.safetensors"})
            if (fs::is_regular_file(p / n))
                return detectModelFile((p / n).string());
    }
    TensorShapes shapes;
    if (isPickleCheckpointName(path)) {
        const CheckpointFile checkpoint = CheckpointFile::open(path);
        for (const PickledTensor& t : checkpoint.tensors())
            shapes.shapes[t.name] = t.shape;
    } else {
        shapes = TensorShapes::of(SafetensorsFile::openHeaderOnly(path));
    }
    DetectedModel m = detectModel(shapes);
    fs::path yaml = p;
    yaml.replace_extension(".yaml");
    if (fs::is_regular_file(yaml)) {
        applyLdmYaml(m, readText(yaml), yaml.string());
    } else if (fs::is_regular_file(p.parent_path() / "config.json") && m.layout == KeyLayout::Diffusers) {
        applyDiffusersConfig(m, readText(p.parent_path() / "config.json"), (p.parent_path() / "config.json").string());
    }
    return m;
}

const char* modelKindName(ModelKind kind)
{
    switch (kind) {
    case ModelKind::Checkpoint: return "checkpoint";
    case ModelKind::VAE: return "vae";
    case ModelKind::LoRA: return "lora";
    case ModelKind::Embedding: return "embedding";
    case ModelKind::ControlNet: return "controlnet";
    case ModelKind::Upscaler: return "upscaler";
    case ModelKind::Unsupported: return "unsupported";
    case ModelKind::Unknown: break;
    }
    return "unknown";
}

const char* modelFamilyName(ModelFamily family)
{
    switch (family) {
    case ModelFamily::SD1: return "SD1";
    case ModelFamily::SD2: return "SD2";
    case ModelFamily::SDXL: return "SDXL";
    case ModelFamily::SDXLRefiner: return "SDXL refiner";
    case ModelFamily::Unknown: break;
    }
    return "unknown";
}

const char* predictionName(Prediction p) { return p == Prediction::VPrediction ? "v" : "eps"; }

} // namespace easel::io
