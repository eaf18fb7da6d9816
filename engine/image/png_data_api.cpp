// engine/api/png_data.h over the libpng codec and core base64.
#include "engine/api/png_data.h"

#include <vector>

#include "engine/api/error.h"
#include "engine/core/base64.h"
#include "engine/image/png_codec.h"

namespace easel::api {

Image decodePngData(std::string_view bytes)
{
    return image::decodePng(std::vector<unsigned char>(bytes.begin(), bytes.end()));
}

Image decodeBase64Png(std::string_view text)
{
    const auto bytes = core::base64Decode(text);
    if (!bytes)
        throw Error(ErrorCode::CorruptFile, "a picture is not valid base64");
    return image::decodePng(*bytes);
}

} // namespace easel::api
