#include "engine/catalog/scanner.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#define XXH_STATIC_LINKING_ONLY // XXH3_state_t on the stack
#include <xxhash.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include <spdlog/spdlog.h>

#include "engine/catalog/database.h"
#include "engine/catalog/model_facts.h"
#include "engine/catalog/model_reader.h"
#include "engine/catalog/sidecars.h"

namespace easel::catalog {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

/// Extensions of model files, lower-case, without the dot.
const char* modelFormat(std::string_view name, std::string& stem)
{
    static const char* const kFormats[] = {"safetensors", "ckpt", "pt", "pth", "bin", "sft"};
    const size_t dot = name.rfind('.');
    if (dot == std::string_view::npos || dot == 0)
        return nullptr;
    std::string ext(name.substr(dot + 1));
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const char* f : kFormats) {
        if (ext == f) {
            stem.assign(name.substr(0, dot));
            return std::strcmp(f, "sft") == 0 ? "safetensors" : f;
        }
    }
    return nullptr;
}

struct Found {
    ModelFacts facts;
    std::string kindHint;
};

class Walker {
public:
    Walker(std::vector<Found>& out, std::vector<std::string>& errors, const std::atomic<bool>* cancel)
        : m_out(out)
        , m_errors(errors)
        , m_cancel(cancel)
    {
    }

    void walk(const ScanRoot& root) { walkDir(root, root.path, "", 0); }

private:
    void walkDir(const ScanRoot& root, const std::string& dirPath, const std::string& folder, int depth)
    {
        if (depth > 32 || (m_cancel && m_cancel->load(std::memory_order_relaxed)))
            return;
        DIR* dir = ::opendir(dirPath.c_str());
        if (!dir) {
            if (errno != ENOENT || depth > 0)
                m_errors.push_back(dirPath + ": " + std::strerror(errno));
            return;
        }
        const int dfd = ::dirfd(dir);
        struct stat st {};
        if (::fstat(dfd, &st) == 0 && !m_visited.insert({st.st_dev, st.st_ino}).second) {
            ::closedir(dir); // a symlink loop, or the same folder configured twice
            return;
        }
        std::vector<std::string> files, subdirs;
        while (const dirent* e = ::readdir(dir)) {
            const char* n = e->d_name;
            if (n[0] == '.') // ".", "..", hidden files and folders (.git, .cache)
                continue;
            unsigned char type = e->d_type;
            if (type == DT_LNK || type == DT_UNKNOWN) {
                struct stat ls {};
                if (::fstatat(dfd, n, &ls, 0) != 0)
                    continue; // dangling link
                type = S_ISDIR(ls.st_mode) ? DT_DIR : S_ISREG(ls.st_mode) ? DT_REG : DT_UNKNOWN;
            }
            if (type == DT_DIR)
                subdirs.emplace_back(n);
            else if (type == DT_REG)
                files.emplace_back(n);
        }
        const std::unordered_set<std::string_view> names(files.begin(), files.end());
        std::string stem;
        for (const auto& name : files) {
            const char* format = modelFormat(name, stem);
            if (!format)
                continue;
            struct stat fst {};
            if (::fstatat(dfd, name.c_str(), &fst, 0) != 0)
                continue; // vanished between readdir and stat
            Found f;
            f.kindHint = root.kindHint;
            ModelFacts& m = f.facts;
            m.path = dirPath + "/" + name;
            m.root = root.path;
            m.folder = folder;
            m.name = stem;
            m.format = format;
            m.sizeBytes = static_cast<int64_t>(fst.st_size);
            m.mtimeNs = mtimeNs(fst);
            // Sidecars: which exist and their size/mtime make the signature compared on rescans.
            XXH3_state_t sig;
            XXH3_64bits_reset(&sig);
            const auto consider = [&](const std::string& sidecar, std::string& slot) {
                if (!slot.empty() || !names.count(sidecar))
                    return;
                struct stat sst {};
                if (::fstatat(dfd, sidecar.c_str(), &sst, 0) != 0)
                    return;
                slot = dirPath + "/" + sidecar;
                const int64_t values[2] = {static_cast<int64_t>(sst.st_size), mtimeNs(sst)};
                XXH3_64bits_update(&sig, sidecar.data(), sidecar.size() + 1);
                XXH3_64bits_update(&sig, values, sizeof values);
            };
            for (const auto& candidate : previewCandidates(stem))
                consider(candidate, m.sidecarPreview);
            consider(userMetadataName(stem), m.sidecarJson);
            consider(civitaiInfoName(stem), m.sidecarCivitai);
            m.sidecars.signature = XXH3_64bits_digest(&sig) & 0x7fffffffffffffffull; // fits SQLite INTEGER
            m_out.push_back(std::move(f));
        }
        ::closedir(dir);
        std::sort(subdirs.begin(), subdirs.end());
        for (const auto& sub : subdirs)
            walkDir(root, dirPath + "/" + sub, folder.empty() ? sub : folder + "/" + sub, depth + 1);
    }

    std::vector<Found>& m_out;
    std::vector<std::string>& m_errors;
    const std::atomic<bool>* m_cancel;
    std::set<std::pair<dev_t, ino_t>> m_visited;
};

struct Row {
    int64_t id;
    int64_t size, mtime, sidecarSig;
    int scanVersion;
    bool missing;
    bool seen = false;
};

enum class TaskType { New, Update, Sidecars };

struct Task {
    Found found;
    TaskType type = TaskType::New;
    int64_t rowId = 0;
    bool done = false, skipped = false;
};

// Columns written from ModelFacts, in bind order (?1..?N).
const std::vector<const char*>& factColumns()
{
    static const std::vector<const char*> columns = {
        "path", "root", "folder", "name", "format", "kind", "family", "subtype", "size_bytes", "mtime_ns",
        "identity_hash", "status", "status_detail", "scan_version", "sidecar_sig",
        "ss_base_model_version", "ss_output_name", "trigger_words", "resolution", "network_dim", "network_alpha",
        "preview_path", "activation_text", "preferred_weight", "sd_version", "description", "notes",
        "negative_text", "civitai_name", "civitai_trained_words", "civitai_base_model",
    };
    return columns;
}
constexpr int kSizeParam = 9, kMtimeParam = 10, kPreviewParam = 22;

void bindOptional(Statement& s, int i, const std::optional<double>& v)
{
    if (v)
        s.bind(i, *v);
    else
        s.bindNull(i);
}

void bindFacts(Statement& s, const ModelFacts& f)
{
    std::string detail = f.statusDetail;
    if (!f.sidecars.problems.empty())
        detail += (detail.empty() ? "" : "; ") + std::string("sidecars: ") + f.sidecars.problems;
    s.bind(1, f.path).bind(2, f.root).bind(3, f.folder).bind(4, f.name).bind(5, f.format).bind(6, f.kind);
    s.bind(7, f.family).bind(8, f.subtype).bind(kSizeParam, f.sizeBytes).bind(kMtimeParam, f.mtimeNs);
    s.bind(11, f.identityHash).bind(12, f.status).bind(13, detail);
    s.bind(14, kReaderVersion).bind(15, static_cast<int64_t>(f.sidecars.signature));
    s.bind(16, f.kohya.baseModelVersion).bind(17, f.kohya.outputName).bind(18, f.kohya.triggerWords);
    s.bind(19, f.kohya.resolution).bind(20, f.kohya.networkDim);
    bindOptional(s, 21, f.kohya.networkAlpha);
    const SidecarFacts& c = f.sidecars;
    s.bind(kPreviewParam, c.previewPath).bind(23, c.activationText);
    bindOptional(s, 24, c.preferredWeight);
    s.bind(25, c.sdVersion).bind(26, c.description).bind(27, c.notes).bind(28, c.negativeText);
    s.bind(29, c.civitaiName).bind(30, c.civitaiTrainedWords).bind(31, c.civitaiBaseModel);
}

std::string insertSql()
{
    std::string cols, params;
    int i = 1;
    for (const char* c : factColumns()) {
        cols += (i > 1 ? ", " : "") + std::string(c);
        params += (i > 1 ? ", ?" : "?") + std::to_string(i);
        ++i;
    }
    return "INSERT INTO models(" + cols + ") VALUES (" + params + ")";
}

/// Full rewrite of a row (changed content, or a moved file taking over its old row). Hashes stay
/// only when they were computed for this exact size and mtime.
std::string updateSql()
{
    std::string sets;
    int i = 1;
    for (const char* c : factColumns()) {
        if (i > 1)
            sets += ", ";
        sets += std::string(c) + " = ?" + std::to_string(i);
        ++i;
    }
    const std::string same = "hashed_size = ?" + std::to_string(kSizeParam) + " AND hashed_mtime_ns = ?" +
                             std::to_string(kMtimeParam);
    for (const char* h : {"sha256", "autov2", "autov3"})
        sets += std::string(", ") + h + " = CASE WHEN " + same + " THEN " + h + " ELSE '' END";
    sets += ", missing_since = NULL";
    return "UPDATE models SET " + sets + " WHERE id = ?" + std::to_string(i);
}

const char* kSidecarUpdateSql =
    "UPDATE models SET preview_path = ?1, activation_text = ?2, preferred_weight = ?3, sd_version = ?4, "
    "description = ?5, notes = ?6, negative_text = ?7, civitai_name = ?8, civitai_trained_words = ?9, "
    "civitai_base_model = ?10, sidecar_sig = ?11 WHERE id = ?12";

} // namespace

std::vector<ScanRoot> a1111Roots(const std::string& webuiDir)
{
    static const std::pair<const char*, const char*> kLayout[] = {
        {"models/Stable-diffusion", "checkpoint"}, {"models/Lora", "lora"}, {"models/LyCORIS", "lora"},
        {"embeddings", "embedding"}, {"models/VAE", "vae"}, {"models/ControlNet", "controlnet"},
        {"models/ESRGAN", "upscaler"},
    };
    std::vector<ScanRoot> roots;
    std::error_code ec;
    for (const auto& [sub, kind] : kLayout) {
        const fs::path p = fs::path(webuiDir) / sub;
        if (fs::is_directory(p, ec))
            roots.push_back({p.lexically_normal().string(), kind});
    }
    return roots;
}

Scanner::Scanner(Database& db, ScanOptions options)
    : m_db(db)
    , m_options(std::move(options))
{
}

ScanResult Scanner::scan(const std::vector<ScanRoot>& rootsIn)
{
    ScanResult result;
    const auto cancelled = [&] { return m_options.cancel && m_options.cancel->load(std::memory_order_relaxed); };
    auto lastReport = Clock::now() - std::chrono::seconds(1);
    const auto report = [&](ScanProgress::Phase phase, size_t done, size_t total, bool force) {
        if (!m_options.progress)
            return;
        const auto now = Clock::now();
        if (!force && now - lastReport < std::chrono::milliseconds(50))
            return;
        lastReport = now;
        m_options.progress(ScanProgress{phase, done, total});
    };

    // Roots are compared as written in the catalog: strip trailing slashes.
    std::vector<ScanRoot> roots = rootsIn;
    for (auto& r : roots)
        while (r.path.size() > 1 && r.path.back() == '/')
            r.path.pop_back();

    // 1. Walk: one stat per model file and per sidecar that exists; nothing is opened.
    std::vector<Found> found;
    {
        Walker walker(found, result.walkErrors, m_options.cancel);
        for (const auto& root : roots) {
            walker.walk(root);
            report(ScanProgress::Phase::Walking, found.size(), 0, false);
        }
    }
    result.seen = found.size();
    if (cancelled()) {
        result.cancelled = true;
        report(ScanProgress::Phase::Done, 0, 0, true);
        return result;
    }

    // 2. Compare with the rows under these roots.
    std::unordered_map<std::string, Row> rows;
    {
        std::unordered_set<std::string> rootSet;
        for (const auto& r : roots)
            rootSet.insert(r.path);
        Statement s = m_db.prepare(
            "SELECT id, path, root, size_bytes, mtime_ns, sidecar_sig, scan_version, status = 'missing' FROM models");
        while (s.step()) {
            std::string path = s.text(1);
            const std::string root = s.text(2);
            bool mine = rootSet.count(root) > 0;
            if (!mine && root.empty()) // written before roots were recorded
                for (const auto& r : roots)
                    mine = mine || path.compare(0, r.path.size() + 1, r.path + "/") == 0;
            if (mine)
                rows.emplace(std::move(path), Row{s.int64(0), s.int64(3), s.int64(4), s.int64(5), s.integer(6), s.int64(7) != 0});
        }
    }
    std::vector<Task> tasks;
    for (auto& f : found) {
        const auto it = rows.find(f.facts.path);
        if (it == rows.end()) {
            tasks.push_back(Task{std::move(f), TaskType::New, 0});
            continue;
        }
        Row& row = it->second;
        row.seen = true;
        const bool same = !row.missing && row.size == f.facts.sizeBytes && row.mtime == f.facts.mtimeNs &&
                          row.scanVersion == kReaderVersion;
        if (!same)
            tasks.push_back(Task{std::move(f), TaskType::Update, row.id});
        else if (row.sidecarSig != static_cast<int64_t>(f.facts.sidecars.signature))
            tasks.push_back(Task{std::move(f), TaskType::Sidecars, row.id});
        else
            ++result.unchanged;
    }
    found.clear();
    found.shrink_to_fit();

    // 3. Files that disappeared are marked missing first, so that moved files found below can
    //    take over their rows.
    {
        const int64_t now = static_cast<int64_t>(std::time(nullptr));
        Transaction tx(m_db);
        Statement& mark = m_db.cached("UPDATE models SET status = 'missing', missing_since = ?1 WHERE id = ?2");
        for (const auto& [path, row] : rows) {
            if (row.seen || row.missing)
                continue;
            mark.bind(1, now).bind(2, row.id);
            mark.run();
            ++result.missing;
        }
        tx.commit();
    }
    rows.clear();

    // 4. Read new and changed files on worker threads; write in order on this thread.
    ClassificationCache cache;
    const ReaderContext context{m_options.classifier, m_options.classificationCache ? &cache : nullptr,
                                m_options.pickleClassifier};
    std::mutex mutex;
    std::condition_variable readyCv, writtenCv;
    std::atomic<size_t> next{0};
    size_t written = 0;
    constexpr size_t kMaxAhead = 4096; // bounds memory: results wait at most this far ahead of the writer
    const auto work = [&] {
        for (;;) {
            const size_t i = next.fetch_add(1);
            if (i >= tasks.size())
                return;
            {
                std::unique_lock lock(mutex);
                writtenCv.wait(lock, [&] { return i < written + kMaxAhead; });
            }
            Task& t = tasks[i];
            if (cancelled()) {
                t.skipped = true;
            } else if (t.type == TaskType::Sidecars) {
                readSidecars(t.found.facts);
            } else {
                readModelFile(t.found.facts, t.found.kindHint, context);
            }
            {
                std::lock_guard lock(mutex);
                t.done = true;
            }
            readyCv.notify_all();
        }
    };
    unsigned threadCount = m_options.threads ? m_options.threads : std::max(1u, std::thread::hardware_concurrency());
    threadCount = static_cast<unsigned>(std::min<size_t>(threadCount, std::max<size_t>(1, tasks.size())));
    std::vector<std::thread> workers;
    if (!tasks.empty())
        for (unsigned k = 0; k < threadCount; ++k)
            workers.emplace_back(work);

    try {
        Statement& insert = m_db.cached(insertSql());
        Statement& update = m_db.cached(updateSql());
        Statement& sidecars = m_db.cached(kSidecarUpdateSql);
        Statement& metadata = m_db.cached("INSERT OR REPLACE INTO model_metadata(model_id, json) VALUES (?1, ?2)");
        Statement& noMetadata = m_db.cached("DELETE FROM model_metadata WHERE model_id = ?1");
        Statement& movedFrom = m_db.cached(
            "SELECT id FROM models WHERE identity_hash = ?1 AND size_bytes = ?2 AND status = 'missing' LIMIT 2");
        std::unique_ptr<Transaction> tx;
        size_t inBatch = 0;
        for (size_t i = 0; i < tasks.size(); ++i) {
            {
                std::unique_lock lock(mutex);
                readyCv.wait(lock, [&] { return tasks[i].done; });
            }
            Task& t = tasks[i];
            if (!t.skipped) {
                if (!tx)
                    tx = std::make_unique<Transaction>(m_db);
                const ModelFacts& f = t.found.facts;
                if (t.type == TaskType::Sidecars) {
                    const SidecarFacts& c = f.sidecars;
                    sidecars.bind(1, c.previewPath).bind(2, c.activationText);
                    bindOptional(sidecars, 3, c.preferredWeight);
                    sidecars.bind(4, c.sdVersion).bind(5, c.description).bind(6, c.notes).bind(7, c.negativeText);
                    sidecars.bind(8, c.civitaiName).bind(9, c.civitaiTrainedWords).bind(10, c.civitaiBaseModel);
                    sidecars.bind(11, static_cast<int64_t>(c.signature)).bind(12, t.rowId);
                    sidecars.run();
                    ++result.sidecarsOnly;
                } else {
                    int64_t target = t.rowId;
                    if (t.type == TaskType::New && !f.identityHash.empty()) {
                        movedFrom.bind(1, f.identityHash).bind(2, f.sizeBytes);
                        int matches = 0;
                        while (movedFrom.step()) {
                            target = movedFrom.int64(0);
                            ++matches;
                        }
                        movedFrom.reset();
                        if (matches != 1) // none, or ambiguous (identical headers): a new row
                            target = 0;
                    }
                    if (target) {
                        bindFacts(update, f);
                        update.bind(static_cast<int>(factColumns().size()) + 1, target);
                        update.run();
                        ++(t.type == TaskType::New ? result.moved : result.updated);
                    } else {
                        bindFacts(insert, f);
                        insert.run();
                        target = m_db.lastInsertId();
                        ++result.added;
                    }
                    if (f.metadataJson.size() > 2) {
                        metadata.bind(1, target).bind(2, f.metadataJson);
                        metadata.run();
                    } else {
                        noMetadata.bind(1, target);
                        noMetadata.run();
                    }
                    result.broken += f.status == "broken";
                    result.unsupported += f.status == "unsupported";
                }
                if (++inBatch >= m_options.batchSize) {
                    tx->commit();
                    tx.reset();
                    inBatch = 0;
                }
            }
            t.found = Found{}; // free the result now that it is written
            {
                std::lock_guard lock(mutex);
                written = i + 1;
            }
            writtenCv.notify_all();
            report(ScanProgress::Phase::Reading, i + 1, tasks.size(), false);
        }
        if (tx)
            tx->commit();
    } catch (...) {
        // Let the workers finish (they skip once cancelled is seen... they only read files) before
        // the tasks they point into go away.
        {
            std::lock_guard lock(mutex);
            written = tasks.size();
        }
        writtenCv.notify_all();
        for (auto& w : workers)
            w.join();
        throw;
    }
    for (auto& w : workers)
        w.join();
    result.cancelled = cancelled();
    result.classifyCacheHits = cache.hits();
    report(ScanProgress::Phase::Done, tasks.size(), tasks.size(), true);
    spdlog::debug("catalog scan: {} files, {} unchanged, {} added, {} updated, {} moved, {} missing, {} broken",
                  result.seen, result.unchanged, result.added, result.updated, result.moved, result.missing,
                  result.broken);
    return result;
}

int64_t mtimeNs(const struct ::stat& st)
{
    return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

} // namespace easel::catalog
