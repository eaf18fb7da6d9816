#pragma once
// Small helpers shared by the sampling and RNG golden tests: read the golden JSON and F32
// safetensors, flatten tensors, compare statistics. Header-only so each test stays one executable.

#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

namespace easel::test {

inline nlohmann::json readJson(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error("cannot open " + path);
    return nlohmann::json::parse(in);
}

/// Every F32 tensor of a safetensors file (the golden files hold only F32).
inline std::map<std::string, torch::Tensor> readF32Safetensors(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot open " + path);
    uint64_t headerLength = 0;
    in.read(reinterpret_cast<char*>(&headerLength), 8);
    std::string header(headerLength, '\0');
    in.read(header.data(), static_cast<std::streamsize>(headerLength));
    const std::vector<char> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::map<std::string, torch::Tensor> out;
    const nlohmann::json entries = nlohmann::json::parse(header);
    for (const auto& [name, info] : entries.items()) {
        if (name == "__metadata__")
            continue;
        if (info.at("dtype") != "F32")
            throw std::runtime_error("unexpected dtype in " + path + ": " + name);
        const std::vector<int64_t> shape = info.at("shape").get<std::vector<int64_t>>();
        const auto begin = info.at("data_offsets")[0].get<size_t>();
        const auto end = info.at("data_offsets")[1].get<size_t>();
        torch::Tensor t = torch::empty(shape, torch::kFloat32);
        std::memcpy(t.data_ptr<float>(), data.data() + begin, end - begin);
        out[name] = t;
    }
    return out;
}

/// JSON numbers written from float32 values, back to the exact float32 values.
inline std::vector<float> floats(const nlohmann::json& array)
{
    std::vector<float> out;
    for (const auto& v : array)
        out.push_back(static_cast<float>(v.get<double>()));
    return out;
}

inline torch::Tensor tensorOf(const std::vector<float>& values)
{
    return torch::tensor(values, torch::kFloat32);
}

inline std::vector<float> flatValues(const torch::Tensor& t, int64_t limit = -1)
{
    const torch::Tensor flat = t.contiguous().to(torch::kFloat32).reshape({-1});
    const int64_t n = limit < 0 ? flat.numel() : std::min<int64_t>(limit, flat.numel());
    const float* p = flat.data_ptr<float>();
    return std::vector<float>(p, p + n);
}

/// Largest |a - b| over the common prefix; +inf when the lengths differ.
inline double maxAbsDiff(const std::vector<float>& a, const std::vector<float>& b)
{
    if (a.size() != b.size())
        return INFINITY;
    double worst = 0;
    for (size_t i = 0; i < a.size(); ++i)
        worst = std::max(worst, std::abs(static_cast<double>(a[i]) - static_cast<double>(b[i])));
    return worst;
}

inline double maxAbsDiff(const torch::Tensor& a, const torch::Tensor& b)
{
    if (a.sizes() != b.sizes())
        return INFINITY;
    return (a.to(torch::kFloat64) - b.to(torch::kFloat64)).abs().max().item<double>();
}

/// Largest distance in float32 units in the last place.
inline int64_t maxUlpDiff(const std::vector<float>& a, const std::vector<float>& b)
{
    if (a.size() != b.size())
        return INT64_MAX;
    auto ordered = [](float f) {
        int32_t i;
        std::memcpy(&i, &f, 4);
        return i < 0 ? int64_t(INT32_MIN) - i : int64_t(i);
    };
    int64_t worst = 0;
    for (size_t i = 0; i < a.size(); ++i)
        worst = std::max(worst, std::abs(ordered(a[i]) - ordered(b[i])));
    return worst;
}

/// Compares `t` with a golden `stats` object ({sum, mean, std, min, max, numel}); returns "" when within
/// `tol` (relative to max(1, |expected|); sum relative to numel), else a description.
inline std::string compareStats(const torch::Tensor& t, const nlohmann::json& stats, double tol)
{
    const torch::Tensor d = t.to(torch::kFloat64).reshape({-1});
    std::ostringstream err;
    if (d.numel() != stats.at("numel").get<int64_t>())
        err << "numel " << d.numel() << " != " << stats.at("numel") << "; ";
    const std::map<std::string, double> got = {
        {"sum", d.sum().item<double>()}, {"mean", d.mean().item<double>()}, {"std", d.std().item<double>()},
        {"min", d.min().item<double>()}, {"max", d.max().item<double>()}};
    for (const auto& [key, value] : got) {
        const double want = stats.at(key).get<double>();
        const double scale = key == "sum" ? static_cast<double>(d.numel()) : std::max(1.0, std::abs(want));
        if (std::abs(value - want) > tol * scale)
            err << key << " " << value << " != " << want << "; ";
    }
    return err.str();
}

} // namespace easel::test
