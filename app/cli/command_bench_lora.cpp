// `easel-cli bench lora [--json] [--family sd15|sdxl] [--rank N] [--latent N] [--batch N] [--repeats N]
//  [--fp16] [--device cpu|cuda]`
// Merges 1, 5 and 10 synthetic rank-32 LoRAs (kohya layout for the model: every transformer
// projection, proj_in/out and the text encoders' attention/MLP) into a full-size random model built
// in memory, and reports apply and restore times, switching the 10-LoRA set to 10 other LoRAs and
// back (cached), and the UNet step time with 10 LoRAs merged vs none as the median of alternating
// pairs in the same run (issue 7 target: within 2%).

#include <iostream>

#include <nlohmann/json.hpp>

#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/cli/runtime_setup.h"
#include "engine/bench/lora_benchmark.h"
#include "engine/api/error.h"

namespace easel::cli {

namespace {

int runBenchLoRA(const std::vector<std::string>& argv)
{
    std::vector<OptionSpec> specs = commonOptionSpecs();
    specs.push_back({"json", "", false, false, "print JSON"});
    specs.push_back({"family", "", true, false, "sd15 (default) or sdxl"});
    specs.push_back({"rank", "", true, false, "LoRA rank (default 32)"});
    specs.push_back({"latent", "", true, false, "latent side of the timed UNet step (default 64 = 512 px)"});
    specs.push_back({"batch", "", true, false, "batch of the timed step (default 2 = cond + uncond)"});
    specs.push_back({"repeats", "", true, false, "alternating none/merged step pairs (default 5)"});
    specs.push_back({"fp16", "", false, false, "fp16 weights (default fp32)"});
    const Args args(specs, argv);
    if (!args.positionals().empty())
        throw std::invalid_argument("bench lora: unexpected argument '" + args.positionals()[0] + "'");
    applyCommonOptions(args);

    adapters::LoRABenchOptions o;
    o.family = args.value("family", "sd15");
    o.rank = std::max(1, args.intValue("rank", 32));
    o.latentSize = std::max(8, args.intValue("latent", 64));
    o.batch = std::max(1, args.intValue("batch", 2));
    o.stepRepeats = std::max(1, args.intValue("repeats", 5));
    o.fp16 = args.has("fp16");
    const std::string device = args.value("device", "auto");
    o.device = device == "auto" ? "cpu" : device;
    o.log = [](const std::string& line) { std::cerr << "bench lora: " << line << "\n"; };
    try {
        const adapters::LoRABenchResult r = adapters::runLoRABenchmark(o);
        nlohmann::json applies = nlohmann::json::array();
        nlohmann::json j = {
            {"benchmark", "lora"},
            {"family", r.family},
            {"device", r.device},
            {"dtype", r.dtype},
            {"unet_parameters", r.unetParameters},
            {"text_parameters", r.textParameters},
            {"lora_rank", o.rank},
            {"lora_modules", r.loraModules},
            {"lora_parameters", r.loraParameters},
            {"build_s", r.buildSeconds},
            {"switch_s", r.switchSeconds},
            {"switch_set_s", r.switchSetSeconds},
            {"switch_cached_set_s", r.switchCachedSetSeconds},
            {"switch_cached_tensors", r.cachedTensors},
            {"layout_kept", r.layoutKept},
            {"step_latent", o.latentSize},
            {"step_batch", o.batch},
            {"step_none_s", r.stepNoneMedian},
            {"step_none_best_s", r.stepNoneBest},
            {"step_merged_s", r.stepMergedMedian},
            {"step_merged_best_s", r.stepMergedBest},
            {"step_merged_loras", r.stepMergedCount},
            {"step_pairs", r.stepPairs},
            {"step_none_minor_faults", r.stepNoneFaults},
            {"step_merged_minor_faults", r.stepMergedFaults},
            {"step_ratio", r.stepRatio},
            {"target_step_within_2pct", r.stepRatio > 0 && r.stepRatio <= 1.02},
        };
        for (const auto& a : r.applies) {
            applies.push_back({{"loras", a.count}, {"apply_s", a.applySeconds}, {"restore_s", a.restoreSeconds},
                               {"tensors", a.tensors}});
            j["apply_" + std::to_string(a.count) + "_s"] = a.applySeconds;
            j["restore_" + std::to_string(a.count) + "_s"] = a.restoreSeconds;
        }
        j["applies"] = applies;
        if (args.has("json")) {
            std::cout << j.dump(2) << "\n";
            return 0;
        }
        std::cout << "bench lora: " << r.family << " (" << r.unetParameters / 1e6 << "M UNet + " << r.textParameters / 1e6
                  << "M text parameters, " << r.dtype << ", " << r.device << "), rank-" << o.rank << " LoRAs of "
                  << r.loraModules << " layers / " << r.loraParameters / 1e6 << "M parameters each\n";
        for (const auto& a : r.applies)
            std::cout << "  " << a.count << " LoRA(s): apply " << a.applySeconds << " s (" << a.tensors
                      << " tensors), restore " << a.restoreSeconds << " s\n";
        std::cout << "  switch to " << r.stepMergedCount << " other LoRAs: " << r.switchSetSeconds << " s, back (cached): "
                  << r.switchCachedSetSeconds << " s\n"
                  << "  change one multiplier of " << r.stepMergedCount << ": " << r.switchSeconds << " s\n"
                  << "  UNet step: none " << r.stepNoneMedian << " s, " << r.stepMergedCount << " merged "
                  << r.stepMergedMedian << " s (median ratio of " << r.stepPairs << " pairs " << r.stepRatio
                  << ", target <= 1.02); merged weights kept storage/strides/dtype: "
                  << (r.layoutKept ? "yes" : "NO") << "\n";
        return 0;
    } catch (const api::Error& e) {
        std::cerr << "bench lora: " << e.message() << "\n";
        return 1;
    }
}

} // namespace

const CommandRegistrar registrar{"bench lora", "LoRA merge/restore and per-step cost benchmark (random full-size model)",
                                 &runBenchLoRA};

} // namespace easel::cli
