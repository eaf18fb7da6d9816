// `easel-cli bench controlnet -m MODEL [--control N] [-W 512 -H 512] [--repeats N] [--device D] [--json]`:
// per-step cost of 0..N ControlNet units (random ControlNet shaped like the checkpoint's UNet) in one
// run. Full-size SD1.5 on the CPU: `easel-cli make-random-model --family sd15 -o sd15.safetensors`
// then `easel-cli bench controlnet -m sd15.safetensors --control 2`.

#include <iomanip>
#include <iostream>

#include <nlohmann/json.hpp>

#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/cli/runtime_setup.h"
#include "engine/bench/control_benchmark.h"

namespace easel::cli {

namespace {

int benchControlNet(const std::vector<std::string>& argv)
{
    std::vector<OptionSpec> specs = commonOptionSpecs();
    const std::vector<OptionSpec> own = {
        {"model", "m", true, false, "checkpoint (e.g. from `easel-cli make-random-model --family sd15`)"},
        {"control", "", true, false, "largest number of ControlNet units to time (default 2: 0, 1 and 2)"},
        {"width", "W", true, false, "image width (default 512)"},
        {"height", "H", true, false, "image height (default 512)"},
        {"repeats", "", true, false, "timed steps per unit count, median reported (default 3)"},
        {"json", "", false, false, "print JSON"},
    };
    specs.insert(specs.end(), own.begin(), own.end());
    const Args args(specs, argv);
    applyCommonOptions(args);
    controlnet::ControlBenchmarkOptions o;
    o.model = args.value("model", "");
    o.units = args.intValue("control", 2);
    o.width = args.intValue("width", 512);
    o.height = args.intValue("height", 512);
    o.repeats = args.intValue("repeats", 3);
    if (auto d = args.value("device"); d && *d != "auto")
        o.device = *d;
    const controlnet::ControlBenchmarkResult r = controlnet::runControlNetBenchmark(o);
    if (args.has("json")) {
        nlohmann::json rows = nlohmann::json::array();
        for (const auto& row : r.rows)
            rows.push_back({{"units", row.units}, {"step_s", row.stepSeconds}, {"overhead_s", row.overheadSeconds},
                            {"overhead_percent", row.overheadPercent}});
        std::cout << nlohmann::json{{"benchmark", "controlnet"}, {"family", r.family}, {"device", r.device},
                                    {"dtype", r.dtype}, {"width", o.width}, {"height", o.height},
                                    {"controlnet_mparams", r.controlNetParameters}, {"rows", rows}}
                         .dump(2)
                  << "\n";
        return 0;
    }
    std::cout << std::fixed << std::setprecision(3) << "bench controlnet: " << r.family << " " << o.width << "x"
              << o.height << " on " << r.device << " " << r.dtype << ", ControlNet " << std::setprecision(1)
              << r.controlNetParameters << " M parameters\n";
    for (const auto& row : r.rows) {
        std::cout << std::setprecision(3) << "  " << row.units << " unit(s): " << row.stepSeconds << " s/step";
        if (row.units > 0)
            std::cout << "  (+" << row.overheadSeconds << " s, +" << std::setprecision(1) << row.overheadPercent
                      << "%)";
        std::cout << "\n";
    }
    return 0;
}

const CommandRegistrar registrar{"bench controlnet", "per-step cost of 0, 1, … N ControlNet units in one run",
                                 &benchControlNet};

} // namespace

} // namespace easel::cli
