#pragma once
/// What the scanner learned about one model file (header, kohya metadata, sidecars). Plain value
/// type; any thread.

#include <cstdint>
#include <optional>
#include <string>

namespace easel::catalog {

/// Files beside a model that other tools (A1111, Civitai Helper) write.
struct SidecarFacts {
    std::string previewPath;     ///< name.png / name.preview.png / .jpg / .jpeg / .webp / .gif
    std::string activationText;  ///< name.json "activation text" (A1111 trigger words)
    std::optional<double> preferredWeight; ///< name.json "preferred weight" (0 = unset in A1111)
    std::string sdVersion;       ///< name.json "sd version" (SD1, SD2, SDXL, Unknown)
    std::string description;     ///< name.json "description"
    std::string notes;           ///< name.json "notes"
    std::string negativeText;    ///< name.json "negative text"
    std::string civitaiName;     ///< name.civitai.info model.name
    std::string civitaiTrainedWords; ///< trainedWords joined with ", "
    std::string civitaiBaseModel;    ///< baseModel ("SD 1.5", "SDXL 1.0", "Pony", ...)
    std::string problems;        ///< unreadable sidecars, for people ("" when all were fine)
    uint64_t signature = 0;      ///< which sidecars exist, their sizes and mtimes
};

/// Fields kohya-ss sd-scripts writes into `__metadata__`.
struct KohyaFacts {
    std::string baseModelVersion; ///< ss_base_model_version ("sd_v1", "sdxl_base_v1-0", ...)
    std::string outputName;       ///< ss_output_name
    std::string triggerWords;     ///< most frequent ss_tag_frequency tags, ", "-joined
    std::string resolution;       ///< ss_resolution as "512x512"
    std::optional<int64_t> networkDim;
    std::optional<double> networkAlpha;
};

struct ModelFacts {
    std::string path;
    std::string root;    ///< configured folder the file was found under
    std::string folder;  ///< sub-folder relative to root, '/'-separated ("" at the top)
    std::string name;    ///< file name without extension
    std::string format;  ///< "safetensors", "ckpt", "pt", "pth", "bin"
    int64_t sizeBytes = 0;
    int64_t mtimeNs = 0;
    std::string identityHash; ///< XXH3-128 of size + header bytes (32 hex digits)
    std::string kind;         ///< io::modelKindName, or the folder's kind for files not inspected
    std::string family;       ///< io::modelFamilyName, "" when unknown
    std::string subtype;      ///< LoRA type, checkpoint variant, unsupported family
    std::string status = "ok"; ///< ok, broken, unsupported
    std::string statusDetail;  ///< why (the api::Error message), or notes for people
    std::string metadataJson = "{}"; ///< `__metadata__`, large values left out
    KohyaFacts kohya;
    SidecarFacts sidecars;
    std::string sidecarPreview, sidecarJson, sidecarCivitai; ///< paths found by the folder walk
};

} // namespace easel::catalog
