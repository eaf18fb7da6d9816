#include "engine/io/state_dict.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

#include <filesystem>

#include <ATen/Parallel.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "engine/api/error.h"
#include "engine/io/checkpoint_file.h"
#include "engine/io/diffusers_loader.h"
#include "engine/io/host_buffer_pool.h"
#include "engine/io/mapped_file.h"
#include "engine/io/safetensors_writer.h"

namespace easel::io {

using api::Error;
using api::ErrorCode;

namespace {

// fp8 -> float lookup tables. Ref: "FP8 Formats for Deep Learning" (Micikevicius et al. 2022):
// E4M3 (bias 7, no infinities, S.1111.111 = NaN), E5M2 (bias 15, IEEE-like, = top byte of fp16).
std::array<float, 256> makeFp8Table(bool e4m3)
{
    std::array<float, 256> t{};
    const int mantBits = e4m3 ? 3 : 2;
    const int bias = e4m3 ? 7 : 15;
    const int expMax = e4m3 ? 15 : 31;
    for (int b = 0; b < 256; ++b) {
        const int sign = b >> 7;
        const int exp = (b >> mantBits) & expMax;
        const int mant = b & ((1 << mantBits) - 1);
        float v;
        if (e4m3 && exp == 15 && mant == 7)
            v = NAN;
        else if (!e4m3 && exp == 31)
            v = mant == 0 ? INFINITY : NAN;
        else if (exp == 0)
            v = std::ldexp(static_cast<float>(mant), 1 - bias - mantBits);
        else
            v = std::ldexp(1.0f + static_cast<float>(mant) / static_cast<float>(1 << mantBits), exp - bias);
        t[b] = sign ? -v : v;
    }
    return t;
}

torch::Tensor fp8ToHalf(const std::byte* src, const std::vector<int64_t>& shape, bool e4m3)
{
    static const std::array<float, 256> kE4M3 = makeFp8Table(true);
    static const std::array<float, 256> kE5M2 = makeFp8Table(false);
    const auto& table = e4m3 ? kE4M3 : kE5M2;
    std::array<at::Half, 256> half{};
    for (int i = 0; i < 256; ++i)
        half[i] = at::Half(table[i]); // exact: every fp8 value is representable in fp16
    torch::Tensor out = torch::empty(shape, torch::kHalf);
    auto* dst = out.data_ptr<at::Half>();
    const auto* s = reinterpret_cast<const uint8_t*>(src);
    const int64_t n = out.numel();
    for (int64_t i = 0; i < n; ++i)
        dst[i] = half[s[i]];
    return out;
}

bool endsWith(const std::string& s, const std::string& suffix)
{
    return s.size() >= suffix.size() && std::equal(suffix.rbegin(), suffix.rend(), s.rbegin(),
                                                   [](char a, char b) { return std::tolower(a) == std::tolower(b); });
}

} // namespace

torch::ScalarType torchDType(DType dtype)
{
    switch (dtype) {
    case DType::F64: return torch::kDouble;
    case DType::F32: return torch::kFloat;
    case DType::F16: return torch::kHalf;
    case DType::BF16: return torch::kBFloat16;
    case DType::I64: return torch::kLong;
    case DType::I32: return torch::kInt;
    case DType::I16: return torch::kShort;
    case DType::I8: return torch::kChar;
    case DType::U8: return torch::kByte;
    case DType::Bool: return torch::kBool;
    case DType::F8_E4M3:
    case DType::F8_E5M2: return torch::kHalf;
    }
    return torch::kFloat;
}

DType fileDType(torch::ScalarType type)
{
    switch (type) {
    case torch::kDouble: return DType::F64;
    case torch::kFloat: return DType::F32;
    case torch::kHalf: return DType::F16;
    case torch::kBFloat16: return DType::BF16;
    case torch::kLong: return DType::I64;
    case torch::kInt: return DType::I32;
    case torch::kShort: return DType::I16;
    case torch::kChar: return DType::I8;
    case torch::kByte: return DType::U8;
    case torch::kBool: return DType::Bool;
    default:
        throw Error(ErrorCode::InvalidRequest, std::string("safetensors cannot store tensors of type ") +
                                                   c10::toString(type));
    }
}

torch::Tensor pooledEmpty(at::IntArrayRef sizes, torch::ScalarType dtype, torch::MemoryFormat format)
{
    int64_t numel = 1;
    for (const int64_t d : sizes)
        numel *= d;
    const size_t bytes = static_cast<size_t>(numel) * c10::elementSize(dtype);
    const auto options = torch::TensorOptions().dtype(dtype);
    if (bytes < HostBufferPool::kMinBytes)
        return torch::empty(sizes, options, format);
    void* block = HostBufferPool::shared().acquire(bytes);
    auto giveBack = [bytes](void* p) { HostBufferPool::shared().release(p, bytes); };
    if (format == torch::MemoryFormat::ChannelsLast && sizes.size() == 4) {
        const int64_t c = sizes[1], h = sizes[2], w = sizes[3];
        return torch::from_blob(block, sizes, {h * w * c, 1, w * c, c}, giveBack, options);
    }
    return torch::from_blob(block, sizes, giveBack, options);
}


namespace {

#if defined(__x86_64__)
/// fp16 -> fp32 with the F16C instruction, 8 values at a time (exact: every half is a float).
/// libtorch 1.13's CPU copy converts through c10::Half one value at a time, at about half the
/// memory bandwidth; a checkpoint's 1 G values made that the larger part of an fp16 load.
__attribute__((target("avx,f16c"))) void halfToFloatF16c(const std::uint16_t* in, float* out, int64_t n)
{
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(out + i, _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i))));
    for (; i < n; ++i)
        out[i] = _cvtsh_ss(in[i]);
}

bool hasF16c()
{
    static const bool yes = __builtin_cpu_supports("f16c") && __builtin_cpu_supports("avx");
    return yes;
}
#endif

/// dst (fp32, contiguous) = src (fp16, contiguous), over the intra-op threads; false when this
/// CPU or these tensors need the general path.
bool convertHalfToFloat(torch::Tensor& dst, const torch::Tensor& src)
{
#if defined(__x86_64__)
    if (!hasF16c() || src.scalar_type() != torch::kHalf || dst.scalar_type() != torch::kFloat || !src.is_contiguous()
        || !dst.is_contiguous() || src.numel() != dst.numel())
        return false;
    const auto* in = reinterpret_cast<const std::uint16_t*>(src.data_ptr());
    auto* out = dst.data_ptr<float>();
    constexpr int64_t kChunk = 1 << 20;
    at::parallel_for(0, (src.numel() + kChunk - 1) / kChunk, 1, [&](int64_t first, int64_t last) {
        const int64_t begin = first * kChunk, end = std::min(src.numel(), last * kChunk);
        halfToFloatF16c(in + begin, out + begin, end - begin);
    });
    return true;
#else
    (void)dst;
    (void)src;
    return false;
#endif
}

} // namespace

void copyInto(torch::Tensor& dst, const torch::Tensor& src)
{
    const bool plain = dst.is_contiguous() && src.is_contiguous() && src.device().is_cpu() && dst.device().is_cpu()
                       && dst.numel() == src.numel();
    if (plain && convertHalfToFloat(dst, src))
        return;
    if (!plain || dst.scalar_type() != src.scalar_type()) {
        dst.copy_(src);
        return;
    }
    auto* out = static_cast<char*>(dst.data_ptr());
    const auto* in = static_cast<const char*>(src.data_ptr());
    const int64_t bytes = dst.numel() * static_cast<int64_t>(dst.element_size());
    constexpr int64_t kChunk = 4 << 20;
    at::parallel_for(0, (bytes + kChunk - 1) / kChunk, 1, [&](int64_t first, int64_t last) {
        const int64_t begin = first * kChunk, end = std::min(bytes, last * kChunk);
        std::memcpy(out + begin, in + begin, static_cast<size_t>(end - begin));
    });
}

torch::Tensor loadTensor(const SafetensorsFile& file, const TensorInfo& info, const LoadOptions& options)
{
    const std::byte* src = file.data(info);
    torch::Tensor t;
    if (info.dtype == DType::F8_E4M3 || info.dtype == DType::F8_E5M2) {
        t = fp8ToHalf(src, info.shape, info.dtype == DType::F8_E4M3);
    } else {
        const auto type = torchDType(info.dtype);
        const bool aligned = reinterpret_cast<uintptr_t>(src) % dtypeSize(info.dtype) == 0;
        if (aligned) {
            // The deleter owns a reference to the mapping: the view keeps the file mapped.
            std::shared_ptr<const MappedFile> keep = file.mapping();
            t = torch::from_blob(const_cast<std::byte*>(src), info.shape, [keep](void*) {},
                                 torch::TensorOptions().dtype(type));
            const bool converting = options.dtype && isFloatingPoint(info.dtype) && *options.dtype != type;
            if (!options.zeroCopy && !converting) {
                torch::Tensor own = pooledEmpty(info.shape, type);
                copyInto(own, t);
                t = own;
            }
        } else {
            t = pooledEmpty(info.shape, type);
            if (info.byteSize() > 0)
                std::memcpy(t.data_ptr(), src, info.byteSize());
        }
    }
    if (options.dtype && isFloatingPoint(info.dtype) && t.scalar_type() != *options.dtype) {
        torch::Tensor converted = pooledEmpty(t.sizes(), *options.dtype);
        copyInto(converted, t);
        t = converted;
    }
    return t;
}

StateDict loadCheckpoint(const std::string& path, const LoadOptions& options)
{
    const CheckpointFile file = CheckpointFile::open(path);
    const std::shared_ptr<const void> keep = file.keepAlive();
    std::map<std::string, torch::Tensor> storages; // shared storages are wrapped once
    StateDict out;
    for (const PickledTensor& t : file.tensors()) {
        if (t.name.compare(0, options.prefix.size(), options.prefix) != 0)
            continue;
        auto it = storages.find(t.storageKey);
        if (it == storages.end()) {
            uint64_t bytes = 0;
            const std::byte* data = file.storage(t, bytes);
            const auto type = torchDType(t.dtype);
            const int64_t numel = static_cast<int64_t>(bytes / dtypeSize(t.dtype));
            torch::Tensor s;
            if (reinterpret_cast<uintptr_t>(data) % dtypeSize(t.dtype) == 0) {
                s = torch::from_blob(const_cast<std::byte*>(data), {numel}, [keep](void*) {}, torch::TensorOptions().dtype(type));
            } else {
                s = torch::empty({numel}, type);
                std::memcpy(s.data_ptr(), data, static_cast<size_t>(numel) * dtypeSize(t.dtype));
            }
            it = storages.emplace(t.storageKey, s).first;
        }
        torch::Tensor v = it->second.as_strided(t.shape, t.strides, t.storageOffset);
        if (!options.zeroCopy)
            v = v.clone(at::MemoryFormat::Contiguous);
        if (options.dtype && isFloatingPoint(t.dtype) && v.scalar_type() != *options.dtype)
            v = v.to(*options.dtype);
        out.emplace(t.name.substr(options.prefix.size()), v);
    }
    return out;
}

StateDict loadStateDict(const std::string& path, const LoadOptions& options)
{
    if (std::filesystem::is_directory(path) && std::filesystem::is_regular_file(std::filesystem::path(path) / "model_index.json"))
        return loadDiffusersFolder(path, options);
    if (!endsWith(path, ".safetensors")) {
        for (const char* ext : {".ckpt", ".pt", ".pth", ".bin"})
            if (endsWith(path, ext))
                return loadCheckpoint(path, options);
        // Unknown extension: sniff the content.
        const auto mapped = MappedFile::open(path);
        if (CheckpointFile::isZip(mapped->data(), mapped->size()))
            return loadCheckpoint(path, options);
    }
    const SafetensorsFile file = SafetensorsFile::open(path);
    StateDict out;
    for (const TensorInfo& info : file.tensors()) {
        if (info.name.compare(0, options.prefix.size(), options.prefix) != 0)
            continue;
        out.emplace(info.name.substr(options.prefix.size()), loadTensor(file, info, options));
    }
    return out;
}

void saveSafetensors(const std::string& path, const StateDict& tensors, const std::map<std::string, std::string>& metadata)
{
    std::vector<torch::Tensor> keep;
    std::vector<TensorBlob> blobs;
    keep.reserve(tensors.size());
    blobs.reserve(tensors.size());
    for (const auto& [name, tensor] : tensors) {
        torch::Tensor t = tensor.detach().to(torch::kCPU).contiguous();
        keep.push_back(t);
        blobs.push_back({name, fileDType(t.scalar_type()), t.sizes().vec(), t.data_ptr()});
    }
    writeSafetensors(path, blobs, metadata);
}

} // namespace easel::io
