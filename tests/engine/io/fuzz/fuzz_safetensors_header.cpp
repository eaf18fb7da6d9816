// libFuzzer target: the safetensors header parser must reject any input with api::Error, never
// crash, hang or allocate without bound. Input: 8-byte data-section size (LE) + header JSON.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/api/error.h"
#include "engine/io/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 8)
        return 0;
    uint64_t dataSize = 0;
    for (int i = 7; i >= 0; --i)
        dataSize = (dataSize << 8) | data[i];
    try {
        const auto f = easel::io::SafetensorsFile::parseHeader(
            std::string_view(reinterpret_cast<const char*>(data + 8), size - 8), dataSize, "fuzz");
        for (const auto& t : f.tensors())
            if (t.end > dataSize || t.begin > t.end)
                __builtin_trap(); // validation let an out-of-range tensor through
    } catch (const easel::api::Error&) {
    }
    return 0;
}
