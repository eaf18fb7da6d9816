#pragma once
// Test harness of the fleet: a redis-server of the test's own on a free loopback port (started and
// stopped by the test, data in a temporary folder, append-only file on so a restart keeps the
// queue, as a deployment's Redis does), and easel-server processes in the api and worker roles.

#include <QProcess>
#include <QTemporaryDir>

#include <memory>
#include <string>
#include <vector>

#include "tests/server/server_harness.h"

namespace easel::test {

class RedisProcess {
public:
    RedisProcess();
    ~RedisProcess();
    bool ok() const { return m_up; }
    std::string url() const { return "redis://127.0.0.1:" + std::to_string(m_port); }
    int port() const { return m_port; }
    /// SIGKILL (no goodbye to clients); start() brings it back on the same port and data.
    void kill();
    bool start();
    /// One command through redis-cli's cousin: a raw RESP call over a socket; the reply's text.
    std::string call(const std::vector<std::string>& argv);

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    int m_port = 0;
    bool m_up = false;
};

/// `--role worker --redis … --worker-id id` plus `extra`, sharing `modelsDir`.
std::unique_ptr<ServerProcess> startWorker(const RedisProcess& redis, const std::string& id,
                                           const std::string& modelsDir, const std::vector<std::string>& extra = {});
/// `--role api --redis …` plus `extra`.
std::unique_ptr<ServerProcess> startApi(const RedisProcess& redis, const std::string& modelsDir,
                                        const std::vector<std::string>& extra = {});

} // namespace easel::test
