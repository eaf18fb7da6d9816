#pragma once
/// `easel-cli bench io`: file I/O speed on a realistic 2 GB checkpoint. Plain C++ interface (the
/// implementation uses torch); call from one thread, it uses several GB of memory and disk.

#include <cstdint>
#include <string>

namespace easel::io {

struct IoBenchOptions {
    std::string dir;        ///< where to write the test files ("" = system temp dir)
    bool keep = false;      ///< keep the files afterwards
    int repeats = 2;        ///< best of N for each timing
};

struct IoBenchResult {
    std::string dir;
    uint64_t f16Bytes = 0, f32Bytes = 0; ///< file sizes: SD1.5 layout fp16 (full), fp32 (first 2 GB of tensors)
    uint64_t tensorsF16 = 0, tensorsF32 = 0;
    double writeSeconds = 0;
    double headerInspectMedianMs = 0, headerInspectMinMs = 0, headerInspectMaxMs = 0; ///< open header + classify, 2 GB file
    double headerOpenMedianMs = 0;        ///< reading + validating the header alone
    /// memcpy of the data section: into fresh memory (page faults included, like a loader), and into
    /// already-mapped memory (pure bandwidth, the strictest baseline).
    double memcpyF16Ms = 0, memcpyF16PrefaultedMs = 0, loadF16ToF32Ms = 0, loadF16KeepMs = 0;
    double memcpyF32Ms = 0, memcpyF32PrefaultedMs = 0, loadF32CopyMs = 0, loadF32ZeroCopyMs = 0;
    /// The first load of each series into an empty io::HostBufferPool (every page freshly faulted);
    /// the load_* figures above are the best of the repeats after it, which reuse the pool's
    /// blocks, as a switch between checkpoints of one architecture does.
    double loadF16ToF32FirstMs = 0, loadF32CopyFirstMs = 0;
    uint64_t hostPoolBudgetBytes = 0, hostPoolHits = 0;
    double sha256MBps = 0, sha256sumMBps = 0; ///< 0 when sha256sum is not installed
    bool sha256Matches = false;
};

IoBenchResult runIoBenchmark(const IoBenchOptions& options);

} // namespace easel::io
