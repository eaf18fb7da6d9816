#pragma once
// Test harness for easel-server: a models folder with the tiny golden models in A1111's layout,
// the real easel-server binary started on a free loopback port, and small HTTP helpers. Tests
// drive the server over real HTTP, as its clients do.

#include <QProcess>
#include <QTemporaryDir>

#include <memory>
#include <string>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace easel::test {

/// <dir>/models/{Stable-diffusion,Lora,ControlNet,VAE} and <dir>/embeddings with the tiny models.
std::string makeModelsFolder(const std::string& dir);

/// The tiny checkpoint's A1111 txt2img payload (as A1111's own API tests send it).
nlohmann::json tinyTxt2img(int steps = 3, std::int64_t seed = 7);
/// A base64 data: URL of a w×h RGB PNG (a gradient; white square in the middle when `mask`).
std::string pngDataUrl(int w, int h, bool mask = false);

class ServerProcess {
public:
    /// Starts build/bin/easel-server with `--listen 127.0.0.1:0 --models-dir … --data-dir …` and
    /// `extra`; waits for its "listening on" line. QFAIL-style: check ok() after.
    explicit ServerProcess(const std::vector<std::string>& extra = {}, const std::string& modelsDir = {});
    ~ServerProcess();

    bool ok() const { return m_port > 0; }
    int port() const { return m_port; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }
    std::unique_ptr<httplib::Client> client(int readTimeoutSeconds = 120) const;
    const std::string& dataDir() const { return m_dataDir; }
    const std::string& modelsDir() const { return m_modelsDir; }

    /// SIGTERM, then waits for the exit; returns the exit code (-1 when it did not exit).
    int terminate(int waitMs = 60000);
    QProcess& process() { return m_process; }
    /// Everything the server printed so far.
    std::string output();

private:
    QTemporaryDir m_tmp;
    QProcess m_process;
    std::string m_dataDir, m_modelsDir, m_output;
    int m_port = -1;
};

/// The path of a built binary next to the tests ("easel-server", "easel-cli").
std::string builtBinary(const std::string& name);

/// POST JSON; returns status (or -1 on connection failure) and parsed body (null if not JSON).
struct JsonAnswer {
    int status = -1;
    nlohmann::json body;
    std::string raw;
    httplib::Headers headers;
};
JsonAnswer postJson(httplib::Client& client, const std::string& path, const nlohmann::json& body,
                    const httplib::Headers& headers = {});
JsonAnswer getJson(httplib::Client& client, const std::string& path, const httplib::Headers& headers = {});

/// Decodes a base64 PNG answer; fills width/height and the parameters text. False on bad data.
bool decodePngAnswer(const std::string& base64, int& width, int& height, std::string& parameters);

} // namespace easel::test
