// `easel-cli inspect FILE... [--json] [--no-hash]`: what each model file is, its detected network
// config, contents and hashes. Exit code 1 when any file could not be read (reason on stderr; with
// --json an {"error", "message"} entry). A readable file that is no model (no tensors, an unknown
// layout) is described as it is — kind "unknown", its tensor count — with the reason in
// "not_a_model" (exit 0: inspect reports; `generate`, the catalog and the server refuse it).

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "engine/api/error.h"
#include "engine/io/hashes.h"
#include "engine/io/model_check.h"
#include "engine/io/model_inventory.h"

namespace easel::cli {

namespace {

using nlohmann::json;
using namespace easel::io;

json unetJson(const UNetConfig& c)
{
    return {{"in_channels", c.inChannels}, {"out_channels", c.outChannels}, {"model_channels", c.modelChannels},
            {"channel_mult", c.channelMult}, {"num_res_blocks", c.numResBlocks}, {"attention_levels", c.attentionLevels},
            {"transformer_depth", c.transformerDepth}, {"transformer_depth_middle", c.transformerDepthMiddle},
            {"num_heads", c.numHeads}, {"num_head_channels", c.numHeadChannels}, {"context_dim", c.contextDim},
            {"use_linear_in_transformer", c.useLinearInTransformer}, {"adm_in_channels", c.admInChannels},
            {"prediction", predictionName(c.prediction)}};
}

json describe(const std::string& path, bool hashes)
{
    const DetectedModel m = detectModelFile(path);
    const FileInventory inv = inventoryOf(path);
    json j = {{"path", path}, {"format", inv.format}, {"kind", modelKindName(m.kind)}, {"family", modelFamilyName(m.family)},
              {"layout", m.layout == KeyLayout::LDM ? "ldm" : "diffusers"}, {"config_source", m.configSource},
              {"tensors", inv.tensorCount}, {"parameters", inv.parameters}, {"bytes", inv.bytes}, {"dtypes", inv.dtypes}};
    if (m.kind == ModelKind::Unsupported)
        j["unsupported"] = "recognised but not supported yet: " + m.unsupportedFamily;
    if (const std::string why = notAModelReason(m, inv.tensorCount); !why.empty())
        j["not_a_model"] = why;
    if (m.kind == ModelKind::Checkpoint)
        j["variant"] = m.variant == CheckpointVariant::Inpainting        ? "inpainting"
                       : m.variant == CheckpointVariant::InstructPix2Pix ? "instruct-pix2pix"
                                                                         : "normal";
    if (m.hasUNet || m.kind == ModelKind::ControlNet) {
        j["unet"] = unetJson(m.unet);
        j["prediction_known"] = m.predictionKnown;
    }
    if (m.hasVAE)
        j["vae"] = {{"ch", m.vae.ch}, {"ch_mult", m.vae.chMult}, {"num_res_blocks", m.vae.numResBlocks},
                    {"z_channels", m.vae.zChannels}, {"scaling_factor", m.vae.scalingFactor}};
    for (const auto& t : m.textEncoders)
        j["text_encoders"].push_back({{"layout", t.kind == TextEncoderKind::CLIP_HF ? "hf-clip" : "openclip"}, {"hidden", t.hidden},
                                      {"layers", t.layers}, {"heads", t.heads}, {"mlp", t.mlp},
                                      {"activation", t.quickGelu ? "quick_gelu" : "gelu"}, {"projection_dim", t.projectionDim}});
    if (m.kind == ModelKind::ControlNet)
        j["controlnet"] = {{"hint_channels", m.controlNet.hintChannels}, {"hint_block_channels", m.controlNet.hintBlockChannels}};
    if (m.kind == ModelKind::LoRA)
        j["lora_type"] = m.loraType;
    if (m.kind == ModelKind::Embedding)
        j["embedding"] = {{"vectors", m.embeddingVectors}, {"dims", m.embeddingDims}};
    if (m.kind == ModelKind::Upscaler)
        j["upscaler"] = m.upscalerArch;
    if (!m.notes.empty())
        j["notes"] = m.notes;
    json meta = json::object();
    for (const auto& [k, v] : inv.metadata)
        meta[k] = v.size() > 200 ? v.substr(0, 200) + "… (" + std::to_string(v.size()) + " bytes)" : v;
    j["metadata"] = meta;
    j["fast_hash"] = std::filesystem::is_directory(path) ? json() : json(fastIdentityHash(path));
    if (hashes && !std::filesystem::is_directory(path)) {
        const std::string sha = sha256File(path);
        j["sha256"] = sha;
        j["autov2"] = autoV2(sha);
        j["autov1"] = autoV1(path);
        if (m.kind == ModelKind::LoRA)
            j["autov3"] = autoV3(path);
    }
    return j;
}

std::string text(const json& j)
{
    std::ostringstream o;
    o << j["path"].get<std::string>() << "\n";
    auto line = [&](const char* label, const json& v) {
        if (v.is_null())
            return;
        o << "  " << std::left << std::setw(14) << label << (v.is_string() ? v.get<std::string>() : v.dump()) << "\n";
    };
    line("kind", j["kind"]);
    line("family", j["family"]);
    if (j.contains("unsupported")) line("status", j["unsupported"]);
    if (j.contains("not_a_model")) line("status", "not a model: " + j["not_a_model"].get<std::string>());
    if (j.contains("variant")) line("variant", j["variant"]);
    line("format", j["format"].get<std::string>() + " (" + j["layout"].get<std::string>() + " keys)");
    line("config from", j["config_source"]);
    for (const char* k : {"unet", "vae", "text_encoders", "controlnet", "lora_type", "embedding", "upscaler"})
        if (j.contains(k))
            line(k, j[k]);
    std::ostringstream counts;
    counts << j["tensors"].get<uint64_t>() << " tensors, " << j["parameters"].get<uint64_t>() << " parameters, "
           << j["bytes"].get<uint64_t>() << " bytes";
    line("contents", counts.str());
    line("dtypes", j["dtypes"]);
    if (!j["metadata"].empty()) {
        std::ostringstream m;
        m << j["metadata"].size() << " keys";
        for (const char* k : {"ss_output_name", "ss_base_model_version", "ss_network_dim", "ss_network_alpha", "modelspec.title"})
            if (j["metadata"].contains(k))
                m << ", " << k << "=" << j["metadata"][k].get<std::string>();
        line("metadata", m.str());
    }
    if (j.contains("notes"))
        for (const auto& n : j["notes"])
            line("note", n);
    for (const char* k : {"fast_hash", "sha256", "autov2", "autov1", "autov3"})
        if (j.contains(k))
            line(k, j[k]);
    return o.str();
}

int runInspect(const std::vector<std::string>& argv)
{
    const std::vector<OptionSpec> specs = {
        {"json", "", false, false, "print a JSON array"},
        {"no-hash", "", false, false, "skip sha256/AutoV1/V2/V3 (reads the whole file)"},
    };
    const Args args(specs, argv);
    if (args.positionals().empty())
        throw std::invalid_argument("usage: easel-cli inspect FILE... [--json] [--no-hash]");
    json all = json::array();
    int failures = 0;
    for (const std::string& path : args.positionals()) {
        try {
            json j = describe(path, !args.has("no-hash"));
            if (args.has("json"))
                all.push_back(std::move(j));
            else
                std::cout << text(j) << "\n";
        } catch (const api::Error& e) {
            ++failures;
            std::cerr << "easel-cli inspect: " << path << ": " << api::errorCodeName(e.code()) << ": " << e.message() << "\n";
            if (args.has("json"))
                all.push_back({{"path", path}, {"error", api::errorCodeName(e.code())}, {"message", e.message()}});
        }
    }
    if (args.has("json"))
        std::cout << all.dump(2) << "\n";
    return failures ? 1 : 0;
}

const CommandRegistrar registrar{"inspect", "what a model file is: kind, family, config, contents, hashes", &runInspect};

} // namespace

} // namespace easel::cli
