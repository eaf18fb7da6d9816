// libFuzzer target: the restricted unpickler must reject any input with api::Error, never crash,
// hang, allocate without bound, or accept a global outside its allow-list.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/api/error.h"
#include "engine/io/pickle.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    easel::io::PickleLimits limits;
    limits.maxNodes = 1u << 16; // keep each run small; the bounds themselves are what is tested
    limits.maxMemo = 1u << 16;
    try {
        easel::io::unpickleTensors(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz", limits);
    } catch (const easel::api::Error&) {
    }
    return 0;
}
