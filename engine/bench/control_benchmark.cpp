#include "engine/bench/control_benchmark.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include <torch/torch.h>

#include "engine/api/error.h"
#include "engine/api/runtime.h"
#include "engine/controlnet/control_session.h"
#include "engine/models/fast_path.h"
#include "engine/models/layers.h"
#include "engine/models/weight_loading.h"
#include "engine/pipeline/cfg_denoiser.h"
#include "engine/pipeline/checkpoint.h"

namespace easel::controlnet {

namespace {

/// Random weights at the scale of real ones (N(0, 1/fan_in) matrices, norm scales ≈ 1, small
/// biases), so the arithmetic is representative (no denormals, no all-zero shortcuts).
/// Layers declare their parameters as expanded one-element placeholders until weights are loaded
/// (models/layers.cpp), and filling those in place fails (every element is one memory location):
/// each parameter gets its own storage first, conv kernels in the trunk's layout as the loader does.
void randomise(torch::nn::Module& module, uint64_t seed)
{
    torch::manual_seed(static_cast<int64_t>(seed));
    torch::NoGradGuard noGrad;
    for (const auto& owner : module.named_modules("", /*include_self=*/false)) {
        auto* layer = dynamic_cast<models::ParamModule*>(owner.value().get());
        if (!layer)
            continue;
        for (const auto& item : layer->named_parameters(/*recurse=*/false)) {
            const std::string name = owner.key() + "." + item.key();
            const torch::Tensor& old = item.value();
            const bool nhwc = models::fastPath().channelsLast && old.dim() == 4 && dynamic_cast<models::Conv2d*>(layer);
            torch::Tensor p = torch::empty(old.sizes(), old.options(),
                                           nhwc ? torch::MemoryFormat::ChannelsLast : torch::MemoryFormat::Contiguous);
            const bool norm = name.find("norm") != std::string::npos || name.find("in_layers.0") != std::string::npos
                              || name.find("out_layers.0") != std::string::npos;
            if (p.dim() >= 2)
                p.normal_(0.0, 1.0 / std::sqrt(static_cast<double>(p.numel() / p.size(0))));
            else if (norm && name.size() > 6 && name.compare(name.size() - 6, 6, "weight") == 0)
                p.normal_(1.0, 0.02);
            else
                p.normal_(0.0, 0.02);
            layer->replaceParameter(item.key(), p);
        }
    }
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

} // namespace

ControlBenchmarkResult runControlNetBenchmark(const ControlBenchmarkOptions& o)
{
    if (o.model.empty())
        throw api::Error(api::ErrorCode::InvalidRequest, "no model: pass -m/--model FILE");
    if (o.units < 0 || o.units > 8)
        throw api::Error(api::ErrorCode::InvalidRequest, "--control takes 0..8 units");
    const std::string deviceName = o.device.empty() ? api::activeDevice() : o.device;
    const torch::Device device(deviceName == "cuda" ? "cuda:0" : deviceName);
    c10::InferenceMode inference;
    pipeline::CheckpointLoadOptions load;
    load.device = device;
    const auto ckpt = pipeline::loadCheckpoint(o.model, load);

    // One random ControlNet shaped for this checkpoint (SD1.5's real hint widths).
    auto model = std::make_shared<LoadedControlNet>();
    model->name = "random_controlnet";
    model->device = device;
    model->dtype = ckpt->dtype;
    model->detected.kind = io::ModelKind::ControlNet;
    model->detected.family = ckpt->family();
    model->detected.controlNet.unet = ckpt->detected.unet;
    model->detected.controlNet.unet.inChannels = 4;
    model->detected.controlNet.hintBlockChannels = {16, 32, 96, 256};
    {
        c10::InferenceMode off(false); // parameters are created and filled outside inference mode
        model->net = std::make_shared<models::ControlNet>(model->detected.controlNet);
        randomise(*model->net, 1);
    }
    model->net->to(device, ckpt->dtype);
    model->net->eval();

    ControlBenchmarkResult result;
    result.family = io::modelFamilyName(ckpt->family());
    result.device = device.str();
    result.dtype = ckpt->dtype == torch::kFloat16 ? "fp16" : ckpt->dtype == torch::kBFloat16 ? "bf16" : "fp32";
    result.controlNetParameters = static_cast<double>(models::parameterCount(*model->net)) / 1e6;

    const int64_t h = o.height / 8, w = o.width / 8;
    const auto f32 = torch::TensorOptions().dtype(torch::kFloat32).device(device);
    const io::UNetConfig& cfg = ckpt->detected.unet;
    const torch::Tensor x = torch::randn({2, cfg.inChannels, h, w}, f32);
    const torch::Tensor t = torch::full({2}, 500.0, f32);
    const torch::Tensor context = torch::randn({2, 77, cfg.contextDim}, f32);
    torch::Tensor y;
    if (cfg.admInChannels > 0)
        y = torch::randn({2, cfg.admInChannels}, f32);
    const torch::Tensor hint = torch::rand({1, 3, o.height, o.width});

    auto sync = [&]() {
        if (device.is_cuda())
            torch::cuda::synchronize();
    };
    for (int n = 0; n <= o.units; ++n) {
        std::vector<PreparedUnit> units;
        for (int i = 0; i < n; ++i) {
            PreparedUnit u;
            u.index = i;
            u.model = model;
            u.fixedHint = hint;
            u.unit.preprocessor = "none";
            units.push_back(u);
        }
        ControlSession session(std::move(units));
        pipeline::CfgDenoiserSetup setup;
        setup.control = session.attach({1, 1, o.width, o.height, 1, false});
        auto step = [&]() {
            std::optional<models::ControlResiduals> r;
            if (setup.control)
                r = setup.control(x, t, context, y, 0);
            const torch::Tensor out = ckpt->unet->forward(x, t, context, y.defined() ? std::optional<torch::Tensor>(y)
                                                                                     : std::nullopt,
                                                          r ? &*r : nullptr);
            (void)out;
            sync();
        };
        step(); // warm-up
        std::vector<double> times;
        for (int k = 0; k < std::max(1, o.repeats); ++k) {
            const auto start = std::chrono::steady_clock::now();
            step();
            times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        }
        ControlBenchmarkRow row;
        row.units = n;
        row.stepSeconds = median(times);
        if (!result.rows.empty()) {
            row.overheadSeconds = row.stepSeconds - result.rows.front().stepSeconds;
            row.overheadPercent = 100.0 * row.overheadSeconds / std::max(1e-9, result.rows.front().stepSeconds);
        }
        result.rows.push_back(row);
    }
    return result;
}

} // namespace easel::controlnet
