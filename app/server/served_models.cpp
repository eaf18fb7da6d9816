#include "app/server/served_models.h"

#include <chrono>
#include <condition_variable>
#include <filesystem>

#include "engine/api/error.h"
#include "engine/api/logging.h"
#include "engine/catalog/database.h"
#include "engine/catalog/model_hasher.h"
#include "engine/catalog/model_library.h"
#include "engine/catalog/scanner.h"
#include "engine/service/model_resolver.h"

namespace easel::server {

namespace fs = std::filesystem;

namespace {

const char* const kKinds[] = {"checkpoint", "vae", "lora", "embedding", "controlnet", "upscaler"};

std::vector<std::string> subfolders(const std::string& kind)
{
    if (kind == "upscaler")
        return {"ESRGAN", "RealESRGAN", "upscale_models"};
    return service::ModelResolver::subfoldersFor(kind);
}

std::vector<catalog::ScanRoot> scanRoots(const std::vector<std::string>& modelsDirs)
{
    std::vector<catalog::ScanRoot> roots;
    for (const auto& dir : modelsDirs)
        for (const char* kind : kKinds)
            for (const auto& sub : subfolders(kind)) {
                std::error_code ec;
                const fs::path p = fs::weakly_canonical(fs::path(dir) / sub, ec);
                if (!ec && fs::is_directory(p, ec))
                    roots.push_back({p.string(), kind});
            }
    return roots;
}

} // namespace

ServedModels::ServedModels(std::string catalogPath, std::vector<std::string> modelsDirs)
    : m_catalogPath(std::move(catalogPath)), m_modelsDirs(std::move(modelsDirs))
{
    catalog::Database db(m_catalogPath); // creates and migrates it now, on the caller's thread
    m_hasher = std::thread([this] { hashLoop(); });
}

ServedModels::~ServedModels()
{
    m_stop = true;
    {
        std::lock_guard lock(m_wakeMutex);
        m_wakeFlag = true;
    }
    m_wake.notify_all();
    m_hasher.join();
}

std::size_t ServedModels::refresh()
{
    std::lock_guard scanLock(m_scanMutex);
    catalog::Database db(m_catalogPath);
    catalog::ScanOptions options;
    options.threads = 2;
    catalog::Scanner scanner(db, options);
    const auto roots = scanRoots(m_modelsDirs);
    const catalog::ScanResult r = scanner.scan(roots);
    api::logInfo("models: " + std::to_string(r.seen) + " file(s) in " + std::to_string(roots.size()) + " folder(s), "
                 + std::to_string(r.added) + " new, " + std::to_string(r.missing) + " gone");
    {
        std::lock_guard lock(m_wakeMutex);
        m_wakeFlag = true;
        m_pendingHashes = 1;
    }
    m_wake.notify_all();
    return r.seen;
}

std::vector<catalog::ModelRow> ServedModels::rows(const std::string& kind, int limit) const
{
    std::lock_guard lock(m_readMutex);
    try {
        if (!m_reader)
            m_reader = std::make_unique<catalog::Database>(m_catalogPath);
        catalog::ModelLibrary library(*m_reader);
        catalog::ModelQuery q;
        q.kind = kind;
        q.limit = limit;
        return library.search(q);
    } catch (...) {
        m_reader.reset();
        throw;
    }
}

std::optional<ServedModel> ServedModels::first(const std::string& kind) const
{
    // A short page, as broken files are skipped; all of them only when that page held no model.
    constexpr int kPage = 32;
    const auto page = rows(kind, kPage);
    auto usable = listed(page);
    if (usable.empty() && page.size() == kPage)
        usable = list(kind);
    return usable.empty() ? std::nullopt : std::optional(std::move(usable.front()));
}

std::vector<ServedModel> ServedModels::list(const std::string& kind) const { return listed(rows(kind, 100000)); }

std::vector<ServedModel> ServedModels::listed(const std::vector<catalog::ModelRow>& rows)
{
    std::vector<ServedModel> out;
    for (const auto& row : rows) {
        if (row.status == "broken")
            continue; // not a model (no tensors, damaged, unsafe): naming it gets the reason instead
        ServedModel m;
        m.kind = row.kind;
        m.fileName = fs::path(row.path).filename().string();
        m.name = fs::path(row.path).stem().string();
        std::error_code ec;
        const fs::path rel = fs::relative(row.path, fs::path(row.root).parent_path(), ec);
        m.relativePath = ec ? m.fileName : rel.generic_string();
        m.family = row.family;
        m.sha256 = row.sha256;
        m.shortHash = row.autov2;
        m.alias = row.alias.empty() ? row.outputName : row.alias;
        out.push_back(std::move(m));
    }
    return out;
}

std::string ServedModels::title(const ServedModel& model)
{
    return model.shortHash.empty() ? model.fileName : model.fileName + " [" + model.shortHash + "]";
}

bool ServedModels::waitHashed(int timeoutMs) const
{
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (m_pendingHashes.load() != 0) {
        if (std::chrono::steady_clock::now() > until)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

void ServedModels::hashLoop()
{
    catalog::makeThisThreadBackground();
    while (!m_stop) {
        {
            std::unique_lock lock(m_wakeMutex);
            m_wake.wait(lock, [this] { return m_wakeFlag; });
            m_wakeFlag = false;
        }
        if (m_stop)
            return;
        try {
            catalog::Database db(m_catalogPath);
            catalog::ModelLibrary library(db);
            for (auto batch = library.pendingHashes(64); !batch.empty() && !m_stop; batch = library.pendingHashes(64)) {
                bool progressed = false;
                for (const auto& job : batch) {
                    if (m_stop)
                        return;
                    try {
                        const auto h = catalog::computeModelHashes(job.path, &m_stop);
                        library.storeHashes(job, h.sha256, h.autov2, h.autov3);
                        progressed = true;
                    } catch (const api::Error& e) {
                        api::logWarning("hashing " + job.path + ": " + e.message());
                    }
                }
                if (!progressed)
                    break; // only unreadable files left: try again after the next refresh
            }
        } catch (const std::exception& e) {
            api::logWarning(std::string("model hashing stopped: ") + e.what());
        }
        m_pendingHashes = 0;
    }
}

} // namespace easel::server
