// libFuzzer target: easel-server's A1111 request parser on arbitrary bytes. The bytes are read as a
// JSON body (img2img when it has init_images) and, separately, as an uploaded image
// (base64 and header probe). A ValidationError or UploadRefused is a fine answer; any other
// exception (an unchecked nlohmann type error, say), a crash or a sanitizer report is a bug.

#include <cstddef>
#include <cstdint>
#include <string>

#include "app/server/a1111_request.h"
#include "app/server/uploaded_image.h"
#include "app/server/validation.h"
#include "engine/api/preprocessors.h"

namespace easel::api {

// The preprocessor table lives with the OpenCV preprocessors, which this fuzzer does not build:
// a two-entry table stands in for the lookup the parser makes.
const std::vector<PreprocessorInfo>& preprocessorList()
{
    static const std::vector<PreprocessorInfo> list = {{"none", "None", {}, {}, false, false},
                                                       {"canny", "Canny", {"Low", 1, 255, 100, 1}, {"High", 1, 255, 200, 1}, false, true}};
    return list;
}

const PreprocessorInfo* findPreprocessor(const std::string& name)
{
    for (const auto& p : preprocessorList())
        if (p.name == name)
            return &p;
    return nullptr;
}

} // namespace easel::api

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace easel::server;
    const std::string text(reinterpret_cast<const char*>(data), size);
    A1111ParseContext context;
    context.maxPixels = 256 * 256;
    context.resolve = [](const std::string&, const std::string& name) {
        return name.find('/') == std::string::npos && !name.empty() ? "/models/" + name : std::string();
    };
    context.known = [](const std::string&) { return std::vector<std::string>{"tiny.safetensors"}; };
    try {
        const nlohmann::json body = parseJsonObject(text);
        parseA1111(body, body.contains("init_images"), context);
    } catch (const ValidationError&) {
    }
    try {
        decodeUpload(text, context.maxPixels, size > 1 && (data[1] & 1));
    } catch (const UploadRefused&) {
    }
    return 0;
}
