#include "engine/bench/random_model.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <unistd.h>
#include <set>
#include <vector>

#include <torch/torch.h>

#include "engine/api/error.h"
#include "engine/io/model_config.h"
#include "engine/io/safetensors_writer.h"
#include "engine/models/unet.h"
#include "engine/models/vae.h"

namespace easel::models {

namespace {

enum class Init { Weight, NormScale, Bias, LogitScale, PositionIds, Schedule };

struct Spec {
    std::string name;
    std::vector<int64_t> shape;
    Init init = Init::Weight;
    io::DType dtype = io::DType::F32;
};

/// Reference architectures (what the real SD1.5 / SD2.1 / SDXL base files contain).
io::UNetConfig unetConfig(RandomModelFamily family)
{
    switch (family) {
    case RandomModelFamily::SD2: return io::UNetConfig::sd2();
    case RandomModelFamily::SDXL: return io::UNetConfig::sdxl();
    default: return io::UNetConfig::sd15();
    }
}

void addModule(std::vector<Spec>& specs, const torch::nn::Module& module, const std::string& prefix)
{
    // Norm layers are recognised by type: UNet norms have index names (in_layers.0, out.0).
    std::set<std::string> norms;
    for (const auto& item : module.named_modules("", /*include_self=*/false)) {
        if (dynamic_cast<const GroupNorm*>(item.value().get()) || dynamic_cast<const LayerNorm*>(item.value().get()))
            norms.insert(item.key());
    }
    for (const auto& item : module.named_parameters()) {
        const std::string& name = item.key();
        const size_t dot = name.rfind('.');
        const std::string owner = name.substr(0, dot), leaf = name.substr(dot + 1);
        Init init = Init::Weight;
        if (norms.count(owner))
            init = leaf == "weight" ? Init::NormScale : Init::Bias;
        else if (item.value().dim() == 1)
            init = Init::Bias;
        specs.push_back({prefix + name, item.value().sizes().vec(), init});
    }
}

void addLayerNorm(std::vector<Spec>& specs, const std::string& name, int64_t width)
{
    specs.push_back({name + ".weight", {width}, Init::NormScale});
    specs.push_back({name + ".bias", {width}, Init::Bias});
}

void addLinear(std::vector<Spec>& specs, const std::string& name, int64_t in, int64_t out)
{
    specs.push_back({name + ".weight", {out, in}, Init::Weight});
    specs.push_back({name + ".bias", {out}, Init::Bias});
}

/// HF transformers CLIPTextModel (`text_model.*`). Ref: transformers modeling_clip.py.
void addHfClip(std::vector<Spec>& specs, const std::string& p, int64_t width, int layers, int64_t mlp)
{
    specs.push_back({p + "embeddings.token_embedding.weight", {49408, width}, Init::Weight});
    specs.push_back({p + "embeddings.position_embedding.weight", {77, width}, Init::Weight});
    specs.push_back({p + "embeddings.position_ids", {1, 77}, Init::PositionIds, io::DType::I64});
    for (int i = 0; i < layers; ++i) {
        const std::string l = p + "encoder.layers." + std::to_string(i) + ".";
        for (const char* proj : {"q_proj", "k_proj", "v_proj", "out_proj"})
            addLinear(specs, l + "self_attn." + proj, width, width);
        addLayerNorm(specs, l + "layer_norm1", width);
        addLinear(specs, l + "mlp.fc1", width, mlp);
        addLinear(specs, l + "mlp.fc2", mlp, width);
        addLayerNorm(specs, l + "layer_norm2", width);
    }
    addLayerNorm(specs, p + "final_layer_norm", width);
}

/// OpenCLIP text tower (fused in_proj). Ref: open_clip transformer.py / model.py.
void addOpenClip(std::vector<Spec>& specs, const std::string& p, int64_t width, int layers, int64_t mlp)
{
    specs.push_back({p + "token_embedding.weight", {49408, width}, Init::Weight});
    specs.push_back({p + "positional_embedding", {77, width}, Init::Weight});
    for (int i = 0; i < layers; ++i) {
        const std::string l = p + "transformer.resblocks." + std::to_string(i) + ".";
        addLayerNorm(specs, l + "ln_1", width);
        specs.push_back({l + "attn.in_proj_weight", {3 * width, width}, Init::Weight});
        specs.push_back({l + "attn.in_proj_bias", {3 * width}, Init::Bias});
        addLinear(specs, l + "attn.out_proj", width, width);
        addLayerNorm(specs, l + "ln_2", width);
        addLinear(specs, l + "mlp.c_fc", width, mlp);
        addLinear(specs, l + "mlp.c_proj", mlp, width);
    }
    addLayerNorm(specs, p + "ln_final", width);
    specs.push_back({p + "text_projection", {width, width}, Init::Weight});
    specs.push_back({p + "logit_scale", {}, Init::LogitScale});
}

/// LDM DDPM.register_schedule buffers (linear schedule 0.00085..0.012, 1000 steps), present in
/// SD1/SD2 checkpoints. Ref: ldm/models/diffusion/ddpm.py.
std::map<std::string, torch::Tensor> ddpmBuffers()
{
    const auto f64 = torch::TensorOptions().dtype(torch::kFloat64);
    const torch::Tensor betas = torch::linspace(std::sqrt(0.00085), std::sqrt(0.012), 1000, f64).pow(2);
    const torch::Tensor alphas = 1 - betas;
    const torch::Tensor ac = torch::cumprod(alphas, 0);
    const torch::Tensor acPrev = torch::cat({torch::ones({1}, f64), ac.slice(0, 0, 999)});
    const torch::Tensor posteriorVariance = betas * (1 - acPrev) / (1 - ac);
    return {
        {"betas", betas},
        {"alphas_cumprod", ac},
        {"alphas_cumprod_prev", acPrev},
        {"sqrt_alphas_cumprod", ac.sqrt()},
        {"sqrt_one_minus_alphas_cumprod", (1 - ac).sqrt()},
        {"log_one_minus_alphas_cumprod", (1 - ac).log()},
        {"sqrt_recip_alphas_cumprod", (1 / ac).sqrt()},
        {"sqrt_recipm1_alphas_cumprod", (1 / ac - 1).sqrt()},
        {"posterior_variance", posteriorVariance},
        {"posterior_log_variance_clipped", posteriorVariance.clamp_min(1e-20).log()},
        {"posterior_mean_coef1", betas * acPrev.sqrt() / (1 - ac)},
        {"posterior_mean_coef2", (1 - acPrev) * alphas.sqrt() / (1 - ac)},
    };
}

std::vector<Spec> modelSpecs(RandomModelFamily family)
{
    std::vector<Spec> specs;
    const UNet unet(unetConfig(family)); // placeholder parameters: shapes only, no memory
    addModule(specs, unet, "model.diffusion_model.");
    const VAE vae(io::VAEConfig{});
    addModule(specs, vae, "first_stage_model.");
    switch (family) {
    case RandomModelFamily::SD15:
        addHfClip(specs, "cond_stage_model.transformer.text_model.", 768, 12, 3072);
        break;
    case RandomModelFamily::SD2:
        addOpenClip(specs, "cond_stage_model.model.", 1024, 24, 4096);
        break;
    case RandomModelFamily::SDXL:
        addHfClip(specs, "conditioner.embedders.0.transformer.text_model.", 768, 12, 3072);
        addOpenClip(specs, "conditioner.embedders.1.model.", 1280, 32, 5120);
        break;
    }
    if (family != RandomModelFamily::SDXL) {
        for (const auto& [name, value] : ddpmBuffers())
            specs.push_back({name, {1000}, Init::Schedule});
    }
    return specs;
}

torch::Tensor makeTensor(const Spec& spec, torch::Generator& gen, const std::map<std::string, torch::Tensor>& schedule)
{
    const auto f32 = torch::TensorOptions().dtype(torch::kFloat32);
    switch (spec.init) {
    case Init::Weight: {
        int64_t fanIn = 1;
        for (size_t i = 1; i < spec.shape.size(); ++i)
            fanIn *= spec.shape[i];
        return at::randn(spec.shape, gen, f32).mul_(1.0 / std::sqrt(static_cast<double>(fanIn)));
    }
    case Init::NormScale:
        return at::randn(spec.shape, gen, f32).mul_(0.02).add_(1.0);
    case Init::Bias:
        return at::randn(spec.shape, gen, f32).mul_(0.02);
    case Init::LogitScale:
        return torch::full({}, std::log(1 / 0.07), f32);
    case Init::PositionIds:
        return torch::arange(77, torch::kInt64).reshape({1, 77});
    case Init::Schedule:
        return schedule.at(spec.name).to(torch::kFloat32);
    }
    return {};
}

} // namespace

std::optional<RandomModelFamily> parseRandomModelFamily(const std::string& text)
{
    if (text == "sd15" || text == "sd1" || text == "sd1.5")
        return RandomModelFamily::SD15;
    if (text == "sd2" || text == "sd21")
        return RandomModelFamily::SD2;
    if (text == "sdxl")
        return RandomModelFamily::SDXL;
    return std::nullopt;
}

RandomModelSummary writeRandomModel(const RandomModelOptions& options)
{
    std::vector<Spec> specs = modelSpecs(options.family);
    const io::DType floatType = options.fp16 ? io::DType::F16 : io::DType::F32;
    std::vector<io::TensorBlob> blobs;
    RandomModelSummary summary;
    for (Spec& spec : specs) {
        if (spec.dtype != io::DType::I64)
            spec.dtype = floatType;
        blobs.push_back({spec.name, spec.dtype, spec.shape, nullptr});
        uint64_t n = 1;
        for (int64_t d : spec.shape)
            n *= static_cast<uint64_t>(d);
        summary.parameters += n;
    }
    std::string header = io::safetensorsHeaderJson(blobs, {{"format", "pt"}, {"easel_random_model", "1"}});
    header.append((8 - header.size() % 8) % 8, ' ');

    const std::string tmp = options.path + ".tmp-" + std::to_string(::getpid());
    FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f)
        throw api::Error(api::ErrorCode::FileUnreadable, std::string("cannot create file: ") + std::strerror(errno),
                         options.path);
    auto fail = [&](int err) {
        std::fclose(f);
        std::remove(tmp.c_str());
        throw api::Error(api::ErrorCode::FileUnreadable,
                         std::string("cannot write file (disk full?): ") + std::strerror(err), options.path);
    };
    unsigned char len[8];
    for (int i = 0; i < 8; ++i)
        len[i] = static_cast<unsigned char>((static_cast<uint64_t>(header.size()) >> (8 * i)) & 0xff);
    if (std::fwrite(len, 1, 8, f) != 8 || std::fwrite(header.data(), 1, header.size(), f) != header.size())
        fail(errno);

    torch::Generator gen = at::detail::createCPUGenerator(options.seed);
    const auto schedule = ddpmBuffers();
    for (size_t i = 0; i < specs.size(); ++i) {
        torch::Tensor t = makeTensor(specs[i], gen, schedule);
        if (specs[i].dtype == io::DType::F16)
            t = t.to(torch::kHalf);
        t = t.contiguous();
        const size_t bytes = static_cast<size_t>(t.numel()) * t.element_size();
        if (bytes && std::fwrite(t.data_ptr(), 1, bytes, f) != bytes)
            fail(errno);
        if (options.progress)
            options.progress(i + 1, specs.size());
    }
    if (std::fclose(f) != 0 || std::rename(tmp.c_str(), options.path.c_str()) != 0) {
        const int err = errno;
        std::remove(tmp.c_str());
        throw api::Error(api::ErrorCode::FileUnreadable, std::string("cannot write file: ") + std::strerror(err),
                         options.path);
    }
    summary.tensors = specs.size();
    summary.bytes = 8 + header.size();
    for (const auto& b : blobs) {
        uint64_t n = io::dtypeSize(b.dtype);
        for (int64_t d : b.shape)
            n *= static_cast<uint64_t>(d);
        summary.bytes += n;
    }
    return summary;
}

} // namespace easel::models
