#include "engine/adapters/lora_resolver.h"

#include <cstdlib>
#include <filesystem>

#include "engine/api/error.h"
#include "engine/io/env_folders.h"

namespace easel::adapters {

namespace fs = std::filesystem;

namespace {

const char* const kExtensions[] = {".safetensors", ".pt", ".ckpt"};

bool isFile(const fs::path& p)
{
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

bool hasLoRAExtension(const fs::path& p)
{
    const std::string ext = p.extension().string();
    for (const char* e : kExtensions)
        if (ext == e)
            return true;
    return false;
}

} // namespace

std::vector<std::string> loraSearchFolders(const std::string& checkpointPath)
{
    std::vector<std::string> out = io::foldersFromEnvironment("EASEL_LORA_DIRS");
    if (!checkpointPath.empty()) {
        const fs::path folder = fs::path(checkpointPath).parent_path();
        for (const fs::path& base : {folder.parent_path(), folder})
            for (const char* name : {"Lora", "LyCORIS"}) {
                const fs::path candidate = base / name;
                std::error_code ec;
                if (fs::is_directory(candidate, ec))
                    out.push_back(candidate.string());
            }
    }
    return out;
}

std::string resolveLoRAPath(const std::string& name, const std::vector<std::string>& folders,
                            const LoRANameLookup& lookup)
{
    if (isFile(name))
        return name;
    if (lookup) {
        const std::string found = lookup(name);
        if (!found.empty())
            return found;
    }
    for (const std::string& folder : folders)
        for (const char* ext : kExtensions) {
            const fs::path candidate = fs::path(folder) / (name + ext);
            if (isFile(candidate))
                return candidate.string();
        }
    // A1111 lists LoRAs from sub-folders by their stem.
    const std::string stem = fs::path(name).filename().string();
    for (const std::string& folder : folders) {
        std::error_code ec;
        for (fs::recursive_directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec), end;
             !ec && it != end; it.increment(ec)) {
            if (it->path().stem().string() == stem && hasLoRAExtension(it->path()) && isFile(it->path()))
                return it->path().string();
        }
    }
    std::string searched;
    for (const std::string& folder : folders)
        searched += (searched.empty() ? "" : ", ") + folder;
    throw api::Error(api::ErrorCode::FileNotFound,
                     "LoRA '" + name + "' not found (searched: " + (searched.empty() ? "no LoRA folders" : searched) +
                         "); put the file in a LoRA folder or set EASEL_LORA_DIRS",
                     name);
}

std::vector<LoRASpec> loraSetFor(const std::vector<api::LoRAEntry>& entries, const text::ExtraNetworkPrompt& tags,
                                 const std::vector<std::string>& folders, const LoRANameLookup& lookup)
{
    std::vector<LoRASpec> out;
    for (const api::LoRAEntry& e : entries) {
        if (!e.enabled)
            continue;
        out.push_back({resolveLoRAPath(e.name, folders, lookup), e.name, e.unetMultiplier, e.textEncoderMultiplier});
    }
    for (const auto& [type, list] : tags.networks) {
        if (type != "lora" && type != "lyco")
            continue;
        for (const text::ExtraNetworkParams& params : list) {
            const text::LoRAParams p = text::loraParams(params);
            out.push_back({resolveLoRAPath(p.name, folders, lookup), p.name, p.unetMultiplier, p.textEncoderMultiplier});
        }
    }
    return out;
}

} // namespace easel::adapters
