#pragma once
/// The LoRA set merged into one checkpoint's weights. Applying a set restores every tensor the
/// previous set touched from an exact backup and merges the new set (W += m·ΔW in fp32, written in
/// the weight's dtype), so switching sets back and forth never drifts and a sampling step costs the
/// same as without LoRA. Engine thread only (it writes the live weights).
///
/// Ref (behaviour): A1111 extensions-builtin/Lora networks.py (network_apply_weights: backup of the
/// original weights, restore before applying a changed set; `Lora hashes` with the name as written).

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "engine/adapters/lora_file.h"
#include "engine/adapters/lora_spec.h"
#include "engine/adapters/lora_targets.h"
#include "engine/io/model_config.h"

namespace easel::adapters {

/// What applying a set did, per LoRA and in total.
struct LoRAApplyReport {
    struct Entry {
        std::string alias;
        std::string path;
        std::string hash;                 ///< AutoV3, 12 hex digits
        std::string loraType;
        size_t modules = 0, matchedModules = 0;
        size_t keys = 0, matchedKeys = 0, unmatchedKeys = 0;
        std::vector<std::string> unmatchedExamples; ///< the first few unmatched keys
    };
    std::vector<Entry> loras;
    bool changed = false;                 ///< false: the set was already applied, nothing done
    size_t tensorsWritten = 0;            ///< tensors merged or restored
    double seconds = 0;
    std::vector<std::string> warnings;    ///< for people (unmatched keys, shape mismatches)
    /// alias -> AutoV3 for infotext (A1111: `:` and `,` removed from the alias).
    std::vector<std::pair<std::string, std::string>> hashes() const;
};

class LoRAManager {
public:
    /// `encoders` in conditioning order; the pointees must outlive the manager. `family` is the
    /// checkpoint's, for refusing LoRAs of another family.
    LoRAManager(models::UNet* unet, std::vector<text::TextEncoder*> encoders, io::ModelFamily family);
    ~LoRAManager();

    /// Makes `specs` (in order) the merged set. Nothing happens when the same set with the same
    /// multipliers and unchanged files is already applied. Throws api::Error: FileNotFound /
    /// CorruptFile / UnsupportedFormat for a bad file, IncompatibleModel for a LoRA of another family
    /// (naming both); the weights are untouched then.
    LoRAApplyReport applySet(const std::vector<LoRASpec>& specs);

    /// Makes an in-memory LoRA (synthetic, tests, benchmarks) available to applySet under its `path`.
    void registerFile(std::shared_ptr<const LoRAFile> file);

    /// Restores every touched tensor (bit-exact) and forgets the set.
    void restore();

    /// Number of tensors currently holding merged values.
    size_t touchedTensors() const { return m_backups.size(); }
    const LoRATargetIndex& targets() const { return m_index; }
    const std::vector<LoRASpec>& applied() const { return m_applied; }

private:
    std::shared_ptr<const LoRAFile> load(const std::string& path);
    std::string hashOf(const std::string& path, const std::string& stamp);

    LoRATargetIndex m_index;
    io::ModelFamily m_family;
    std::vector<LoRASpec> m_applied;
    std::vector<std::string> m_appliedStamps;
    LoRAApplyReport m_lastReport;
    std::map<std::string, torch::Tensor> m_backups;                 ///< param id -> original (CPU copy)
    std::map<std::string, std::shared_ptr<const LoRAFile>> m_files; ///< path -> parsed file
    std::map<std::string, std::shared_ptr<const LoRAFile>> m_memoryFiles;
    std::map<std::string, std::string> m_hashes;                    ///< path + stamp -> AutoV3
};

} // namespace easel::adapters
