#include "engine/bench/synthetic_library.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <tuple>
#include <map>
#include <mutex>
#include <random>

#include "engine/api/error.h"

namespace easel::catalog::synthetic {

namespace {

namespace fs = std::filesystem;
using Shape = std::vector<int64_t>;

std::string jsonEscape(const std::string& s)
{
    std::string out;
    out.reserve(s.size() + 8);
    for (const char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += c;
            }
        }
    }
    return out;
}

/// The tensor entries of a header (without braces) and the data size they describe.
class Tensors {
public:
    void add(const std::string& name, const Shape& shape, const char* dtype = "F16")
    {
        const int bytes = std::strcmp(dtype, "F32") == 0 ? 4 : std::strcmp(dtype, "I64") == 0 ? 8 : 2;
        uint64_t n = static_cast<uint64_t>(bytes);
        for (const auto d : shape)
            n *= static_cast<uint64_t>(d);
        if (!m_json.empty())
            m_json += ',';
        m_json += '"' + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":[";
        for (size_t i = 0; i < shape.size(); ++i)
            m_json += (i ? "," : "") + std::to_string(shape[i]);
        m_json += "],\"data_offsets\":[" + std::to_string(m_size) + "," + std::to_string(m_size + n) + "]}";
        m_size += n;
    }
    const std::string& json() const { return m_json; }
    uint64_t dataSize() const { return m_size; }

private:
    std::string m_json;
    uint64_t m_size = 0;
};

// --- LDM checkpoints ------------------------------------------------------------------------------

void wb(Tensors& t, const std::string& p, const Shape& w, const char* dt, bool bias = true)
{
    t.add(p + ".weight", w, dt);
    if (bias)
        t.add(p + ".bias", {w[0]}, dt);
}

void resBlock(Tensors& t, const std::string& p, int64_t cin, int64_t cout, const char* dt)
{
    wb(t, p + "in_layers.0", {cin}, dt);
    wb(t, p + "in_layers.2", {cout, cin, 3, 3}, dt);
    wb(t, p + "emb_layers.1", {cout, 1280}, dt);
    wb(t, p + "out_layers.0", {cout}, dt);
    wb(t, p + "out_layers.3", {cout, cout, 3, 3}, dt);
    if (cin != cout)
        wb(t, p + "skip_connection", {cout, cin, 1, 1}, dt);
}

void spatialTransformer(Tensors& t, const std::string& p, int64_t ch, int depth, int64_t context, bool linear, const char* dt)
{
    wb(t, p + "norm", {ch}, dt);
    wb(t, p + "proj_in", linear ? Shape{ch, ch} : Shape{ch, ch, 1, 1}, dt);
    for (int d = 0; d < depth; ++d) {
        const std::string b = p + "transformer_blocks." + std::to_string(d) + ".";
        for (const char* a : {"attn1", "attn2"}) {
            const int64_t kv = std::strcmp(a, "attn2") == 0 ? context : ch;
            wb(t, b + a + ".to_q", {ch, ch}, dt, false);
            wb(t, b + a + ".to_k", {ch, kv}, dt, false);
            wb(t, b + a + ".to_v", {ch, kv}, dt, false);
            wb(t, b + a + ".to_out.0", {ch, ch}, dt);
        }
        wb(t, b + "ff.net.0.proj", {8 * ch, ch}, dt);
        wb(t, b + "ff.net.2", {ch, 4 * ch}, dt);
        for (const char* n : {"norm1", "norm2", "norm3"})
            wb(t, b + n, {ch}, dt);
    }
    wb(t, p + "proj_out", linear ? Shape{ch, ch} : Shape{ch, ch, 1, 1}, dt);
}

void unet(Tensors& t, Family f, const char* dt)
{
    const std::string p = "model.diffusion_model.";
    const bool xl = f == Family::SDXL;
    const std::vector<int> mult = xl ? std::vector<int>{1, 2, 4} : std::vector<int>{1, 2, 4, 4};
    const std::vector<int> depth = xl ? std::vector<int>{0, 2, 10} : std::vector<int>{1, 1, 1, 0};
    const int64_t context = xl ? 2048 : 768;
    wb(t, p + "time_embed.0", {1280, 320}, dt);
    wb(t, p + "time_embed.2", {1280, 1280}, dt);
    if (xl) {
        wb(t, p + "label_emb.0.0", {1280, 2816}, dt);
        wb(t, p + "label_emb.0.2", {1280, 1280}, dt);
    }
    wb(t, p + "input_blocks.0.0", {320, 4, 3, 3}, dt);
    std::vector<int64_t> skips = {320};
    int64_t ch = 320;
    int idx = 1;
    for (size_t l = 0; l < mult.size(); ++l) {
        for (int r = 0; r < 2; ++r) {
            const std::string b = p + "input_blocks." + std::to_string(idx) + ".";
            resBlock(t, b + "0.", ch, 320 * mult[l], dt);
            ch = 320 * mult[l];
            if (depth[l])
                spatialTransformer(t, b + "1.", ch, depth[l], context, xl, dt);
            skips.push_back(ch);
            ++idx;
        }
        if (l + 1 < mult.size()) {
            wb(t, p + "input_blocks." + std::to_string(idx) + ".0.op", {ch, ch, 3, 3}, dt);
            skips.push_back(ch);
            ++idx;
        }
    }
    resBlock(t, p + "middle_block.0.", ch, ch, dt);
    spatialTransformer(t, p + "middle_block.1.", ch, xl ? 10 : 1, context, xl, dt);
    resBlock(t, p + "middle_block.2.", ch, ch, dt);
    idx = 0;
    for (size_t li = mult.size(); li-- > 0;) {
        for (int r = 0; r < 3; ++r) {
            const std::string b = p + "output_blocks." + std::to_string(idx) + ".";
            const int64_t cin = ch + skips.back();
            skips.pop_back();
            resBlock(t, b + "0.", cin, 320 * mult[li], dt);
            ch = 320 * mult[li];
            int sub = 1;
            if (depth[li]) {
                spatialTransformer(t, b + "1.", ch, depth[li], context, xl, dt);
                sub = 2;
            }
            if (li != 0 && r == 2)
                wb(t, b + std::to_string(sub) + ".conv", {ch, ch, 3, 3}, dt);
            ++idx;
        }
    }
    wb(t, p + "out.0", {ch}, dt);
    wb(t, p + "out.2", {4, ch, 3, 3}, dt);
}

void vaeRes(Tensors& t, const std::string& p, int64_t cin, int64_t cout, const char* dt)
{
    wb(t, p + "norm1", {cin}, dt);
    wb(t, p + "conv1", {cout, cin, 3, 3}, dt);
    wb(t, p + "norm2", {cout}, dt);
    wb(t, p + "conv2", {cout, cout, 3, 3}, dt);
    if (cin != cout)
        wb(t, p + "nin_shortcut", {cout, cin, 1, 1}, dt);
}

void vaeMid(Tensors& t, const std::string& p, const char* dt)
{
    vaeRes(t, p + "mid.block_1.", 512, 512, dt);
    wb(t, p + "mid.attn_1.norm", {512}, dt);
    for (const char* n : {"q", "k", "v", "proj_out"})
        wb(t, p + "mid.attn_1." + n, {512, 512, 1, 1}, dt);
    vaeRes(t, p + "mid.block_2.", 512, 512, dt);
}

void vae(Tensors& t, const char* dt)
{
    const std::string p = "first_stage_model.";
    const int mult[] = {1, 2, 4, 4};
    wb(t, p + "encoder.conv_in", {128, 3, 3, 3}, dt);
    int64_t cin = 128;
    for (int l = 0; l < 4; ++l) {
        for (int b = 0; b < 2; ++b) {
            vaeRes(t, p + "encoder.down." + std::to_string(l) + ".block." + std::to_string(b) + ".", cin, 128 * mult[l], dt);
            cin = 128 * mult[l];
        }
        if (l < 3)
            wb(t, p + "encoder.down." + std::to_string(l) + ".downsample.conv", {cin, cin, 3, 3}, dt);
    }
    vaeMid(t, p + "encoder.", dt);
    wb(t, p + "encoder.norm_out", {512}, dt);
    wb(t, p + "encoder.conv_out", {8, 512, 3, 3}, dt);
    wb(t, p + "quant_conv", {8, 8, 1, 1}, dt);
    wb(t, p + "post_quant_conv", {4, 4, 1, 1}, dt);
    wb(t, p + "decoder.conv_in", {512, 4, 3, 3}, dt);
    vaeMid(t, p + "decoder.", dt);
    cin = 512;
    for (int l = 3; l >= 0; --l) {
        for (int b = 0; b < 3; ++b) {
            vaeRes(t, p + "decoder.up." + std::to_string(l) + ".block." + std::to_string(b) + ".", cin, 128 * mult[l], dt);
            cin = 128 * mult[l];
        }
        if (l > 0)
            wb(t, p + "decoder.up." + std::to_string(l) + ".upsample.conv", {cin, cin, 3, 3}, dt);
    }
    wb(t, p + "decoder.norm_out", {128}, dt);
    wb(t, p + "decoder.conv_out", {3, 128, 3, 3}, dt);
}

void hfClip(Tensors& t, const std::string& prefix, int64_t h, int layers, const char* dt, bool positionIds)
{
    const std::string p = prefix + "text_model.";
    if (positionIds)
        t.add(p + "embeddings.position_ids", {1, 77}, "I64");
    wb(t, p + "embeddings.token_embedding", {49408, h}, dt, false);
    wb(t, p + "embeddings.position_embedding", {77, h}, dt, false);
    for (int i = 0; i < layers; ++i) {
        const std::string l = p + "encoder.layers." + std::to_string(i) + ".";
        for (const char* n : {"k_proj", "v_proj", "q_proj", "out_proj"})
            wb(t, l + "self_attn." + n, {h, h}, dt);
        wb(t, l + "layer_norm1", {h}, dt);
        wb(t, l + "mlp.fc1", {4 * h, h}, dt);
        wb(t, l + "mlp.fc2", {h, 4 * h}, dt);
        wb(t, l + "layer_norm2", {h}, dt);
    }
    wb(t, p + "final_layer_norm", {h}, dt);
}

void openClipBigG(Tensors& t, const std::string& p, const char* dt)
{
    const int64_t h = 1280;
    t.add(p + "positional_embedding", {77, h}, dt);
    wb(t, p + "token_embedding", {49408, h}, dt, false);
    for (int i = 0; i < 32; ++i) {
        const std::string l = p + "transformer.resblocks." + std::to_string(i) + ".";
        wb(t, l + "ln_1", {h}, dt);
        t.add(l + "attn.in_proj_weight", {3 * h, h}, dt);
        t.add(l + "attn.in_proj_bias", {3 * h}, dt);
        wb(t, l + "attn.out_proj", {h, h}, dt);
        wb(t, l + "ln_2", {h}, dt);
        wb(t, l + "mlp.c_fc", {4 * h, h}, dt);
        wb(t, l + "mlp.c_proj", {h, 4 * h}, dt);
    }
    wb(t, p + "ln_final", {h}, dt);
    t.add(p + "text_projection", {h, h}, dt);
    t.add(p + "logit_scale", {}, dt);
}

const Tensors& checkpointTensors(Family f, bool fp16)
{
    static std::mutex mutex;
    static std::map<std::pair<int, bool>, Tensors> cache;
    std::lock_guard lock(mutex);
    auto& t = cache[{static_cast<int>(f), fp16}];
    if (t.json().empty()) {
        const char* dt = fp16 ? "F16" : "F32";
        unet(t, f, dt);
        vae(t, dt);
        if (f == Family::SDXL) {
            hfClip(t, "conditioner.embedders.0.transformer.", 768, 12, dt, true);
            openClipBigG(t, "conditioner.embedders.1.model.", dt);
        } else {
            hfClip(t, "cond_stage_model.transformer.", 768, 12, dt, true);
        }
    }
    return t;
}

// --- kohya LoRAs ----------------------------------------------------------------------------------

void loraModule(Tensors& t, const std::string& name, int64_t in, int64_t out, int rank, bool conv1x1)
{
    t.add(name + ".alpha", {}, "F16");
    t.add(name + ".lora_down.weight", conv1x1 ? Shape{rank, in, 1, 1} : Shape{rank, in});
    t.add(name + ".lora_up.weight", conv1x1 ? Shape{out, rank, 1, 1} : Shape{out, rank});
}

void loraTransformer(Tensors& t, const std::string& p, int64_t ch, int depth, int64_t context, bool linear, int rank)
{
    loraModule(t, p + "_proj_in", ch, ch, rank, !linear);
    loraModule(t, p + "_proj_out", ch, ch, rank, !linear);
    for (int d = 0; d < depth; ++d) {
        const std::string b = p + "_transformer_blocks_" + std::to_string(d) + "_";
        for (const char* a : {"attn1", "attn2"}) {
            const int64_t kv = std::strcmp(a, "attn2") == 0 ? context : ch;
            loraModule(t, b + a + "_to_q", ch, ch, rank, false);
            loraModule(t, b + a + "_to_k", kv, ch, rank, false);
            loraModule(t, b + a + "_to_v", kv, ch, rank, false);
            loraModule(t, b + a + "_to_out_0", ch, ch, rank, false);
        }
        loraModule(t, b + "ff_net_0_proj", ch, 8 * ch, rank, false);
        loraModule(t, b + "ff_net_2", 4 * ch, ch, rank, false);
    }
}

void loraTextEncoder(Tensors& t, const std::string& p, int64_t h, int layers, int rank)
{
    for (int i = 0; i < layers; ++i) {
        const std::string l = p + "_text_model_encoder_layers_" + std::to_string(i) + "_";
        for (const char* n : {"self_attn_q_proj", "self_attn_k_proj", "self_attn_v_proj", "self_attn_out_proj"})
            loraModule(t, l + n, h, h, rank, false);
        loraModule(t, l + "mlp_fc1", h, 4 * h, rank, false);
        loraModule(t, l + "mlp_fc2", 4 * h, h, rank, false);
    }
}

const Tensors& loraTensors(Family f, int rank, bool te)
{
    static std::mutex mutex;
    static std::map<std::tuple<int, int, bool>, Tensors> cache;
    std::lock_guard lock(mutex);
    auto& t = cache[{static_cast<int>(f), rank, te}];
    if (!t.json().empty())
        return t;
    if (f == Family::SD1) {
        // kohya names SD1 UNet modules by their diffusers paths.
        const int64_t down[] = {320, 640, 1280};
        for (int b = 0; b < 3; ++b)
            for (int a = 0; a < 2; ++a)
                loraTransformer(t, "lora_unet_down_blocks_" + std::to_string(b) + "_attentions_" + std::to_string(a),
                                down[b], 1, 768, false, rank);
        loraTransformer(t, "lora_unet_mid_block_attentions_0", 1280, 1, 768, false, rank);
        const int64_t up[] = {0, 1280, 640, 320};
        for (int b = 1; b < 4; ++b)
            for (int a = 0; a < 3; ++a)
                loraTransformer(t, "lora_unet_up_blocks_" + std::to_string(b) + "_attentions_" + std::to_string(a),
                                up[b], 1, 768, false, rank);
        if (te)
            loraTextEncoder(t, "lora_te", 768, 12, rank);
    } else {
        // ... and SDXL UNet modules by their LDM paths.
        for (const auto& [block, ch, depth] : std::vector<std::tuple<std::string, int64_t, int>>{
                 {"input_blocks_4_1", 640, 2}, {"input_blocks_5_1", 640, 2}, {"input_blocks_7_1", 1280, 10},
                 {"input_blocks_8_1", 1280, 10}, {"middle_block_1", 1280, 10}, {"output_blocks_0_1", 1280, 10},
                 {"output_blocks_1_1", 1280, 10}, {"output_blocks_2_1", 1280, 10}, {"output_blocks_3_1", 640, 2},
                 {"output_blocks_4_1", 640, 2}, {"output_blocks_5_1", 640, 2}})
            loraTransformer(t, "lora_unet_" + block, ch, depth, 2048, true, rank);
        if (te) {
            loraTextEncoder(t, "lora_te1", 768, 12, rank);
            loraTextEncoder(t, "lora_te2", 1280, 32, rank);
        }
    }
    return t;
}

// --- files ----------------------------------------------------------------------------------------

std::string metadataJson(const std::vector<std::pair<std::string, std::string>>& metadata)
{
    std::string out = "\"__metadata__\":{";
    bool first = true;
    for (const auto& [k, v] : metadata) {
        out += (first ? "\"" : ",\"") + jsonEscape(k) + "\":\"" + jsonEscape(v) + "\"";
        first = false;
    }
    return out + "}";
}

void writeFile(const std::string& path, const std::string& metadata, const Tensors& tensors)
{
    std::string header = "{" + metadata + (metadata.empty() ? "" : ",") + tensors.json() + "}";
    while ((8 + header.size()) % 8 != 0) // data section 8-byte aligned, as the reference writer does
        header += ' ';
    std::string bytes(8, '\0');
    uint64_t n = header.size();
    for (int i = 0; i < 8; ++i)
        bytes[static_cast<size_t>(i)] = static_cast<char>((n >> (8 * i)) & 0xff);
    bytes += header;
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        throw api::Error(api::ErrorCode::FileUnreadable, std::string("cannot create file: ") + std::strerror(errno), path);
    const bool ok = ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()) &&
                    ::ftruncate(fd, static_cast<off_t>(bytes.size() + tensors.dataSize())) == 0;
    ::close(fd);
    if (!ok)
        throw api::Error(api::ErrorCode::FileUnreadable, "cannot write the synthetic model file", path);
}

std::string hexOf(std::mt19937_64& rng, int digits)
{
    static const char* const kHex = "0123456789abcdef";
    std::string s;
    for (int i = 0; i < digits; ++i)
        s += kHex[rng() & 15];
    return s;
}

} // namespace

const std::vector<std::string>& vocabulary()
{
    static const std::vector<std::string> words = {
        "anime", "portrait", "dragon", "forest", "cyberpunk", "watercolor", "knight", "castle", "neon", "sunset",
        "ocean", "mecha", "samurai", "witch", "kitsune", "steampunk", "ruins", "galaxy", "lantern", "blossom",
        "armor", "vampire", "pixel", "oil", "sketch", "ink", "chibi", "realistic", "fantasy", "noir", "retro",
        "desert", "glacier", "phoenix", "tiger", "wolf", "owl", "garden", "temple", "harbor", "city", "street",
        "cafe", "library", "winter", "autumn", "spring", "summer", "midnight", "dawn", "crystal", "shadow",
        "ember", "storm", "thunder", "mist", "velvet", "silk", "porcelain", "marble", "bronze", "gold", "silver",
        "ruby", "jade", "sapphire", "emerald", "pearl", "cosmic", "lunar", "solar", "astral", "gothic", "baroque",
        "minimal", "vapor", "synth", "glitch", "paper", "origami", "clay", "plush", "toy", "robot", "android",
        "elf", "dwarf", "orc", "mage", "ranger", "pirate", "ninja", "detective", "chef", "pilot", "nurse",
        "school", "uniform", "kimono", "hanfu", "dress", "hoodie", "jacket", "hat", "glasses", "wings", "tail",
        "horns", "halo", "mask", "scarf", "boots", "umbrella", "bicycle", "train", "airship", "submarine",
        "lighthouse", "bridge", "tower", "market", "festival", "fireworks", "rain", "snow", "fog", "aurora",
    };
    return words;
}

void writeLoRA(const std::string& path, const LoRASpec& spec)
{
    std::mt19937_64 rng(spec.seed * 0x9E3779B97F4A7C15ull + 1);
    const bool xl = spec.family == Family::SDXL;
    std::string tagFrequency = "{\"" + std::to_string(5 + rng() % 20) + "_" + jsonEscape(spec.outputName) + "\":{";
    for (size_t i = 0; i < spec.tags.size(); ++i)
        tagFrequency += (i ? ",\"" : "\"") + jsonEscape(spec.tags[i]) + "\":" + std::to_string(400 - 3 * i - rng() % 3);
    tagFrequency += "}}";
    const std::vector<std::pair<std::string, std::string>> metadata = {
        {"ss_session_id", std::to_string(rng() % 4000000000ull)},
        {"ss_training_started_at", std::to_string(1680000000 + rng() % 40000000) + ".123456"},
        {"ss_output_name", spec.outputName},
        {"ss_learning_rate", "0.0001"},
        {"ss_text_encoder_lr", spec.textEncoder ? "5e-05" : "0"},
        {"ss_unet_lr", "0.0001"},
        {"ss_num_train_images", std::to_string(20 + rng() % 400)},
        {"ss_num_reg_images", "0"},
        {"ss_num_batches_per_epoch", std::to_string(10 + rng() % 200)},
        {"ss_num_epochs", std::to_string(1 + rng() % 20)},
        {"ss_epoch", std::to_string(1 + rng() % 20)},
        {"ss_batch_size_per_device", "2"},
        {"ss_total_batch_size", "2"},
        {"ss_gradient_checkpointing", "True"},
        {"ss_gradient_accumulation_steps", "1"},
        {"ss_max_train_steps", std::to_string(1000 + rng() % 5000)},
        {"ss_lr_warmup_steps", "0"},
        {"ss_lr_scheduler", "cosine_with_restarts"},
        {"ss_network_module", "networks.lora"},
        {"ss_network_dim", std::to_string(spec.rank)},
        {"ss_network_alpha", std::to_string(spec.rank / 2) + ".0"},
        {"ss_mixed_precision", "fp16"},
        {"ss_full_fp16", "False"},
        {"ss_v2", "False"},
        {"ss_base_model_version", xl ? "sdxl_base_v1-0" : "sd_v1"},
        {"ss_resolution", xl ? "(1024, 1024)" : "(512, 512)"},
        {"ss_clip_skip", xl ? "None" : "2"},
        {"ss_max_token_length", "225"},
        {"ss_cache_latents", "True"},
        {"ss_seed", std::to_string(rng() % 100000)},
        {"ss_lowram", "False"},
        {"ss_noise_offset", "None"},
        {"ss_sd_model_name", xl ? "sd_xl_base_1.0.safetensors" : "animefull-final-pruned.ckpt"},
        {"ss_optimizer", "bitsandbytes.optim.adamw.AdamW8bit"},
        {"ss_max_grad_norm", "1.0"},
        {"ss_caption_dropout_rate", "0.0"},
        {"ss_keep_tokens", "1"},
        {"ss_min_snr_gamma", "5.0"},
        {"ss_tag_frequency", tagFrequency},
        {"ss_dataset_dirs", "{\"" + std::to_string(10) + "_" + spec.outputName + "\": {\"n_repeats\": 10, \"img_count\": " +
                                std::to_string(20 + rng() % 200) + "}}"},
        {"ss_training_comment", "None"},
        {"sshs_model_hash", hexOf(rng, 64)},
        {"sshs_legacy_hash", hexOf(rng, 8)},
    };
    writeFile(path, metadataJson(metadata), loraTensors(spec.family, spec.rank, spec.textEncoder));
}

void writeCheckpoint(const std::string& path, const CheckpointSpec& spec)
{
    std::mt19937_64 rng(spec.seed * 0xD1B54A32D192ED03ull + 7);
    std::string metadata;
    if (!spec.title.empty() && rng() % 2 == 0) { // many real checkpoints carry no metadata at all
        metadata = metadataJson({
            {"modelspec.sai_model_spec", "1.0.0"},
            {"modelspec.architecture", spec.family == Family::SDXL ? "stable-diffusion-xl-v1-base" : "stable-diffusion-v1"},
            {"modelspec.implementation", "https://github.com/Stability-AI/generative-models"},
            {"modelspec.title", spec.title},
            {"modelspec.date", "2024-0" + std::to_string(1 + rng() % 9) + "-1" + std::to_string(rng() % 10)},
            {"modelspec.resolution", spec.family == Family::SDXL ? "1024x1024" : "512x512"},
            {"format", "pt"},
        });
    }
    writeFile(path, metadata, checkpointTensors(spec.family, spec.fp16));
}

GeneratedLibrary writeLibrary(const std::string& dir, const LibraryLayout& layout,
                              const std::function<void(size_t, size_t)>& progress)
{
    GeneratedLibrary lib;
    lib.loraRoot = (fs::path(dir) / "models" / "Lora").string();
    lib.checkpointRoot = (fs::path(dir) / "models" / "Stable-diffusion").string();
    const std::vector<std::string> loraFolders = {"", "characters", "styles", "concepts", "concepts/vehicles",
                                                  "clothing", "poses", "backgrounds/outdoor", "backgrounds/indoor"};
    const std::vector<std::string> ckptFolders = {"", "sd15", "sdxl", "merges", "anime", "photoreal"};
    for (const auto& f : loraFolders)
        fs::create_directories(fs::path(lib.loraRoot) / f);
    for (const auto& f : ckptFolders)
        fs::create_directories(fs::path(lib.checkpointRoot) / f);
    const auto& words = vocabulary();
    std::mt19937_64 rng(layout.seed);
    const auto word = [&] { return words[rng() % words.size()]; };
    const size_t total = layout.loras + layout.checkpoints;
    const int ranks[] = {4, 8, 16, 32, 32, 64, 128};
    for (size_t i = 0; i < layout.loras; ++i) {
        LoRASpec spec;
        spec.family = rng() % 10 < 7 ? Family::SD1 : Family::SDXL;
        spec.rank = ranks[rng() % 7];
        spec.textEncoder = rng() % 10 < 7;
        spec.outputName = word() + "_" + word() + "_v" + std::to_string(1 + rng() % 5);
        spec.seed = layout.seed * 1000003 + i;
        spec.tags = {spec.outputName, word() + " " + word()};
        for (int k = 0; k < 40 + static_cast<int>(rng() % 80); ++k)
            spec.tags.push_back(rng() % 2 ? word() : word() + " " + word());
        const std::string& folder = loraFolders[rng() % loraFolders.size()];
        const fs::path base = fs::path(lib.loraRoot) / folder / (spec.outputName + "_" + std::to_string(i));
        writeLoRA(base.string() + ".safetensors", spec);
        lib.loraPaths.push_back(base.string() + ".safetensors");
        if (i % 5 == 0) // previews and user metadata, as collections have for some files
            std::ofstream(base.string() + ".preview.png", std::ios::binary) << "\x89PNG\r\n\x1a\n";
        if (i % 10 == 0)
            std::ofstream(base.string() + ".json")
                << "{\"description\": \"synthetic\", \"activation text\": \"" << spec.outputName
                << "\", \"preferred weight\": 0.8, \"sd version\": \"" << (spec.family == Family::SDXL ? "SDXL" : "SD1") << "\"}";
        if (progress && i % 500 == 0)
            progress(i, total);
    }
    for (size_t i = 0; i < layout.checkpoints; ++i) {
        CheckpointSpec spec;
        spec.family = rng() % 10 < 6 ? Family::SD1 : Family::SDXL;
        spec.fp16 = rng() % 10 < 8;
        spec.title = word() + " " + word() + " mix";
        spec.seed = layout.seed * 7919 + i;
        const std::string& folder = ckptFolders[rng() % ckptFolders.size()];
        const fs::path path = fs::path(lib.checkpointRoot) / folder /
                              (word() + "_" + word() + "_" + std::to_string(i) + ".safetensors");
        writeCheckpoint(path.string(), spec);
        lib.checkpointPaths.push_back(path.string());
        if (progress && i % 500 == 0)
            progress(layout.loras + i, total);
    }
    return lib;
}

} // namespace easel::catalog::synthetic
