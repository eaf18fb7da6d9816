#pragma once
// The models this server serves: its --models-dir folders scanned into its own catalog, listed in
// A1111's shapes, with their hashes filled in by a background thread (A1111 titles and infotexts
// name checkpoints by sha256[:10]). Any thread: every call opens its own catalog connection.

#include <atomic>
#include <memory>
#include <optional>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace easel::catalog {
class Database;
struct ModelRow;
}

namespace easel::server {

struct ServedModel {
    std::string kind;     ///< checkpoint, vae, lora, embedding, controlnet, upscaler
    std::string fileName; ///< "v1-5.safetensors"
    std::string name;     ///< stem, "v1-5"
    std::string relativePath; ///< below its models folder ("Stable-diffusion/v1-5.safetensors")
    std::string family;   ///< sd1, sd2, sdxl, …
    std::string sha256, shortHash; ///< "" until hashed
    std::string alias;
};

class ServedModels {
public:
    ServedModels(std::string catalogPath, std::vector<std::string> modelsDirs);
    ~ServedModels();

    /// Scans the folders (new, changed, moved and missing files) and wakes the hasher. Returns
    /// the number of model files seen. Serialised: concurrent callers wait for one scan.
    std::size_t refresh();

    /// Present models of a kind, by name; files the scan found broken (not models) are left out.
    std::vector<ServedModel> list(const std::string& kind) const;
    /// The first model of a kind in list() order without listing them all (a request that names
    /// no checkpoint gets it); nullopt when there is none.
    std::optional<ServedModel> first(const std::string& kind) const;
    /// A1111 title: "name.safetensors [0123456789]" (no brackets before it is hashed).
    static std::string title(const ServedModel& model);

    /// Waits until every present model has its hashes (tests; bounded by `timeoutMs`).
    bool waitHashed(int timeoutMs) const;

    const std::string& catalogPath() const { return m_catalogPath; }
    const std::vector<std::string>& modelsDirs() const { return m_modelsDirs; }

private:
    std::vector<catalog::ModelRow> rows(const std::string& kind, int limit) const;
    static std::vector<ServedModel> listed(const std::vector<catalog::ModelRow>& rows);
    void hashLoop();

    std::string m_catalogPath;
    std::vector<std::string> m_modelsDirs;
    std::mutex m_scanMutex;
    /// One read connection for list()/first(), opened once: SQLite set-up per request cost more
    /// than the query. Reset after an error so a repaired file is opened afresh.
    mutable std::mutex m_readMutex;
    mutable std::unique_ptr<catalog::Database> m_reader;
    std::mutex m_wakeMutex;
    std::condition_variable m_wake;
    bool m_wakeFlag = true;
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_pendingHashes{1};
    std::thread m_hasher;
};

} // namespace easel::server
