#include "app/cli/runtime_setup.h"

#include "engine/api/error.h"
#include "engine/api/logging.h"
#include "engine/api/runtime.h"

namespace easel::cli {

std::vector<OptionSpec> commonOptionSpecs()
{
    return {
        {"verbose", "v", false, false, "debug logging on stderr"},
        {"device", "", true, false, "auto (default), cpu or cuda"},
        {"threads", "", true, false, "intra-op threads (default: all cores)"},
    };
}

void applyCommonOptions(const Args& args)
{
    api::initLogging({args.has("verbose"), true, "easel-cli"});
    const auto device = api::parseDevicePreference(args.value("device", "auto"));
    if (!device)
        throw api::Error(api::ErrorCode::InvalidRequest,
                         "unknown device '" + args.value("device", "") + "'; use auto, cpu or cuda");
    api::configureRuntime({args.intValue("threads", 0), *device});
}

} // namespace easel::cli
