#pragma once
/// Folder scanner of the model library: walks the configured folders, reads headers of new or
/// changed files on worker threads and writes the catalog in large transactions.
///
/// Thread model: a Scanner uses the Database it is given, on the calling thread only (its own
/// connection, DESIGN.md "Threading"); worker threads only read files. Other threads keep reading
/// the catalog through their own connections while a scan runs (WAL): committed batches appear as
/// they are written.
///
/// Incremental: a file whose (path, size, mtime) match its row, written by the current reader
/// version, is not opened; only its sidecars' signature is compared. A new file whose identity hash
/// matches exactly one row marked missing takes over that row (moved or renamed: favourite, tags,
/// use counts and date added stay). Files that disappeared are marked missing, never deleted.

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/catalog/classifier.h"

struct stat;

namespace easel::catalog {

class Database;

/// A file's modification time as the scanner stores it (ModelRow::mtimeNs): stat's nanoseconds
/// since 1970 (std::filesystem's clock has another epoch).
int64_t mtimeNs(const struct ::stat& st);

/// One configured folder; `kindHint` ("checkpoint", "lora", "embedding", "vae", "controlnet",
/// "upscaler") names what files there are meant to be, for formats Easel does not inspect.
struct ScanRoot {
    std::string path;
    std::string kindHint;
};

/// The A1111 folders under a webui directory that exist (models/Stable-diffusion, models/Lora,
/// models/LyCORIS, embeddings, models/VAE, models/ControlNet, models/ESRGAN).
std::vector<ScanRoot> a1111Roots(const std::string& webuiDir);

struct ScanProgress {
    enum class Phase { Walking, Reading, Done } phase = Phase::Walking;
    size_t done = 0;  ///< files walked / read so far
    size_t total = 0; ///< files to read (0 while walking)
};

struct ScanOptions {
    Classifier classifier = ioClassifier();
    PickleClassifier pickleClassifier = ioPickleClassifier(); ///< null: pickles get their folder's kind unread
    /// Called on the scanning thread at most every ~50 ms, and once at the end.
    std::function<void(const ScanProgress&)> progress;
    const std::atomic<bool>* cancel = nullptr; ///< set to stop; work done so far is kept
    unsigned threads = 0;         ///< reader threads; 0 = hardware concurrency
    size_t batchSize = 2000;      ///< rows per transaction
    bool classificationCache = true; ///< classify each distinct tensor layout once per scan
};

struct ScanResult {
    size_t seen = 0;       ///< model files found by the walk
    size_t unchanged = 0;  ///< not opened
    size_t added = 0;
    size_t updated = 0;    ///< content changed, or read by an older reader
    size_t moved = 0;      ///< took over a missing row through the identity hash
    size_t sidecarsOnly = 0; ///< only sidecars changed
    size_t missing = 0;    ///< newly marked missing
    size_t broken = 0;     ///< among the files read
    size_t unsupported = 0;
    size_t classifyCacheHits = 0;
    bool cancelled = false;
    std::vector<std::string> walkErrors; ///< folders that could not be listed
};

class Scanner {
public:
    Scanner(Database& db, ScanOptions options = {});
    /// Scans the roots; rows under other roots are left alone. Throws api::Error only for catalog
    /// failures (a bad file never stops a scan).
    ScanResult scan(const std::vector<ScanRoot>& roots);

private:
    Database& m_db;
    ScanOptions m_options;
};

} // namespace easel::catalog
