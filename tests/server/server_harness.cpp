#include "tests/server/server_harness.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QRegularExpression>

#include <csignal>
#include <filesystem>

#include "engine/core/base64.h"
#include "engine/image/png_codec.h"
#include "tests/support/golden.h"

namespace easel::test {

namespace fs = std::filesystem;
using nlohmann::json;

std::string makeModelsFolder(const std::string& dir)
{
    const fs::path models = fs::path(dir) / "models";
    auto copy = [&](const std::string& golden, const std::string& sub) {
        fs::create_directories(models / sub);
        const fs::path from = goldenPath("models/" + golden);
        fs::copy_file(from, models / sub / from.filename(), fs::copy_options::overwrite_existing);
    };
    copy("sd1_tiny.safetensors", "Stable-diffusion");
    copy("sd1_tiny.yaml", "Stable-diffusion");
    copy("lora_sd1_tiny.safetensors", "Lora");
    copy("controlnet_sd1_tiny.safetensors", "ControlNet");
    copy("vae_tiny_alt.safetensors", "VAE");
    fs::create_directories(fs::path(dir) / "embeddings");
    fs::copy_file(goldenPath("models/embedding_sd1_tiny.safetensors"), fs::path(dir) / "embeddings" / "embedding_sd1_tiny.safetensors",
                  fs::copy_options::overwrite_existing);
    return models.string();
}

json tinyTxt2img(int steps, std::int64_t seed)
{
    return {{"prompt", "example prompt"}, {"negative_prompt", ""}, {"sampler_index", "Euler a"}, {"steps", steps},
            {"cfg_scale", 7}, {"width", 64}, {"height", 64}, {"seed", seed}, {"batch_size", 1}, {"n_iter", 1},
            {"eta", 0}, {"styles", json::array()}, {"restore_faces", false}, {"tiling", false},
            {"subseed", -1}, {"subseed_strength", 0}, {"seed_resize_from_h", -1}, {"seed_resize_from_w", -1},
            {"denoising_strength", 0}, {"enable_hr", false}, {"s_churn", 0}, {"s_noise", 1}, {"s_tmax", 0}, {"s_tmin", 0}};
}

std::string pngDataUrl(int w, int h, bool mask)
{
    api::Image img;
    img.width = w;
    img.height = h;
    img.channels = 3;
    img.pixels.resize(size_t(w) * h * 3);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            unsigned char* p = &img.pixels[(size_t(y) * w + x) * 3];
            const bool inside = x > w / 4 && x < 3 * w / 4 && y > h / 4 && y < 3 * h / 4;
            p[0] = mask ? (inside ? 255 : 0) : static_cast<unsigned char>(x * 255 / std::max(1, w - 1));
            p[1] = mask ? p[0] : static_cast<unsigned char>(y * 255 / std::max(1, h - 1));
            p[2] = mask ? p[0] : 128;
        }
    return "data:image/png;base64," + core::base64Encode(image::encodePng(img));
}

std::string builtBinary(const std::string& name)
{
    // Tests live in <build>/tests, binaries in <build>/bin.
    return (fs::path(QCoreApplication::applicationDirPath().toStdString()).parent_path() / "bin" / name).string();
}

ServerProcess::ServerProcess(const std::vector<std::string>& extra, const std::string& modelsDir)
{
    m_dataDir = (fs::path(m_tmp.path().toStdString()) / "data").string();
    m_modelsDir = modelsDir.empty() ? makeModelsFolder(m_tmp.path().toStdString()) : modelsDir;
    QStringList args{"--listen", "127.0.0.1:0", "--models-dir", QString::fromStdString(m_modelsDir), "--data-dir",
                     QString::fromStdString(m_dataDir)};
    for (const auto& a : extra)
        args << QString::fromStdString(a);
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.start(QString::fromStdString(builtBinary("easel-server")), args);
    QElapsedTimer timer;
    timer.start();
    const QRegularExpression listening("listening on https?://[^:]+:(\\d+)");
    while (timer.elapsed() < 60000 && m_process.state() != QProcess::NotRunning) {
        m_process.waitForReadyRead(100);
        m_output += m_process.readAll().toStdString();
        const auto match = listening.match(QString::fromStdString(m_output));
        if (match.hasMatch()) {
            m_port = match.captured(1).toInt();
            break;
        }
    }
}

ServerProcess::~ServerProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(10000);
    }
}

std::unique_ptr<httplib::Client> ServerProcess::client(int readTimeoutSeconds) const
{
    auto c = std::make_unique<httplib::Client>("127.0.0.1", m_port);
    c->set_read_timeout(readTimeoutSeconds, 0);
    c->set_connection_timeout(30, 0);
    return c;
}

int ServerProcess::terminate(int waitMs)
{
    ::kill(static_cast<pid_t>(m_process.processId()), SIGTERM);
    if (!m_process.waitForFinished(waitMs))
        return -1;
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

std::string ServerProcess::output()
{
    m_output += m_process.readAll().toStdString();
    return m_output;
}

namespace {

JsonAnswer toAnswer(const httplib::Result& r)
{
    JsonAnswer a;
    if (!r)
        return a;
    a.status = r->status;
    a.raw = r->body;
    a.headers = r->headers;
    a.body = json::parse(r->body, nullptr, false);
    if (a.body.is_discarded())
        a.body = nullptr;
    return a;
}

} // namespace

JsonAnswer postJson(httplib::Client& client, const std::string& path, const json& body, const httplib::Headers& headers)
{
    return toAnswer(client.Post(path.c_str(), headers, body.dump(), "application/json"));
}

JsonAnswer getJson(httplib::Client& client, const std::string& path, const httplib::Headers& headers)
{
    return toAnswer(client.Get(path.c_str(), headers));
}

bool decodePngAnswer(const std::string& base64, int& width, int& height, std::string& parameters)
{
    const auto bytes = core::base64Decode(base64);
    if (!bytes)
        return false;
    try {
        const api::Image img = image::decodePng(*bytes);
        width = img.width;
        height = img.height;
        const auto text = image::readPngText(*bytes);
        const auto it = text.find("parameters");
        parameters = it == text.end() ? "" : it->second;
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

} // namespace easel::test
