#include "engine/service/model_resolver.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <mutex>
#include <system_error>

#include "engine/api/error.h"
#include "engine/catalog/database.h"
#include "engine/catalog/model_library.h"
#include "engine/catalog/scanner.h"

namespace easel::service {

namespace fs = std::filesystem;

namespace {

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

bool looksLikePath(const std::string& name)
{
    return name.find('/') != std::string::npos || name.find('\\') != std::string::npos ||
           name.find("..") != std::string::npos || (name.size() > 1 && name[1] == ':');
}

bool isModelFile(const fs::path& p)
{
    static const std::vector<std::string> kExtensions = {".safetensors", ".ckpt", ".pt", ".pth", ".bin", ".gguf"};
    const std::string ext = lower(p.extension().string());
    return std::find(kExtensions.begin(), kExtensions.end(), ext) != kExtensions.end();
}

bool looksLikeHash(const std::string& s)
{
    return (s.size() == 8 || s.size() == 10 || s.size() == 12 || s.size() == 64) &&
           std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isxdigit(c); });
}

/// A1111 writes "name [hash]" in some lists and option values.
std::string withoutHashSuffix(const std::string& name)
{
    const auto open = name.rfind(" [");
    return open != std::string::npos && name.back() == ']' ? name.substr(0, open) : name;
}

} // namespace

struct ModelResolver::CatalogConnection {
    std::mutex mutex;
    std::unique_ptr<catalog::Database> db; ///< opened on first use; dropped after an error
};

ModelResolver::ModelResolver(ResolverOptions options)
    : m_options(std::move(options)), m_catalog(std::make_shared<CatalogConnection>())
{
}

std::vector<std::string> ModelResolver::subfoldersFor(const std::string& kind)
{
    if (kind == "checkpoint")
        return {"Stable-diffusion", "checkpoints", "diffusion_models", "unet"};
    if (kind == "vae")
        return {"VAE", "vae"};
    if (kind == "lora")
        return {"Lora", "LyCORIS", "loras"};
    if (kind == "embedding")
        return {"embeddings", "../embeddings"};
    if (kind == "controlnet")
        return {"ControlNet", "controlnet"};
    return {};
}

namespace {

/// The catalog's verdict still holds: the file has the size and mtime the scan saw.
bool unchangedSinceScan(const catalog::ModelRow& row)
{
    struct stat st {};
    if (::stat(row.path.c_str(), &st) != 0)
        return false;
    return static_cast<int64_t>(st.st_size) == row.sizeBytes && catalog::mtimeNs(st) == row.mtimeNs;
}

} // namespace

std::string ModelResolver::fromCatalog(const std::string& kind, const std::string& nameOrHash) const
{
    if (m_options.catalogPath.empty())
        return {};
    std::optional<catalog::ModelRow> row;
    {
        std::lock_guard lock(m_catalog->mutex);
        try {
            if (!m_catalog->db)
                m_catalog->db = std::make_unique<catalog::Database>(m_options.catalogPath);
            catalog::ModelLibrary library(*m_catalog->db);
            if (looksLikeHash(nameOrHash))
                row = library.findByHash(nameOrHash);
            if (!row)
                row = library.resolve(kind, nameOrHash);
        } catch (const std::exception&) {
            // A broken catalog never stops a generation: the folders are searched next, and the
            // connection is opened afresh on the next call (the file may have been repaired).
            m_catalog->db.reset();
            return {};
        }
    }
    std::error_code ec;
    if (!row || row->kind != kind || !fs::exists(row->path, ec))
        return {};
    // A file the scan found to be no model (no tensors, unknown layout, damaged, unsafe) is refused
    // here with the scan's reason, before anything is queued or loaded.
    if (row->status == "broken" && unchangedSinceScan(*row))
        throw api::Error(api::ErrorCode::InvalidRequest, // no path: servers send this message to clients
                         kind + " '" + nameOrHash + "' (" + fs::path(row->path).filename().string() +
                             ") cannot be used: " + row->statusDetail);
    return row->path;
}

std::string ModelResolver::fromFolders(const std::string& kind, const std::string& name) const
{
    const std::string wanted = lower(name);
    for (const std::string& root : m_options.modelRoots) {
        std::vector<fs::path> folders{fs::path(root)};
        for (const std::string& sub : subfoldersFor(kind))
            folders.push_back(fs::path(root) / sub);
        for (const fs::path& folder : folders) {
            std::error_code ec;
            if (!fs::is_directory(folder, ec))
                continue;
            const bool recursive = folder != fs::path(root); // the root itself: its own files only
            auto matches = [&](const fs::path& p) {
                return lower(p.filename().string()) == wanted || (isModelFile(p) && lower(p.stem().string()) == wanted);
            };
            if (!recursive) {
                for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec))
                    if (it->is_regular_file(ec) && matches(it->path()))
                        return it->path().string();
                continue;
            }
            for (fs::recursive_directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec), end;
                 !ec && it != end; it.increment(ec))
                if (matches(it->path()) && (it->is_regular_file(ec) || fs::exists(it->path() / "model_index.json", ec)))
                    return it->path().string();
        }
    }
    return {};
}

std::string ModelResolver::resolve(const std::string& kind, const std::string& raw) const
{
    const std::string nameOrHash = withoutHashSuffix(raw);
    if (nameOrHash.empty())
        return {};
    if (looksLikePath(nameOrHash) || fs::path(nameOrHash).is_absolute()) {
        if (!m_options.allowPaths)
            throw api::Error(api::ErrorCode::InvalidRequest,
                             "model names may not be paths ('" + raw + "'); name a model from the model folders");
        std::error_code ec;
        return fs::exists(nameOrHash, ec) ? nameOrHash : std::string();
    }
    if (m_options.allowPaths) {
        std::error_code ec;
        if (fs::exists(nameOrHash, ec) && !fs::is_directory(nameOrHash, ec))
            return nameOrHash; // a file in the current folder
    }
    if (std::string path = fromCatalog(kind, nameOrHash); !path.empty())
        return path;
    return fromFolders(kind, nameOrHash);
}

api::GenerationRequest ModelResolver::resolveRequest(api::GenerationRequest r, const std::string& modelHash) const
{
    auto where = [this](const std::string& kind) {
        std::string s;
        for (const auto& root : m_options.modelRoots)
            s += (s.empty() ? "" : ", ") + root;
        return (m_options.catalogPath.empty() ? std::string() : "the catalog and ") +
               (s.empty() ? "no model folders (pass --models-dir)" : "the " + kind + " folders under " + s);
    };
    std::string checkpoint;
    if (!modelHash.empty())
        checkpoint = resolve("checkpoint", modelHash);
    if (checkpoint.empty() && !r.model.empty())
        checkpoint = resolve("checkpoint", r.model);
    if (checkpoint.empty())
        throw api::Error(api::ErrorCode::FileNotFound,
                         r.model.empty() ? "no checkpoint chosen; pass -m/--model or a model name"
                                         : "checkpoint '" + r.model + (modelHash.empty() ? "" : " [" + modelHash + "]") +
                                               "' not found in " + where("checkpoint"));
    r.model = checkpoint;
    if (!r.vae.empty() && lower(r.vae) != "automatic" && lower(r.vae) != "none") {
        const std::string vae = resolve("vae", r.vae);
        if (vae.empty())
            throw api::Error(api::ErrorCode::FileNotFound, "VAE '" + r.vae + "' not found in " + where("VAE"));
        r.vae = vae;
    } else {
        r.vae.clear();
    }
    for (api::ControlUnit& unit : r.controlNets) {
        if (!unit.enabled || unit.model.empty())
            continue;
        if (std::string path = resolve("controlnet", unit.model); !path.empty())
            unit.model = path;
        // else: the engine's ControlNet search (beside the checkpoint) gets its turn and names the file.
    }
    return r;
}

api::ModelNameLookup ModelResolver::nameLookup() const
{
    return [resolver = *this](const std::string& kind, const std::string& name) {
        try {
            return resolver.resolve(kind, name);
        } catch (const api::Error&) {
            return std::string();
        }
    };
}

} // namespace easel::service
