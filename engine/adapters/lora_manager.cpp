#include "engine/adapters/lora_manager.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <set>

#include "engine/adapters/lora_jobs.h"
#include "engine/adapters/lora_math.h"
#include "engine/adapters/lora_merge.h"
#include "engine/api/error.h"
#include "engine/io/hashes.h"
#include "engine/io/model_detect.h"

namespace easel::adapters {

namespace {

constexpr size_t kUnmatchedExamples = 5;
/// Parsed files kept beyond the current set, so going back to a recent set parses nothing.
constexpr size_t kRecentFiles = 32;

bool sameSpec(const LoRASpec& a, const LoRASpec& b)
{
    return a.path == b.path && a.alias == b.alias && a.unetMultiplier == b.unetMultiplier &&
           a.textEncoderMultiplier == b.textEncoderMultiplier;
}

std::string aliasOf(const LoRASpec& spec)
{
    return spec.alias.empty() ? std::filesystem::path(spec.path).stem().string() : spec.alias;
}

/// Exact text of a multiplier (hex float: 0.8 and 0.80000001 are different keys).
std::string exact(double v)
{
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%a", v);
    return buffer;
}

bool onCpu(const std::vector<torch::Tensor>& params)
{
    return std::all_of(params.begin(), params.end(), [](const torch::Tensor& t) { return t.device().is_cpu(); });
}

/// Leaves a term that does not fit its layer out of the report's matched counts, once per module.
class SkipLog {
public:
    explicit SkipLog(LoRAApplyReport& report) : m_report(report) {}
    void note(const MergeTerm& t, const std::string& why)
    {
        if (!m_seen.insert({t.entry, t.module}).second)
            return;
        LoRAApplyReport::Entry& entry = m_report.loras[t.entry];
        --entry.matchedModules;
        entry.matchedKeys -= t.module->keyCount();
        entry.unmatchedKeys += t.module->keyCount();
        m_report.warnings.push_back("LoRA '" + entry.alias + "': layer skipped: " + why);
    }

private:
    LoRAApplyReport& m_report;
    std::set<std::pair<size_t, const LoRAModule*>> m_seen;
};

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

/// Every touched parameter with its terms in set order and the key of its merged value.
struct LoRAManager::Plan {
    struct Param {
        std::vector<MergeTerm> terms;
        std::string key;
    };
    std::map<std::string, Param> params;
};

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
        report.tensorsWritten = report.tensorsFromCache = report.tensorsKept = 0;
        report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        return report;
    }

    LoRAApplyReport report;
    report.changed = true;
    const Plan planned = plan(specs, files, report);
    restoreUnplanned(planned, report);
    mergePlanned(planned, report);

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
    keepRecentFiles(specs);
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    m_lastReport = report;
    return report;
}

LoRAManager::Plan LoRAManager::plan(const std::vector<LoRASpec>& specs,
                                    const std::vector<std::shared_ptr<const LoRAFile>>& files, LoRAApplyReport& report)
{
    Plan out;
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
        // What a term contributes is fixed by file, stamp, module and multiplier: its key part.
        const std::string fileKey = "\x1e" + spec.path + "\x1f" + file.stamp + "\x1f";
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
            const std::string termKey = fileKey + module.key + "\x1f" + exact(m);
            for (const bool isBias : {false, true}) {
                if (!(isBias ? bias : weight))
                    continue;
                const ParamSlice& slice = isBias ? *target->bias : *target->weight;
                Plan::Param& p = out.params[slice.id];
                if (p.key.empty())
                    p.key = slice.id;
                p.terms.push_back({&module, m, slice, isBias, i});
                p.key += termKey + (isBias ? "\x1f" "b" : "\x1f" "w");
            }
        }
        report.loras.push_back(std::move(entry));
    }
    return out;
}

void LoRAManager::restoreUnplanned(const Plan& planned, LoRAApplyReport& report)
{
    std::vector<std::string> ids;
    for (const auto& [id, held] : m_held)
        if (!planned.params.count(id))
            ids.push_back(id);
    restoreParameters(ids);
    for (const std::string& id : ids)
        m_held.erase(id);
    report.tensorsWritten += ids.size();
}

void LoRAManager::restoreParameters(const std::vector<std::string>& ids)
{
    std::vector<torch::Tensor> params, backups;
    std::vector<size_t> sizes;
    for (const std::string& id : ids) {
        params.push_back(m_index.parameter(id));
        backups.push_back(m_backups.at(id));
        sizes.push_back(params.back().numel());
    }
    runJobs(sizes, onCpu(params), [&](size_t i) { copyExact(params[i], backups[i]); });
}

/// One parameter's work in mergePlanned, prepared on the engine thread, run on any thread.
struct LoRAManager::MergeJob {
    const std::string* id = nullptr;
    const Plan::Param* planned = nullptr;
    torch::Tensor param, backup, cached;
    bool takeBackup = false, clean = false, toCache = false;
    Held held;
    MergedValue result; ///< what goes into the cache
};

void LoRAManager::mergePlanned(const Plan& planned, LoRAApplyReport& report)
{
    std::vector<MergeJob> jobs = prepareJobs(planned, report);
    std::vector<size_t> sizes;
    std::vector<torch::Tensor> params;
    for (const MergeJob& j : jobs) {
        params.push_back(j.param);
        sizes.push_back(size_t(j.param.numel()) * (j.cached.defined() ? 1 : 1 + j.planned->terms.size()));
    }
    runJobs(sizes, onCpu(params), [&](size_t i) { runJob(jobs[i]); });

    for (MergeJob& j : jobs) {
        if (j.toCache)
            m_cache.insert(j.planned->key, std::move(j.result));
        m_held[*j.id] = std::move(j.held);
        ++report.tensorsWritten;
    }
    // Layers left out are reported for every parameter of the set, merged now or kept.
    SkipLog skips(report);
    for (const auto& [id, p] : planned.params) {
        const Held& held = m_held.at(id);
        for (size_t k = 0; k < held.skippedTerms.size(); ++k)
            skips.note(p.terms[held.skippedTerms[k]], held.skipReasons[k]);
    }
}

std::vector<LoRAManager::MergeJob> LoRAManager::prepareJobs(const Plan& planned, LoRAApplyReport& report)
{
    std::vector<MergeJob> jobs;
    for (const auto& [id, p] : planned.params) {
        // Same terms as what the parameter holds: nothing to write (changing one LoRA of a set
        // touches only the parameters that LoRA lands on).
        const auto held = m_held.find(id);
        if (held != m_held.end() && held->second.key == p.key) {
            ++report.tensorsKept;
            continue;
        }
        MergeJob j;
        j.id = &id;
        j.planned = &p;
        j.param = m_index.parameter(id);
        j.clean = held == m_held.end();
        j.held.key = p.key;
        torch::Tensor& backup = m_backups[id];
        if (!backup.defined()) {
            backup = hostLike(j.param);
            j.takeBackup = true;
        }
        j.backup = backup;
        if (const MergedValue* cached = m_cache.find(p.key)) {
            j.cached = cached->value;
            j.held.skippedTerms = cached->skippedTerms;
            j.held.skipReasons = cached->skipReasons;
            ++report.tensorsFromCache;
        } else if (m_cache.fits(size_t(j.param.numel()) * j.param.element_size())) {
            j.toCache = true;
            j.result.value = hostLike(j.param);
        }
        jobs.push_back(std::move(j));
    }
    return jobs;
}

void LoRAManager::runJob(MergeJob& j)
{
    if (j.takeBackup)
        copyExact(j.backup, j.param);
    if (j.cached.defined()) {
        copyExact(j.param, j.cached);
        return;
    }
    mergeParameter(j.param, j.backup, j.clean, j.planned->terms, [&](size_t term, const std::string& why) {
        j.held.skippedTerms.push_back(term);
        j.held.skipReasons.push_back(why);
    });
    if (j.toCache) {
        copyExact(j.result.value, j.param);
        j.result.skippedTerms = j.held.skippedTerms;
        j.result.skipReasons = j.held.skipReasons;
    }
}

void LoRAManager::keepRecentFiles(const std::vector<LoRASpec>& specs)
{
    for (auto it = specs.rbegin(); it != specs.rend(); ++it) {
        m_recentFiles.erase(std::remove(m_recentFiles.begin(), m_recentFiles.end(), it->path), m_recentFiles.end());
        m_recentFiles.insert(m_recentFiles.begin(), it->path);
    }
    const size_t keep = std::max(kRecentFiles, specs.size());
    while (m_recentFiles.size() > keep) {
        m_files.erase(m_recentFiles.back());
        m_recentFiles.pop_back();
    }
}

void LoRAManager::restore()
{
    c10::InferenceMode inference;
    torch::NoGradGuard noGrad;
    std::vector<std::string> ids;
    for (const auto& [id, held] : m_held)
        ids.push_back(id);
    restoreParameters(ids);
    m_held.clear();
    m_applied.clear();
    m_appliedStamps.clear();
    m_lastReport = {};
}

} // namespace easel::adapters
