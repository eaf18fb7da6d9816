#include "engine/adapters/lora_manager.h"

#include <chrono>
#include <filesystem>

#include "engine/adapters/lora_math.h"
#include "engine/api/error.h"
#include "engine/io/hashes.h"
#include "engine/io/model_detect.h"

namespace easel::adapters {

namespace {

constexpr size_t kUnmatchedExamples = 5;

/// One module's share of a parameter's new value.
struct Contribution {
    const LoRAModule* module = nullptr;
    double multiplier = 1.0;
    ParamSlice slice;
    bool bias = false;
    size_t entry = 0; ///< index into the report's entries
};

bool sameSpec(const LoRASpec& a, const LoRASpec& b)
{
    return a.path == b.path && a.alias == b.alias && a.unetMultiplier == b.unetMultiplier &&
           a.textEncoderMultiplier == b.textEncoderMultiplier;
}

std::string aliasOf(const LoRASpec& spec)
{
    return spec.alias.empty() ? std::filesystem::path(spec.path).stem().string() : spec.alias;
}

} // namespace

std::vector<std::pair<std::string, std::string>> LoRAApplyReport::hashes() const
{
    std::vector<std::pair<std::string, std::string>> out;
    for (const Entry& e : loras) {
        if (e.hash.empty())
            continue;
        std::string alias;
        for (char c : e.alias)
            if (c != ':' && c != ',')
                alias += c;
        out.emplace_back(alias, e.hash);
    }
    return out;
}

LoRAManager::LoRAManager(models::UNet* unet, std::vector<text::TextEncoder*> encoders, io::ModelFamily family)
    : m_index(unet, encoders)
    , m_family(family)
{
}

LoRAManager::~LoRAManager() = default;

void LoRAManager::registerFile(std::shared_ptr<const LoRAFile> file) { m_memoryFiles[file->path] = std::move(file); }

std::shared_ptr<const LoRAFile> LoRAManager::load(const std::string& path)
{
    if (const auto it = m_memoryFiles.find(path); it != m_memoryFiles.end())
        return it->second;
    const std::string stamp = fileStamp(path);
    if (stamp.empty())
        throw api::Error(api::ErrorCode::FileNotFound, "LoRA file not found: " + path, path);
    if (const auto it = m_files.find(path); it != m_files.end() && it->second->stamp == stamp)
        return it->second;
    auto file = std::make_shared<const LoRAFile>(loadLoRAFile(path));
    m_files[path] = file;
    return file;
}

std::string LoRAManager::hashOf(const std::string& path, const std::string& stamp)
{
    if (m_memoryFiles.count(path))
        return {};
    const std::string key = path + "\n" + stamp;
    if (const auto it = m_hashes.find(key); it != m_hashes.end())
        return it->second;
    return m_hashes[key] = io::autoV3(path);
}

LoRAApplyReport LoRAManager::applySet(const std::vector<LoRASpec>& specs)
{
    const auto started = std::chrono::steady_clock::now();
    c10::InferenceMode inference;
    torch::NoGradGuard noGrad;

    // Every file is read and checked before any weight changes, so a refused set leaves the model as it was.
    std::vector<std::shared_ptr<const LoRAFile>> files;
    std::vector<std::string> stamps;
    for (const LoRASpec& spec : specs) {
        auto file = load(spec.path);
        if (file->family != io::ModelFamily::Unknown && m_family != io::ModelFamily::Unknown && file->family != m_family) {
            const std::string lora = io::modelFamilyName(file->family), model = io::modelFamilyName(m_family);
            throw api::Error(api::ErrorCode::IncompatibleModel,
                             "LoRA '" + aliasOf(spec) + "' is made for " + lora + " models but the checkpoint is " +
                                 model + "; remove it or pick a " + lora + " checkpoint",
                             spec.path);
        }
        stamps.push_back(file->stamp);
        files.push_back(std::move(file));
    }

    bool unchanged = specs.size() == m_applied.size() && stamps == m_appliedStamps;
    for (size_t i = 0; unchanged && i < specs.size(); ++i)
        unchanged = sameSpec(specs[i], m_applied[i]);
    if (unchanged) {
        LoRAApplyReport report = m_lastReport;
        report.changed = false;
        report.tensorsWritten = 0;
        report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        return report;
    }

    // --- plan: which modules land on which parameter, in set order -----------------------------------
    LoRAApplyReport report;
    report.changed = true;
    std::map<std::string, std::vector<Contribution>> plan;
    for (size_t i = 0; i < specs.size(); ++i) {
        const LoRASpec& spec = specs[i];
        const LoRAFile& file = *files[i];
        LoRAApplyReport::Entry entry;
        entry.alias = aliasOf(spec);
        entry.path = spec.path;
        entry.loraType = file.loraType;
        entry.hash = hashOf(spec.path, file.stamp);
        entry.modules = file.modules.size();
        entry.unmatchedKeys = file.unknownKeys.size();
        entry.keys = file.unknownKeys.size();
        for (size_t k = 0; k < file.unknownKeys.size() && entry.unmatchedExamples.size() < kUnmatchedExamples; ++k)
            entry.unmatchedExamples.push_back(file.unknownKeys[k]);
        for (const LoRAModule& module : file.modules) {
            entry.keys += module.keyCount();
            const LoRATarget* target = m_index.find(module.component, module.flatName);
            const bool weight = changesWeight(module), bias = changesBias(module);
            if (!target || !(weight || bias) || (weight && !target->weight) || (bias && !target->bias)) {
                entry.unmatchedKeys += module.keyCount();
                if (entry.unmatchedExamples.size() < kUnmatchedExamples)
                    entry.unmatchedExamples.push_back(module.key);
                continue;
            }
            ++entry.matchedModules;
            entry.matchedKeys += module.keyCount();
            const double m = module.component == LoRAComponent::UNet ? spec.unetMultiplier : spec.textEncoderMultiplier;
            if (m == 0.0)
                continue;
            if (weight)
                plan[target->weight->id].push_back({&module, m, *target->weight, false, i});
            if (bias)
                plan[target->bias->id].push_back({&module, m, *target->bias, true, i});
        }
        report.loras.push_back(std::move(entry));
    }

    // --- restore what the new set leaves alone -------------------------------------------------------
    for (auto it = m_backups.begin(); it != m_backups.end();) {
        if (plan.count(it->first)) {
            ++it;
            continue;
        }
        m_index.parameter(it->first).copy_(it->second);
        ++report.tensorsWritten;
        it = m_backups.erase(it);
    }

    // --- merge: every touched parameter = original + its contributions, in fp32 ----------------------
    std::set<std::pair<size_t, const LoRAModule*>> failed;
    for (const auto& [id, contributions] : plan) {
        torch::Tensor param = m_index.parameter(id);
        torch::Tensor& backup = m_backups[id];
        if (!backup.defined())
            backup = param.to(torch::kCPU, param.scalar_type(), false, /*copy=*/true);
        torch::Tensor merged = backup.to(param.device(), torch::kFloat32, false, /*copy=*/true);
        for (const Contribution& c : contributions) {
            torch::Tensor view = c.slice.rows >= 0 ? merged.narrow(0, c.slice.rowStart, c.slice.rows) : merged;
            try {
                if (c.bias) {
                    view.add_(biasDelta(*c.module, view.sizes(), view.device()), c.multiplier);
                } else {
                    const torch::Tensor delta = weightDelta(*c.module, view.sizes(), view.device());
                    if (c.module->has("dora_scale"))
                        view.copy_(mergedWeight(view, delta, c.module->at("dora_scale"), c.multiplier));
                    else
                        view.add_(delta, c.multiplier);
                }
            } catch (const std::exception& e) {
                if (failed.insert({c.entry, c.module}).second) {
                    LoRAApplyReport::Entry& entry = report.loras[c.entry];
                    --entry.matchedModules;
                    entry.matchedKeys -= c.module->keyCount();
                    entry.unmatchedKeys += c.module->keyCount();
                    report.warnings.push_back("LoRA '" + entry.alias + "': layer skipped: " + e.what());
                }
            }
        }
        param.copy_(merged);
        ++report.tensorsWritten;
    }

    for (const auto& entry : report.loras) {
        if (entry.unmatchedKeys == 0)
            continue;
        std::string examples;
        for (const std::string& k : entry.unmatchedExamples)
            examples += (examples.empty() ? "" : ", ") + k;
        report.warnings.push_back("LoRA '" + entry.alias + "': " + std::to_string(entry.unmatchedKeys) + " of " +
                                  std::to_string(entry.keys) + " keys match no layer of this checkpoint (e.g. " +
                                  examples + ")");
    }

    m_applied = specs;
    m_appliedStamps = stamps;
    for (auto it = m_files.begin(); it != m_files.end();) {
        bool used = false;
        for (const LoRASpec& s : specs)
            used = used || s.path == it->first;
        it = used ? std::next(it) : m_files.erase(it);
    }
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    m_lastReport = report;
    return report;
}

void LoRAManager::restore()
{
    c10::InferenceMode inference;
    torch::NoGradGuard noGrad;
    for (const auto& [id, backup] : m_backups)
        m_index.parameter(id).copy_(backup);
    m_backups.clear();
    m_applied.clear();
    m_appliedStamps.clear();
    m_lastReport = {};
}

} // namespace easel::adapters
