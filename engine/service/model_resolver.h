#pragma once
/// One model resolver for every front end: a checkpoint, VAE, LoRA, embedding or ControlNet named
/// by path, file name, stem, catalog alias or hash (AutoV2 / sha256) becomes a file, through the
/// catalog and the model folders (A1111 and ComfyUI sub-folder layouts). Any thread: the catalog
/// connection is opened once and shared (behind a mutex) by the resolver and its copies, because
/// opening SQLite per lookup cost milliseconds on every server request.

#include <memory>
#include <string>
#include <vector>

#include "engine/api/engine.h"
#include "engine/api/request.h"

namespace easel::service {

struct ResolverOptions {
    std::string catalogPath;            ///< "" = folders only
    std::vector<std::string> modelRoots; ///< --models-dir folders (A1111 `models/` or ComfyUI `models/`)
    /// false (servers): a name may not be a path — no '/', '\\', "..", drive letters; only what the
    /// catalog and the folders hold can be named. true (CLI, studio): existing paths are taken as is.
    bool allowPaths = true;
};

class ModelResolver {
public:
    explicit ModelResolver(ResolverOptions options);

    /// kind: "checkpoint", "vae", "lora", "embedding", "controlnet". "" when nothing matches.
    /// Throws api::Error(InvalidRequest) for a path-like name when paths are not allowed, and for a
    /// catalog entry the scan found broken (no tensors, unknown layout, damaged), with its reason.
    std::string resolve(const std::string& kind, const std::string& nameOrHash) const;

    /// The request's checkpoint, VAE and ControlNet models turned into files. `modelHash` (an
    /// infotext "Model hash") is tried first for the checkpoint. Throws api::Error(FileNotFound)
    /// naming what is missing and where it was looked for.
    api::GenerationRequest resolveRequest(api::GenerationRequest request, const std::string& modelHash = {}) const;

    /// For api::EngineOptions::nameLookup (LoRA tags, embeddings).
    api::ModelNameLookup nameLookup() const;

    /// The sub-folders of each root searched for a kind ("Stable-diffusion", "checkpoints", …).
    static std::vector<std::string> subfoldersFor(const std::string& kind);

private:
    std::string fromCatalog(const std::string& kind, const std::string& nameOrHash) const;
    std::string fromFolders(const std::string& kind, const std::string& name) const;

    struct CatalogConnection;
    ResolverOptions m_options;
    std::shared_ptr<CatalogConnection> m_catalog; ///< shared with copies (nameLookup())
};

} // namespace easel::service
