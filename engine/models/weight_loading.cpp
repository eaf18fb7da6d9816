#include "engine/models/weight_loading.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

#include "engine/api/error.h"
#include "engine/models/fast_path.h"
#include "engine/models/layers.h"

namespace easel::models {

namespace {

std::string shapeText(at::IntArrayRef shape)
{
    std::ostringstream out;
    out << '[';
    for (size_t i = 0; i < shape.size(); ++i)
        out << (i ? "," : "") << shape[i];
    out << ']';
    return out.str();
}

std::string firstFew(const std::vector<std::string>& names)
{
    std::string text;
    const size_t shown = std::min<size_t>(names.size(), 5);
    for (size_t i = 0; i < shown; ++i)
        text += (i ? ", " : "") + names[i];
    if (names.size() > shown)
        text += ", … (" + std::to_string(names.size()) + " in all)";
    return text;
}

/// Same data, shapes equal up to trailing 1-dims ([C,C] vs [C,C,1,1]).
bool reshapeCompatible(at::IntArrayRef file, at::IntArrayRef param)
{
    auto strip = [](at::IntArrayRef s) {
        std::vector<int64_t> v(s.begin(), s.end());
        while (v.size() > 2 && v.back() == 1)
            v.pop_back();
        return v;
    };
    return strip(file) == strip(param);
}

/// Address ranges of this process's file-backed mappings (a zero-copy state dict's tensors are
/// views of one), read from /proc/self/maps.
std::vector<std::pair<uintptr_t, uintptr_t>> fileMappings()
{
    std::vector<std::pair<uintptr_t, uintptr_t>> out;
    std::ifstream maps("/proc/self/maps");
    std::string line;
    while (std::getline(maps, line)) {
        std::istringstream in(line);
        std::string range, perms, offset, dev, inode, path;
        in >> range >> perms >> offset >> dev >> inode >> path;
        if (path.empty() || path[0] != '/' || inode == "0")
            continue;
        const size_t dash = range.find('-');
        out.emplace_back(std::stoull(range.substr(0, dash), nullptr, 16), std::stoull(range.substr(dash + 1), nullptr, 16));
    }
    return out;
}

/// Drops the resident pages of `src` when it is a view of a file mapping, once its data has been
/// converted into a tensor of its own. The pages are clean copies of the file (the loader never
/// writes them), so a later read of the same tensor simply faults them in again; what this saves
/// is the file's resident copy counted in the process's RSS on top of the converted weights
/// (2 GB for an fp16 SD1.5 checkpoint) until the state dict is dropped.
void releaseFilePages(const torch::Tensor& src, const std::vector<std::pair<uintptr_t, uintptr_t>>& mappings)
{
    static const uintptr_t page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
    const auto begin = reinterpret_cast<uintptr_t>(src.data_ptr());
    const uintptr_t end = begin + src.numel() * src.element_size();
    const bool mapped = std::any_of(mappings.begin(), mappings.end(),
                                    [&](const auto& m) { return begin >= m.first && end <= m.second; });
    const uintptr_t first = (begin + page - 1) / page * page, last = end / page * page; // whole pages only
    if (mapped && last > first)
        ::madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
}

} // namespace

WeightPlacement defaultPlacement(const torch::Device& device)
{
    return {device, device.is_cuda() ? torch::kHalf : torch::kFloat32};
}

void loadWeights(torch::nn::Module& module, const io::StateDict& weights, const std::string& prefix,
                 const WeightPlacement& placement, const std::string& path, const std::string& what)
{
    // Owner module of every parameter, found through the module tree.
    std::map<std::string, ParamModule*> owners;
    for (const auto& item : module.named_modules("", /*include_self=*/false)) {
        if (auto* pm = dynamic_cast<ParamModule*>(item.value().get()))
            owners[item.key()] = pm;
    }
    const auto params = module.named_parameters(/*recurse=*/true);

    std::vector<std::string> missing, mismatched;
    std::set<std::string> used;
    for (const auto& item : params) {
        const std::string& name = item.key();
        const auto it = weights.find(prefix + name);
        if (it == weights.end()) {
            missing.push_back(prefix + name);
            continue;
        }
        const torch::Tensor& src = it->second;
        if (!src.sizes().equals(item.value().sizes()) && !reshapeCompatible(src.sizes(), item.value().sizes())) {
            mismatched.push_back(prefix + name + " " + shapeText(src.sizes()) + " (expected " +
                                 shapeText(item.value().sizes()) + ")");
            used.insert(it->first);
            continue;
        }
        used.insert(it->first);
    }
    std::vector<std::string> unexpected;
    for (auto it = weights.lower_bound(prefix); it != weights.end() && it->first.compare(0, prefix.size(), prefix) == 0;
         ++it) {
        if (!used.count(it->first))
            unexpected.push_back(it->first);
    }
    if (!missing.empty())
        throw api::Error(api::ErrorCode::CorruptFile,
                         what + " weights missing from the file: " + firstFew(missing) +
                             ". The file is incomplete or not a model of the detected kind; re-download it or pick "
                             "the matching model type.",
                         path);
    if (!mismatched.empty())
        throw api::Error(api::ErrorCode::UnsupportedFormat,
                         what + " weights have unexpected shapes: " + firstFew(mismatched) +
                             ". This model variant is not supported, or its configuration was detected wrongly "
                             "(a sidecar .yaml can set it).",
                         path);
    if (!unexpected.empty())
        throw api::Error(api::ErrorCode::UnsupportedFormat,
                         what + " weights this network does not have: " + firstFew(unexpected) +
                             ". This model variant is not supported yet.",
                         path);

    torch::NoGradGuard noGrad;
    const auto mappings = fileMappings();
    for (const auto& item : params) {
        const std::string& name = item.key();
        const size_t dot = name.rfind('.');
        if (dot == std::string::npos || !owners.count(name.substr(0, dot)))
            throw api::Error(api::ErrorCode::Internal, what + " parameter " + name + " is not in a loadable layer", path);
        ParamModule* owner = owners.at(name.substr(0, dot));
        const torch::Tensor& src = weights.at(prefix + name);
        // Conv kernels go straight into the trunk's layout (models/fast_path.h): one conversion pass.
        const bool nhwc = placement.convChannelsLast && fastPath().channelsLast && item.value().dim() == 4
                          && dynamic_cast<Conv2d*>(owner);
        const auto format = nhwc ? torch::MemoryFormat::ChannelsLast : torch::MemoryFormat::Contiguous;
        const torch::Tensor shaped = src.reshape(item.value().sizes());
        torch::Tensor value = shaped;
        if (shaped.device() != placement.device || shaped.scalar_type() != placement.dtype ||
            !shaped.is_contiguous(format))
            if (placement.device.is_cpu()) {
                value = io::pooledEmpty(shaped.sizes(), placement.dtype, format);
                io::copyInto(value, shaped);
            } else {
                value = torch::empty(shaped.sizes(), shaped.options().device(placement.device).dtype(placement.dtype),
                                     format)
                            .copy_(shaped);
            }
        if (src.device().is_cpu() && value.storage().data() != src.storage().data())
            releaseFilePages(src, mappings);
        owner->replaceParameter(name.substr(dot + 1), value);
    }
}

int64_t parameterCount(const torch::nn::Module& module)
{
    int64_t count = 0;
    for (const auto& p : module.parameters())
        count += p.numel();
    return count;
}

} // namespace easel::models
