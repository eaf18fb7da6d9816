#pragma once
/// The `easel-cli bench library` measurement: builds a synthetic library of LoRAs and checkpoints,
/// then times the first scan, an unchanged rescan, a rescan after 100 changed files and FTS search
/// latency, and reads the process's memory. Plain C++; runs on the calling thread (plus the
/// scanner's readers).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace easel::catalog {

struct LibraryBenchOptions {
    size_t loras = 10000;
    size_t checkpoints = 8000;
    size_t queries = 10000;
    size_t changed = 100;
    std::string dir;           ///< where to build the library; "" = a new folder under $TMPDIR
    bool keep = false;         ///< leave the library and catalog on disk
    bool cold = false;
    double loadAverage = 0;    ///< 1-minute load average when the scan started (other processes)
    double firstScanCpuSeconds = 0; ///< process CPU time of the first scan (all threads)         ///< drop the files from the page cache before the first scan
    unsigned threads = 0;      ///< scanner readers; 0 = hardware concurrency
    std::function<void(const std::string&)> log; ///< progress lines for people (may be empty)
};

struct LibraryBenchResult {
    size_t files = 0;
    double generateSeconds = 0;
    double firstScanSeconds = 0;
    double rescanUnchangedSeconds = 0;
    double rescanChangedSeconds = 0;
    size_t rescanChangedFiles = 0;
    double searchP50Ms = 0, searchP90Ms = 0, searchP99Ms = 0, searchMaxMs = 0;
    double searchCpuP50Ms = 0, searchCpuP99Ms = 0; ///< thread CPU time: the same without other processes' load
    double countP99Ms = 0;     ///< COUNT(*) of the same queries (a virtualised view's row count)
    double rssMb = 0;          ///< peak resident memory (VmHWM)
    double rssNowMb = 0;       ///< resident memory after the run (VmRSS)
    double catalogMb = 0;      ///< catalog file + WAL on disk
    double headerMb = 0;       ///< header bytes the first scan read
    size_t classifyCacheHits = 0;
    size_t broken = 0;
    bool cold = false;
    double loadAverage = 0;    ///< 1-minute load average when the scan started (other processes)
    double firstScanCpuSeconds = 0; ///< process CPU time of the first scan (all threads)
    std::string dir;
};

/// Throws api::Error when the library cannot be written or the catalog fails.
LibraryBenchResult runLibraryBench(const LibraryBenchOptions& options);

} // namespace easel::catalog
