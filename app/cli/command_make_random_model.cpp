// `easel-cli make-random-model --family sd15|sd2|sdxl --out FILE [--dtype fp16|fp32] [--seed N]`
// `easel-cli smoke-model FILE [--latent N] [--batch N] [--device cpu|cuda] [--fp16]` (developer check)

#include <cstdio>
#include <iostream>

#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/cli/runtime_setup.h"
#include "engine/api/error.h"
#include "engine/bench/model_smoke.h"
#include "engine/bench/random_model.h"

namespace easel::cli {

namespace {

int runMakeRandomModel(const std::vector<std::string>& argv)
{
    std::vector<OptionSpec> specs = commonOptionSpecs();
    specs.push_back({"family", "f", true, false, "sd15 | sd2 | sdxl"});
    specs.push_back({"out", "o", true, false, "output .safetensors file"});
    specs.push_back({"dtype", "", true, false, "fp16 (default, like pruned downloads) | fp32"});
    specs.push_back({"seed", "", true, false, "random seed (default 0)"});
    const Args args(specs, argv);
    applyCommonOptions(args);
    const auto family = models::parseRandomModelFamily(args.value("family", ""));
    if (!family)
        throw api::Error(api::ErrorCode::InvalidRequest, "--family must be sd15, sd2 or sdxl");
    const std::string out = args.value("out", "");
    if (out.empty())
        throw api::Error(api::ErrorCode::InvalidRequest, "--out FILE is required");
    const std::string dtype = args.value("dtype", "fp16");
    if (dtype != "fp16" && dtype != "fp32")
        throw api::Error(api::ErrorCode::InvalidRequest, "--dtype must be fp16 or fp32");

    models::RandomModelOptions options;
    options.family = *family;
    options.path = out;
    options.fp16 = dtype == "fp16";
    options.seed = static_cast<uint64_t>(args.intValue("seed", 0));
    options.progress = [](size_t done, size_t total) {
        if (done % 100 == 0 || done == total)
            std::fprintf(stderr, "\r%zu / %zu tensors", done, total);
        if (done == total)
            std::fprintf(stderr, "\n");
    };
    const models::RandomModelSummary summary = models::writeRandomModel(options);
    std::cout << out << ": " << summary.tensors << " tensors, " << summary.parameters << " parameters, "
              << summary.bytes << " bytes\n";
    return 0;
}

int runSmokeModel(const std::vector<std::string>& argv)
{
    std::vector<OptionSpec> specs = commonOptionSpecs();
    specs.push_back({"latent", "", true, false, "latent side (default 64 = 512 px)"});
    specs.push_back({"batch", "", true, false, "UNet batch (default 2)"});
    specs.push_back({"fp16", "", false, false, "fp16 weights and activations (CUDA)"});
    const Args args(specs, argv);
    applyCommonOptions(args);
    if (args.positionals().size() != 1)
        throw api::Error(api::ErrorCode::InvalidRequest, "usage: easel-cli smoke-model FILE");
    models::SmokeOptions options;
    options.latentSize = args.intValue("latent", 64);
    options.batch = args.intValue("batch", 2);
    options.fp16 = args.has("fp16");
    options.device = args.value("device", "auto") == "cuda" ? "cuda" : "cpu";
    const models::SmokeReport r = models::runModelSmoke(args.positionals().front(), options);
    std::printf("family %s, UNet %lld params, VAE %lld params\n", r.family.c_str(),
                static_cast<long long>(r.unetParameters), static_cast<long long>(r.vaeParameters));
    std::printf("load %.2f s (peak RSS %.0f MiB)\n", r.loadSeconds, r.rssAfterLoadKiB / 1024.0);
    std::printf("UNet step batch %lld, latent %lld²: %.2f s (output std %.4f)\n", static_cast<long long>(options.batch),
                static_cast<long long>(options.latentSize), r.unetSeconds, r.unetOutputStd);
    std::printf("VAE decode %lld² px: %.2f s (output std %.4f)\n", static_cast<long long>(options.latentSize * 8),
                r.vaeSeconds, r.imageStd);
    std::printf("peak RSS (VmHWM) %.0f MiB\n", r.peakRssKiB / 1024.0);
    return 0;
}

const CommandRegistrar makeRegistrar{"make-random-model",
                                     "write a full-size SD1.5/SD2/SDXL checkpoint with random weights (LDM layout)",
                                     &runMakeRandomModel};
const CommandRegistrar smokeRegistrar{"smoke-model", "(developer check) load a checkpoint, time one UNet step and a "
                                                     "VAE decode, report peak memory",
                                      &runSmokeModel};

} // namespace

} // namespace easel::cli
