// `easel-cli png-info IMAGE [--json] [--raw]`: the generation parameters stored in an image by A1111,
// civitai or Easel, parsed as A1111 parses them (keys are A1111's labels: Prompt, Steps, Size-1, …).

#include <iostream>

#include <nlohmann/json.hpp>

#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "engine/api/error.h"
#include "engine/core/atomic_file.h"
#include "engine/image/image_file.h"
#include "engine/image/png_codec.h"
#include "engine/pipeline/infotext.h"

namespace easel::cli {

namespace {

int runPngInfo(const std::vector<std::string>& argv)
{
    const std::vector<OptionSpec> specs = {
        {"json", "", false, false, "print JSON (keys are A1111's labels)"},
        {"raw", "", false, false, "only what the file says, without A1111's defaults for missing fields"},
    };
    const Args args(specs, argv);
    if (args.positionals().size() != 1)
        throw std::invalid_argument("png-info needs exactly one image file\n" + Args::usage(specs));
    const std::string path = args.positionals().front();
    std::string parameters;
    parameters = image::readParameters(path); // PNG text chunk or JPEG/WebP EXIF UserComment
    if (parameters.empty()) {
        std::cerr << "easel-cli png-info: " << path << ": no generation parameters in this image\n";
        return 1;
    }
    pipeline::Infotext info = pipeline::parseInfotext(parameters);
    if (!args.has("raw"))
        pipeline::applyInfotextDefaults(info);

    if (args.has("json")) {
        nlohmann::ordered_json j;
        j["Prompt"] = info.prompt;
        j["Negative prompt"] = info.negativePrompt;
        for (const auto& [k, v] : info.params)
            j[k] = v;
        std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    } else {
        std::cout << "Prompt: " << info.prompt << "\n";
        std::cout << "Negative prompt: " << info.negativePrompt << "\n";
        for (const auto& [k, v] : info.params)
            std::cout << k << ": " << v << "\n";
    }
    return 0;
}

const CommandRegistrar registrar{"png-info", "show the generation parameters stored in an image", &runPngInfo};

} // namespace

} // namespace easel::cli
