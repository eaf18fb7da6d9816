#include "engine/io/safetensors.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <numeric>
#include <set>

#include <fcntl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "engine/api/error.h"
#include "engine/io/mapped_file.h"

namespace easel::io {

using api::Error;
using api::ErrorCode;
using nlohmann::json;

namespace {

struct DTypeEntry {
    DType dtype;
    const char* name;
    size_t size;
};

constexpr DTypeEntry kDTypes[] = {
    {DType::F64, "F64", 8},  {DType::F32, "F32", 4},   {DType::F16, "F16", 2},
    {DType::BF16, "BF16", 2}, {DType::I64, "I64", 8},  {DType::I32, "I32", 4},
    {DType::I16, "I16", 2},  {DType::I8, "I8", 1},     {DType::U8, "U8", 1},
    {DType::Bool, "BOOL", 1}, {DType::F8_E4M3, "F8_E4M3", 1}, {DType::F8_E5M2, "F8_E5M2", 1},
};

// Nesting deeper than this is never a valid header; refusing it keeps a hostile header from
// exhausting the stack in the JSON library.
constexpr int kMaxJsonDepth = 8;

struct DepthExceeded {};

[[noreturn]] void corrupt(const std::string& path, const std::string& what)
{
    throw Error(ErrorCode::CorruptFile, "invalid safetensors file: " + what + "; the file is damaged or not a safetensors file",
                path);
}

bool asUInt(const json& j, uint64_t& out)
{
    if (j.is_number_unsigned()) {
        out = j.get<uint64_t>();
        return true;
    }
    if (j.is_number_integer() && j.get<int64_t>() >= 0) {
        out = static_cast<uint64_t>(j.get<int64_t>());
        return true;
    }
    return false;
}

uint64_t readHeaderLength(const unsigned char* b)
{
    uint64_t n = 0;
    for (int i = 7; i >= 0; --i)
        n = (n << 8) | b[i];
    return n;
}

std::string preadExact(int fd, uint64_t offset, uint64_t length, const std::string& path)
{
    std::string buf(length, '\0');
    uint64_t done = 0;
    while (done < length) {
        const ssize_t r = ::pread(fd, buf.data() + done, length - done, static_cast<off_t>(offset + done));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            throw Error(ErrorCode::FileUnreadable, "read error while reading the header", path);
        done += static_cast<uint64_t>(r);
    }
    return buf;
}

} // namespace

size_t dtypeSize(DType dtype)
{
    for (const auto& e : kDTypes)
        if (e.dtype == dtype)
            return e.size;
    return 0;
}

const char* dtypeName(DType dtype)
{
    for (const auto& e : kDTypes)
        if (e.dtype == dtype)
            return e.name;
    return "?";
}

bool parseDType(std::string_view name, DType& out)
{
    for (const auto& e : kDTypes)
        if (name == e.name) {
            out = e.dtype;
            return true;
        }
    return false;
}

bool isFloatingPoint(DType dtype)
{
    switch (dtype) {
    case DType::F64: case DType::F32: case DType::F16: case DType::BF16: case DType::F8_E4M3: case DType::F8_E5M2:
        return true;
    default:
        return false;
    }
}

uint64_t TensorInfo::numel() const
{
    uint64_t n = 1;
    for (int64_t d : shape)
        n *= static_cast<uint64_t>(d);
    return n;
}

SafetensorsFile::SafetensorsFile(SafetensorsFile&&) noexcept = default;
SafetensorsFile& SafetensorsFile::operator=(SafetensorsFile&&) noexcept = default;
SafetensorsFile::~SafetensorsFile() = default;

SafetensorsFile SafetensorsFile::parseHeader(std::string_view text, uint64_t dataSize, const std::string& path)
{
    // Key order and duplicates are only visible while parsing (json objects are maps).
    std::vector<std::string> order;
    std::set<std::string> seen;
    std::string duplicate;
    json::parser_callback_t cb = [&](int depth, json::parse_event_t event, json& parsed) {
        if (depth > kMaxJsonDepth)
            throw DepthExceeded{};
        if (event == json::parse_event_t::key && depth == 1) {
            std::string key = parsed.get<std::string>();
            if (!seen.insert(key).second && duplicate.empty())
                duplicate = key;
            order.push_back(std::move(key));
        }
        return true;
    };
    json header;
    try {
        header = json::parse(text.begin(), text.end(), cb);
    } catch (const DepthExceeded&) {
        corrupt(path, "header JSON is nested too deeply");
    } catch (const json::exception& e) {
        corrupt(path, std::string("header is not valid JSON (") + e.what() + ")");
    }
    if (!header.is_object())
        corrupt(path, "header JSON is not an object");
    if (!duplicate.empty())
        corrupt(path, "tensor name '" + duplicate + "' appears twice in the header");

    SafetensorsFile f;
    f.m_path = path;
    f.m_headerSize = text.size();
    f.m_tensors.reserve(order.size());
    for (const std::string& name : order) {
        const json& v = header.at(name);
        if (name == "__metadata__") {
            if (!v.is_object())
                corrupt(path, "__metadata__ is not an object");
            for (const auto& [k, mv] : v.items())
                f.m_metadata[k] = mv.is_string() ? mv.get<std::string>() : mv.dump();
            continue;
        }
        if (!v.is_object())
            corrupt(path, "entry '" + name + "' is not an object");
        const auto dt = v.find("dtype");
        const auto sh = v.find("shape");
        const auto off = v.find("data_offsets");
        if (dt == v.end() || !dt->is_string() || sh == v.end() || !sh->is_array() || off == v.end() ||
            !off->is_array() || off->size() != 2)
            corrupt(path, "entry '" + name + "' lacks dtype, shape or data_offsets");
        TensorInfo t;
        t.name = name;
        const std::string dtypeText = dt->get<std::string>();
        if (!parseDType(dtypeText, t.dtype))
            throw Error(ErrorCode::UnsupportedFormat,
                        "tensor '" + name + "' has dtype '" + dtypeText + "', which Easel does not support", path);
        uint64_t numel = 1;
        for (const json& d : *sh) {
            uint64_t dim = 0;
            if (!asUInt(d, dim) || dim > static_cast<uint64_t>(INT64_MAX))
                corrupt(path, "tensor '" + name + "' has an invalid shape");
            if (__builtin_mul_overflow(numel, dim, &numel))
                corrupt(path, "tensor '" + name + "' has an absurdly large shape");
            t.shape.push_back(static_cast<int64_t>(dim));
        }
        if (!asUInt((*off)[0], t.begin) || !asUInt((*off)[1], t.end) || t.begin > t.end)
            corrupt(path, "tensor '" + name + "' has invalid data_offsets");
        if (t.end > dataSize)
            corrupt(path, "tensor '" + name + "' lies beyond the end of the file (offsets " + std::to_string(t.begin) +
                              ".." + std::to_string(t.end) + ", data section " + std::to_string(dataSize) +
                              " bytes); the file is probably truncated");
        uint64_t bytes = 0;
        if (__builtin_mul_overflow(numel, static_cast<uint64_t>(dtypeSize(t.dtype)), &bytes) || bytes != t.byteSize())
            corrupt(path, "tensor '" + name + "' has " + std::to_string(t.byteSize()) + " bytes but its shape and dtype need " +
                              std::to_string(bytes));
        f.m_index[name] = f.m_tensors.size();
        f.m_tensors.push_back(std::move(t));
    }

    // No two tensors may share bytes (Ref: safetensors validate(): offsets must not overlap).
    std::vector<const TensorInfo*> byOffset;
    for (const auto& t : f.m_tensors)
        if (t.byteSize() > 0)
            byOffset.push_back(&t);
    std::sort(byOffset.begin(), byOffset.end(), [](auto* a, auto* b) { return a->begin < b->begin; });
    for (size_t i = 1; i < byOffset.size(); ++i)
        if (byOffset[i]->begin < byOffset[i - 1]->end)
            corrupt(path, "tensors '" + byOffset[i - 1]->name + "' and '" + byOffset[i]->name + "' overlap");
    return f;
}

namespace {

SafetensorsFile readHeader(const std::string& path, uint64_t fileSize, int fd)
{
    if (fileSize < 8)
        corrupt(path, "file is shorter than the 8-byte header length (" + std::to_string(fileSize) + " bytes)");
    const std::string lenBytes = preadExact(fd, 0, 8, path);
    const uint64_t n = readHeaderLength(reinterpret_cast<const unsigned char*>(lenBytes.data()));
    if (n > kMaxSafetensorsHeader)
        corrupt(path, "header length " + std::to_string(n) + " is absurdly large (limit " +
                          std::to_string(kMaxSafetensorsHeader) + ")");
    if (n > fileSize - 8)
        corrupt(path, "header length " + std::to_string(n) + " goes beyond the end of the file (" +
                          std::to_string(fileSize) + " bytes); the file is truncated");
    if (n < 2)
        corrupt(path, "header is too short");
    const std::string text = preadExact(fd, 8, n, path);
    SafetensorsFile f = SafetensorsFile::parseHeader(text, fileSize - 8 - n, path);
    return f;
}

int openFd(const std::string& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        throw Error(ErrorCode::FileUnreadable, std::string("cannot open file: ") + std::strerror(err) + "; check its permissions",
                    path);
    }
    return fd;
}

struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
};

} // namespace

SafetensorsFile SafetensorsFile::open(const std::string& path)
{
    const uint64_t size = checkRegularFile(path);
    SafetensorsFile f;
    {
        const int fd = openFd(path);
        FdCloser closer{fd};
        f = readHeader(path, size, fd);
    }
    f.m_mapping = MappedFile::open(path);
    f.m_fileSize = f.m_mapping->size();
    if (f.m_fileSize != size)
        throw Error(ErrorCode::FileUnreadable, "file changed while it was being opened", path);
    return f;
}

SafetensorsFile SafetensorsFile::openHeaderOnly(const std::string& path)
{
    const uint64_t size = checkRegularFile(path);
    const int fd = openFd(path);
    FdCloser closer{fd};
    SafetensorsFile f = readHeader(path, size, fd);
    f.m_fileSize = size;
    return f;
}

const TensorInfo* SafetensorsFile::find(const std::string& name) const
{
    const auto it = m_index.find(name);
    return it == m_index.end() ? nullptr : &m_tensors[it->second];
}

const std::byte* SafetensorsFile::data(const TensorInfo& t) const
{
    if (!m_mapping)
        throw Error(ErrorCode::Internal, "safetensors header was read without mapping the data", m_path);
    return m_mapping->data() + dataOffset() + t.begin;
}

} // namespace easel::io
