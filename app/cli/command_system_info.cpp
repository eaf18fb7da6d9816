// `easel-cli system-info [--json] [--device auto|cpu|cuda] [--threads N]`

#include <iostream>

#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/cli/runtime_setup.h"
#include "engine/api/runtime.h"
#include "engine/api/system_info.h"

namespace easel::cli {

namespace {

int runSystemInfo(const std::vector<std::string>& argv)
{
    std::vector<OptionSpec> specs = commonOptionSpecs();
    specs.push_back({"json", "", false, false, "print JSON"});
    const Args args(specs, argv);
    applyCommonOptions(args);
    const api::SystemInfo info = api::querySystemInfo();
    std::cout << (args.has("json") ? api::systemInfoJson(info) + "\n" : api::formatSystemInfo(info));
    return 0;
}

const CommandRegistrar registrar{"system-info", "versions, devices, threads, BLAS and oneDNN", &runSystemInfo};

} // namespace

} // namespace easel::cli
