#include "engine/io/safetensors_writer.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <set>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "engine/api/error.h"

namespace easel::io {

using api::Error;
using api::ErrorCode;

namespace {

uint64_t blobBytes(const TensorBlob& t)
{
    uint64_t n = dtypeSize(t.dtype);
    for (int64_t d : t.shape)
        n *= static_cast<uint64_t>(d);
    return n;
}

} // namespace

std::string safetensorsHeaderJson(const std::vector<TensorBlob>& tensors, const std::map<std::string, std::string>& metadata)
{
    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    if (!metadata.empty()) {
        auto& m = header["__metadata__"];
        m = nlohmann::ordered_json::object();
        for (const auto& [k, v] : metadata)
            m[k] = v;
    }
    std::set<std::string> names;
    uint64_t offset = 0;
    for (const TensorBlob& t : tensors) {
        if (t.name == "__metadata__" || !names.insert(t.name).second)
            throw Error(ErrorCode::InvalidRequest, "cannot write tensor name '" + t.name + "' twice or reserved");
        const uint64_t bytes = blobBytes(t);
        header[t.name] = {{"dtype", dtypeName(t.dtype)}, {"shape", t.shape}, {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
    }
    return header.dump();
}

void writeSafetensors(const std::string& path, const std::vector<TensorBlob>& tensors,
                      const std::map<std::string, std::string>& metadata)
{
    std::string header = safetensorsHeaderJson(tensors, metadata);
    header.append((8 - header.size() % 8) % 8, ' ');
    const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
    FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f)
        throw Error(ErrorCode::FileUnreadable, std::string("cannot create file: ") + std::strerror(errno), path);
    bool ok = true;
    unsigned char len[8];
    for (int i = 0; i < 8; ++i)
        len[i] = static_cast<unsigned char>((static_cast<uint64_t>(header.size()) >> (8 * i)) & 0xff);
    ok = ok && std::fwrite(len, 1, 8, f) == 8;
    ok = ok && std::fwrite(header.data(), 1, header.size(), f) == header.size();
    for (const TensorBlob& t : tensors) {
        const uint64_t bytes = blobBytes(t);
        if (bytes > 0)
            ok = ok && t.data && std::fwrite(t.data, 1, bytes, f) == bytes;
    }
    ok = (std::fclose(f) == 0) && ok;
    if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        std::remove(tmp.c_str());
        throw Error(ErrorCode::FileUnreadable, std::string("cannot write file: ") + std::strerror(err), path);
    }
}

} // namespace easel::io
