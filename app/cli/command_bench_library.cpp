// `easel-cli bench library [--json] [--files-lora N] [--files-ckpt N] [--queries N] [--changed N]
//  [--dir PATH] [--keep] [--cold] [--threads N]`
// Builds a synthetic model library (real SD1/SDXL key sets, kohya metadata, sparse data) and times
// the catalog on it: first scan, unchanged rescan, rescan after N changed files, FTS search
// latency, memory. Targets (issue 7, 2-core machine): first scan <= 10 s, unchanged rescan <= 1 s,
// search p99 <= 10 ms.

#include <iostream>

#include <nlohmann/json.hpp>

#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/cli/runtime_setup.h"
#include "engine/api/error.h"
#include "engine/bench/library_bench.h"

namespace easel::cli {

namespace {

int runBenchLibrary(const std::vector<std::string>& argv)
{
    std::vector<OptionSpec> specs = commonOptionSpecs();
    specs.push_back({"json", "", false, false, "print JSON"});
    specs.push_back({"files-lora", "", true, false, "LoRA files to generate (default 10000)"});
    specs.push_back({"files-ckpt", "", true, false, "checkpoint files to generate (default 8000)"});
    specs.push_back({"queries", "", true, false, "search queries to time (default 10000)"});
    specs.push_back({"changed", "", true, false, "files changed before the second rescan (default 100)"});
    specs.push_back({"dir", "", true, false, "build the library here instead of a temporary folder (kept)"});
    specs.push_back({"keep", "", false, false, "keep the temporary library and catalog"});
    specs.push_back({"cold", "", false, false, "drop the files from the page cache before the first scan"});
    const Args args(specs, argv);
    if (!args.positionals().empty())
        throw std::invalid_argument("bench library: unexpected argument '" + args.positionals()[0] + "'");
    applyCommonOptions(args);

    catalog::LibraryBenchOptions o;
    o.loras = static_cast<size_t>(std::max(0, args.intValue("files-lora", 10000)));
    o.checkpoints = static_cast<size_t>(std::max(0, args.intValue("files-ckpt", 8000)));
    o.queries = static_cast<size_t>(std::max(1, args.intValue("queries", 10000)));
    o.changed = static_cast<size_t>(std::max(0, args.intValue("changed", 100)));
    o.dir = args.value("dir", "");
    o.keep = args.has("keep");
    o.cold = args.has("cold");
    o.threads = static_cast<unsigned>(std::max(0, args.intValue("threads", 0)));
    const bool json = args.has("json");
    o.log = [](const std::string& line) { std::cerr << "bench library: " << line << "\n"; };
    try {
        const catalog::LibraryBenchResult r = catalog::runLibraryBench(o);
        nlohmann::json j = {
            {"benchmark", "library"},
            {"files", r.files},
            {"files_lora", o.loras},
            {"files_ckpt", o.checkpoints},
            {"header_mb", r.headerMb},
            {"page_cache", r.cold ? "cold" : "warm"},
            {"generate_s", r.generateSeconds},
            {"first_scan_s", r.firstScanSeconds},
            {"rescan_unchanged_s", r.rescanUnchangedSeconds},
            {"rescan_100_changed_s", r.rescanChangedSeconds},
            {"rescan_changed_files", r.rescanChangedFiles},
            {"search_queries", o.queries},
            {"search_p50_ms", r.searchP50Ms},
            {"search_p90_ms", r.searchP90Ms},
            {"search_p99_ms", r.searchP99Ms},
            {"search_max_ms", r.searchMaxMs},
            {"search_cpu_p50_ms", r.searchCpuP50Ms},
            {"search_cpu_p99_ms", r.searchCpuP99Ms},
            {"count_p99_ms", r.countP99Ms},
            {"first_scan_cpu_s", r.firstScanCpuSeconds},
            {"load_average", r.loadAverage},
            {"catalog_rss_mb", r.rssMb},
            {"catalog_rss_now_mb", r.rssNowMb},
            {"catalog_file_mb", r.catalogMb},
            {"classify_cache_hits", r.classifyCacheHits},
            {"broken", r.broken},
            {"targets_met", r.firstScanSeconds <= 10 && r.rescanUnchangedSeconds <= 1 && r.searchP99Ms <= 10},
        };
        if (o.keep || !o.dir.empty())
            j["dir"] = r.dir;
        if (json) {
            std::cout << j.dump(2) << "\n";
        } else {
            std::cout << "library: " << r.files << " files (" << o.loras << " LoRA, " << o.checkpoints << " checkpoints, "
                      << r.headerMb << " MB of headers, " << (r.cold ? "cold" : "warm") << " page cache)\n"
                      << "  first scan          " << r.firstScanSeconds << " s (target 10)\n"
                      << "  rescan, unchanged   " << r.rescanUnchangedSeconds << " s (target 1)\n"
                      << "  rescan, " << r.rescanChangedFiles << " changed " << r.rescanChangedSeconds << " s\n"
                      << "  search p50/p99      " << r.searchP50Ms << " / " << r.searchP99Ms << " ms (target p99 10; CPU "
                      << r.searchCpuP50Ms << " / " << r.searchCpuP99Ms << " ms)\n"
                      << "  load average        " << r.loadAverage << " (other processes compete for the CPU)\n"
                      << "  peak memory         " << r.rssMb << " MB\n";
        }
    } catch (const api::Error& e) {
        std::cerr << "bench library: " << e.message() << (e.path().empty() ? "" : " (" + e.path() + ")") << "\n";
        return 1;
    }
    return 0;
}

const CommandRegistrar registrar{"bench library", "catalog scan and search benchmark (18 000 synthetic files)",
                                 &runBenchLibrary};

} // namespace

} // namespace easel::cli
