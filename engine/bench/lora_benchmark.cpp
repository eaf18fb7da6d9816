#include "engine/bench/lora_benchmark.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

#include <sys/resource.h>

#include <torch/torch.h>

#include "engine/adapters/lora_manager.h"
#include "engine/api/error.h"
#include "engine/io/state_dict.h"
#include "engine/models/unet.h"
#include "engine/models/weight_loading.h"
#include "engine/text/text_encoder.h"

namespace easel::adapters {

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

/// The released architectures (facts from the SD1.5 / SDXL base configs).
io::UNetConfig unetConfig(bool sdxl) { return sdxl ? io::UNetConfig::sdxl() : io::UNetConfig::sd15(); }

std::vector<io::TextEncoderConfig> textConfigs(bool sdxl)
{
    io::TextEncoderConfig clipL; // CLIP ViT-L/14
    if (!sdxl)
        return {clipL};
    io::TextEncoderConfig bigG;
    bigG.kind = io::TextEncoderKind::OpenCLIP;
    bigG.hidden = 1280;
    bigG.layers = 32;
    bigG.heads = 20;
    bigG.mlp = 5120;
    bigG.quickGelu = false;
    bigG.hasTextProjection = true;
    bigG.projectionDim = 1280;
    bigG.padToken = 0;
    return {clipL, bigG};
}

/// Random weights for every parameter of `module` (keys = its parameter names): N(0, 1/fan_in) for
/// matrices/kernels, 1 + 0.02·N for norm scales, 0.02·N for biases. Real-looking magnitudes keep the
/// step time honest (no NaN, no denormals).
io::StateDict randomWeights(torch::nn::Module& module, uint64_t seed)
{
    torch::manual_seed(seed);
    io::StateDict out;
    for (const auto& item : module.named_parameters(true)) {
        const auto shape = item.value().sizes().vec();
        const std::string& name = item.key();
        torch::Tensor t = torch::randn(shape);
        if (shape.size() >= 2)
            t /= std::sqrt(double(item.value().numel() / shape[0]));
        else if (name.size() > 7 && name.compare(name.size() - 7, 7, ".weight") == 0)
            t = 1.0 + 0.02 * t;
        else
            t *= 0.02;
        out[name] = t;
    }
    return out;
}

/// Layers kohya's default LoRA trains: the transformer blocks' projections and proj_in/out.
bool isLoRALayer(const std::string& module)
{
    static const char* const kEnds[] = {".attn1.to_q", ".attn1.to_k", ".attn1.to_v", ".attn1.to_out.0",
                                        ".attn2.to_q", ".attn2.to_k", ".attn2.to_v", ".attn2.to_out.0",
                                        ".ff.net.0.proj", ".ff.net.2", ".proj_in", ".proj_out"};
    for (const char* e : kEnds) {
        const std::string s = e;
        if (module.size() > s.size() && module.compare(module.size() - s.size(), s.size(), s) == 0)
            return true;
    }
    return false;
}

struct LayerShape {
    std::string key;                  ///< kohya module name
    int64_t out = 0, in = 0;
    bool conv = false;                ///< 1x1 conv (SD1 proj_in/out)
};

std::vector<LayerShape> loraLayers(models::UNet& unet, const std::vector<io::TextEncoderConfig>& texts, bool sdxl)
{
    std::vector<LayerShape> out;
    const int lpb = unet.config().numResBlocks;
    for (const auto& item : unet.named_parameters(true)) {
        const std::string& name = item.key();
        if (name.size() < 7 || name.compare(name.size() - 7, 7, ".weight") != 0)
            continue;
        const std::string module = name.substr(0, name.size() - 7);
        if (!isLoRALayer(module))
            continue;
        // kohya names SD1/SD2 layers by their diffusers path and SDXL layers by their LDM path.
        const std::string path = sdxl ? module : unetLdmToDiffusers(module, lpb);
        const auto& t = item.value();
        out.push_back({"lora_unet_" + flatten(path), t.size(0), t.size(1), t.dim() == 4});
    }
    for (size_t e = 0; e < texts.size(); ++e) {
        const std::string prefix = !sdxl ? "lora_te_" : e == 0 ? "lora_te1_" : "lora_te2_";
        const int64_t h = texts[e].hidden, mlp = texts[e].mlp;
        for (int n = 0; n < texts[e].layers; ++n) {
            const std::string layer = prefix + "text_model_encoder_layers_" + std::to_string(n) + "_";
            for (const char* p : {"self_attn_q_proj", "self_attn_k_proj", "self_attn_v_proj", "self_attn_out_proj"})
                out.push_back({layer + p, h, h, false});
            out.push_back({layer + "mlp_fc1", mlp, h, false});
            out.push_back({layer + "mlp_fc2", h, mlp, false});
        }
    }
    return out;
}

std::shared_ptr<LoRAFile> syntheticLoRA(const std::vector<LayerShape>& layers, int rank, int index)
{
    torch::manual_seed(1000 + index);
    std::map<std::string, torch::Tensor> tensors;
    for (const LayerShape& l : layers) {
        const auto half = torch::TensorOptions().dtype(torch::kHalf);
        torch::Tensor down = (torch::randn({rank, l.in}) * 0.02).to(torch::kHalf);
        torch::Tensor up = (torch::randn({l.out, rank}) * 0.02).to(torch::kHalf);
        if (l.conv) {
            down = down.reshape({rank, l.in, 1, 1});
            up = up.reshape({l.out, rank, 1, 1});
        }
        tensors[l.key + ".lora_down.weight"] = down;
        tensors[l.key + ".lora_up.weight"] = up;
        tensors[l.key + ".alpha"] = torch::tensor(float(rank) / 2, half);
    }
    auto file = std::make_shared<LoRAFile>(loraFromTensors(tensors, "synthetic:" + std::to_string(index)));
    file->stamp = "synthetic";
    file->loraType = "LoRA";
    return file;
}

long minorFaults()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_minflt;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

/// Storage, strides and dtype of every parameter a LoRA can reach: a merge must keep all three.
struct Layout {
    const void* data;
    std::vector<int64_t> strides;
    torch::ScalarType dtype;
    bool operator==(const Layout& o) const { return data == o.data && strides == o.strides && dtype == o.dtype; }
};

std::map<std::string, Layout> layoutOf(const LoRATargetIndex& index)
{
    std::map<std::string, Layout> out;
    for (const auto& [id, t] : index.parameters())
        out[id] = {t.data_ptr(), t.strides().vec(), t.scalar_type()};
    return out;
}

/// From the merged `specs`: to `others` (not merged before), back to `specs` (cached), then one
/// multiplier of `specs` changed. Checks every parameter kept its storage, strides and dtype.
void timeSwitches(LoRAManager& manager, const std::vector<LoRASpec>& specs, const std::vector<LoRASpec>& others,
                  const std::function<void()>& sync, LoRABenchResult& r)
{
    manager.restore();
    const auto clean = layoutOf(manager.targets());
    manager.applySet(specs);
    auto start = Clock::now();
    manager.applySet(others);
    sync();
    r.switchSetSeconds = since(start);
    start = Clock::now();
    r.cachedTensors = manager.applySet(specs).tensorsFromCache;
    sync();
    r.switchCachedSetSeconds = since(start);
    std::vector<LoRASpec> changed = specs;
    changed[0].unetMultiplier = 0.7;
    start = Clock::now();
    manager.applySet(changed);
    sync();
    r.switchSeconds = since(start);
    r.layoutKept = layoutOf(manager.targets()) == clean;
    manager.restore();
}

} // namespace

LoRABenchResult runLoRABenchmark(const LoRABenchOptions& o)
{
    if (o.family != "sd15" && o.family != "sd1" && o.family != "sdxl")
        throw api::Error(api::ErrorCode::InvalidRequest, "bench lora: family must be sd15 or sdxl (got " + o.family + ")");
    const bool sdxl = o.family == "sdxl";
    const torch::Device device(o.device == "cuda" ? std::string("cuda:0") : o.device);
    if (device.is_cuda() && !torch::cuda::is_available())
        throw api::Error(api::ErrorCode::InvalidRequest, "bench lora: CUDA is not available; use --device cpu");
    const torch::ScalarType dtype = o.fp16 ? torch::kHalf : torch::kFloat32;
    auto log = [&](const std::string& line) {
        if (o.log)
            o.log(line);
    };
    c10::InferenceMode inference;

    LoRABenchResult r;
    r.family = sdxl ? "SDXL" : "SD1.5";
    r.device = device.str();
    r.dtype = o.fp16 ? "fp16" : "fp32";

    // --- model --------------------------------------------------------------------------------------
    auto start = Clock::now();
    log("building a random " + r.family + " UNet and text encoder(s) in memory");
    auto unet = std::make_shared<models::UNet>(unetConfig(sdxl));
    models::loadWeights(*unet, randomWeights(*unet, 1), "", {device, dtype}, "random", "UNet");
    const auto texts = textConfigs(sdxl);
    std::vector<std::shared_ptr<text::TextEncoder>> encoders;
    std::vector<text::TextEncoder*> encoderPointers;
    for (size_t i = 0; i < texts.size(); ++i) {
        encoders.push_back(text::createTextEncoder(texts[i]));
        encoders.back()->loadWeights(randomWeights(*encoders.back(), 2 + i), "random", dtype);
        encoders.back()->to(device);
        encoderPointers.push_back(encoders.back().get());
    }
    for (const auto& p : unet->parameters())
        r.unetParameters += p.numel();
    for (const auto& e : encoders)
        for (const auto& p : e->parameters())
            r.textParameters += p.numel();

    // --- LoRAs --------------------------------------------------------------------------------------
    const int maxCount = o.counts.empty() ? 0 : *std::max_element(o.counts.begin(), o.counts.end());
    const auto layers = loraLayers(*unet, texts, sdxl);
    LoRAManager manager(unet.get(), encoderPointers, sdxl ? io::ModelFamily::SDXL : io::ModelFamily::SD1);
    std::vector<LoRASpec> specs, others; // the timed set, and as many other LoRAs for the switch
    for (int i = 0; i < 2 * maxCount; ++i) {
        auto file = syntheticLoRA(layers, o.rank, i);
        if (i == 0)
            for (const auto& m : file->modules)
                for (const auto& [role, t] : m.tensors)
                    r.loraParameters += t.numel();
        manager.registerFile(file);
        (i < maxCount ? specs : others).push_back({file->path, "synthetic" + std::to_string(i), 0.8, 0.8});
    }
    r.loraModules = static_cast<int>(layers.size());
    r.buildSeconds = since(start);
    log("model and " + std::to_string(2 * maxCount) + " LoRAs ready in " + std::to_string(r.buildSeconds) + " s");

    auto sync = [&]() {
        if (device.is_cuda())
            unet->parameters()[0].sum().item<float>();
    };

    for (int count : o.counts) {
        const std::vector<LoRASpec> set(specs.begin(), specs.begin() + std::min<size_t>(count, specs.size()));
        LoRABenchApply a;
        a.count = count;
        start = Clock::now();
        const LoRAApplyReport report = manager.applySet(set);
        sync();
        a.applySeconds = since(start);
        a.tensors = report.tensorsWritten;
        for (const auto& e : report.loras)
            if (e.unmatchedKeys)
                throw api::Error(api::ErrorCode::Internal, "bench lora: synthetic LoRA keys did not match the model");
        start = Clock::now();
        manager.restore();
        sync();
        a.restoreSeconds = since(start);
        log(std::to_string(count) + " LoRA(s): apply " + std::to_string(a.applySeconds) + " s, restore " +
            std::to_string(a.restoreSeconds) + " s");
        r.applies.push_back(a);
    }

    // --- one step, merged vs none -------------------------------------------------------------------
    const io::UNetConfig& cfg = unet->config();
    torch::manual_seed(7);
    const auto opts = torch::TensorOptions().device(device).dtype(dtype);
    const torch::Tensor x = torch::randn({o.batch, 4, o.latentSize, o.latentSize}).to(opts);
    const torch::Tensor t = torch::full({o.batch}, 500.0).to(opts);
    const torch::Tensor context = torch::randn({o.batch, 77, cfg.contextDim}).to(opts);
    std::optional<torch::Tensor> y;
    if (cfg.admInChannels > 0)
        y = torch::randn({o.batch, cfg.admInChannels}).to(opts);
    // Minor page faults per step too: a step that faults in fresh pages (allocator state) is
    // slower for reasons that have nothing to do with the weights.
    long faults = 0;
    auto step = [&]() {
        const long faultsBefore = minorFaults();
        const auto s = Clock::now();
        const torch::Tensor out = unet->forward(x, t, context, y);
        out.sum().item<float>(); // waits for the device
        faults = minorFaults() - faultsBefore;
        return since(s);
    };
    log("timing UNet steps (" + std::to_string(o.batch) + "x4x" + std::to_string(o.latentSize) + "x" +
        std::to_string(o.latentSize) + ")");
    step(); // warm-up
    std::vector<double> none, merged, ratios, noneFaults, mergedFaults;
    if (!specs.empty()) {
        // Alternating pairs, the order flipped every pair, so drift in machine load hits both sides.
        for (int i = 0; i < o.stepRepeats; ++i) {
            double n = 0, m = 0;
            for (int side = 0; side < 2; ++side) {
                if ((side == 0) == (i % 2 == 0)) {
                    manager.restore();
                    n = step();
                    noneFaults.push_back(double(faults));
                } else {
                    manager.applySet(specs);
                    m = step();
                    mergedFaults.push_back(double(faults));
                }
            }
            none.push_back(n);
            merged.push_back(m);
            ratios.push_back(m / n);
            log("step pair " + std::to_string(i + 1) + ": none " + std::to_string(n) + " s, merged " +
                std::to_string(m) + " s");
        }
        timeSwitches(manager, specs, others, sync, r);
    }
    r.stepPairs = static_cast<int>(ratios.size());
    r.stepMergedCount = maxCount;
    r.stepNoneMedian = median(none);
    r.stepMergedMedian = median(merged);
    r.stepNoneBest = none.empty() ? 0 : *std::min_element(none.begin(), none.end());
    r.stepMergedBest = merged.empty() ? 0 : *std::min_element(merged.begin(), merged.end());
    r.stepRatio = median(ratios);
    r.stepNoneFaults = median(noneFaults);
    r.stepMergedFaults = median(mergedFaults);
    return r;
}

} // namespace easel::adapters
