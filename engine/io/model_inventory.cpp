#include "engine/io/model_inventory.h"

#include <filesystem>

#include "engine/io/checkpoint_file.h"
#include "engine/io/mapped_file.h"
#include "engine/io/safetensors.h"

namespace easel::io {

namespace fs = std::filesystem;

namespace {

void addSafetensors(FileInventory& inv, const std::string& path)
{
    const SafetensorsFile f = SafetensorsFile::openHeaderOnly(path);
    inv.bytes += f.fileSize();
    for (const TensorInfo& t : f.tensors()) {
        ++inv.tensorCount;
        inv.parameters += t.numel();
        ++inv.dtypes[dtypeName(t.dtype)];
    }
    for (const auto& [k, v] : f.metadata())
        inv.metadata[k] = v;
}

bool hasExt(const std::string& p, const char* ext)
{
    const std::string e = ext;
    return p.size() >= e.size() && p.compare(p.size() - e.size(), e.size(), e) == 0;
}

} // namespace

FileInventory inventoryOf(const std::string& path)
{
    FileInventory inv;
    if (fs::is_directory(path) && (fs::is_regular_file(fs::path(path) / "model_index.json") || fs::is_regular_file(fs::path(path) / "config.json"))) {
        inv.format = "diffusers-folder";
        for (const auto& e : fs::recursive_directory_iterator(path))
            if (e.is_regular_file() && e.path().extension() == ".safetensors")
                addSafetensors(inv, e.path().string());
        return inv;
    }
    if (hasExt(path, ".ckpt") || hasExt(path, ".pt") || hasExt(path, ".pth") || hasExt(path, ".bin")) {
        inv.format = "pytorch-zip";
        const CheckpointFile c = CheckpointFile::open(path);
        inv.bytes = c.mapping()->size();
        for (const PickledTensor& t : c.tensors()) {
            ++inv.tensorCount;
            uint64_t n = 1;
            for (int64_t d : t.shape)
                n *= static_cast<uint64_t>(d);
            inv.parameters += n;
            ++inv.dtypes[dtypeName(t.dtype)];
        }
        return inv;
    }
    inv.format = "safetensors";
    addSafetensors(inv, path);
    return inv;
}

} // namespace easel::io
