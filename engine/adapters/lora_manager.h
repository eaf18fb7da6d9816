#pragma once
/// The LoRA set merged into one checkpoint's weights. Applying a set gives every parameter it
/// touches original + its terms (fp32 accumulate, written in the weight's dtype, in place: same
/// storage, strides and dtype, so a sampling step costs the same as without LoRA), and restores
/// every parameter the previous set touched and the new one leaves alone from an exact backup.
/// Switching back and forth never drifts: a parameter's merged value depends only on its original
/// and its terms, and is computed fresh or copied from the merged-weight cache (lora_cache.h),
/// which holds exactly the bits a fresh merge produces. Parameters whose terms did not change are
/// not written at all. Engine thread only (it writes the live weights).
///
/// Ref (behaviour): A1111 extensions-builtin/Lora networks.py (network_apply_weights: backup of the
/// original weights kept on the module, restore before applying a changed set; `Lora hashes` with
/// the name as written).

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "engine/adapters/lora_cache.h"
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
    size_t tensorsWritten = 0;            ///< tensors merged, copied from the cache or restored
    size_t tensorsFromCache = 0;          ///< of those, merged values copied from the cache
    size_t tensorsKept = 0;               ///< touched by the set but already holding its value
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

    /// Restores every touched tensor (bit-exact) and forgets the set. The backups and the cache
    /// stay, so the next apply neither copies originals again nor recomputes a recent set.
    void restore();

    /// Byte budget of the merged-weight cache (default: defaultMergedCacheBudget()); 0 turns it off.
    void setCacheBudget(size_t bytes) { m_cache.setBudget(bytes); }
    const MergedWeightCache& cache() const { return m_cache; }

    /// Number of tensors currently holding merged values.
    size_t touchedTensors() const { return m_held.size(); }
    const LoRATargetIndex& targets() const { return m_index; }
    const std::vector<LoRASpec>& applied() const { return m_applied; }

private:
    /// What a touched parameter holds now: its cache key and the terms that were left out.
    struct Held {
        std::string key;
        std::vector<size_t> skippedTerms;
        std::vector<std::string> skipReasons;
    };
    struct Plan;
    struct MergeJob;

    std::shared_ptr<const LoRAFile> load(const std::string& path);
    std::string hashOf(const std::string& path, const std::string& stamp);
    Plan plan(const std::vector<LoRASpec>& specs, const std::vector<std::shared_ptr<const LoRAFile>>& files,
              LoRAApplyReport& report);
    void restoreUnplanned(const Plan& plan, LoRAApplyReport& report);
    void mergePlanned(const Plan& plan, LoRAApplyReport& report);
    std::vector<MergeJob> prepareJobs(const Plan& plan, LoRAApplyReport& report);
    static void runJob(MergeJob& job);
    void restoreParameters(const std::vector<std::string>& ids);
    void keepRecentFiles(const std::vector<LoRASpec>& specs);

    LoRATargetIndex m_index;
    io::ModelFamily m_family;
    std::vector<LoRASpec> m_applied;
    std::vector<std::string> m_appliedStamps;
    LoRAApplyReport m_lastReport;
    /// param id -> original (CPU copy, same strides), taken on first touch and kept: restoring and
    /// re-merging then never need a fresh copy, and a restore is a plain copy back.
    std::map<std::string, torch::Tensor> m_backups;
    std::map<std::string, Held> m_held;                             ///< param id -> merged value it holds
    MergedWeightCache m_cache{defaultMergedCacheBudget()};
    std::map<std::string, std::shared_ptr<const LoRAFile>> m_files; ///< path -> parsed file
    std::vector<std::string> m_recentFiles;                         ///< paths, most recently used first
    std::map<std::string, std::shared_ptr<const LoRAFile>> m_memoryFiles;
    std::map<std::string, std::string> m_hashes;                    ///< path + stamp -> AutoV3
};

} // namespace easel::adapters
