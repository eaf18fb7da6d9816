// Bad input to easel-server: each gets a clear 4xx JSON answer, the server stays up and its queue
// stays consistent. Also the credentials: keys, Basic users, and refusing an open non-loopback
// listen.

#include <QtTest>

#include <fstream>

#include "engine/core/base64.h"
#include "tests/engine/io/checkpoint_builder.h"
#include "tests/server/server_harness.h"

using namespace easel;
using namespace easel::test;
using nlohmann::json;

namespace {

/// A PNG of 8 bytes of signature + an IHDR that claims w×h: a "decompression bomb" header.
std::string pngHeaderOnly(std::uint32_t w, std::uint32_t h)
{
    std::vector<unsigned char> b = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    for (std::uint32_t v : {w, h})
        for (int s = 24; s >= 0; s -= 8)
            b.push_back(static_cast<unsigned char>(v >> s));
    b.insert(b.end(), {8, 2, 0, 0, 0, 0, 0, 0, 0});
    return core::base64Encode(b);
}

} // namespace

class TestServerBadInput : public QObject {
    Q_OBJECT

    std::unique_ptr<ServerProcess> m_server;
    std::unique_ptr<httplib::Client> m_client;

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<ServerProcess>(std::vector<std::string>{"--max-body-mb", "1", "--max-pixels", "262144"});
        QVERIFY2(m_server->ok(), m_server->output().c_str());
        m_client = m_server->client();
    }

    void badRequestsGet4xxJson_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("field"); // "" = raw body below
        QTest::addColumn<QString>("value");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("malformed JSON") << "/sdapi/v1/txt2img" << "" << "{\"prompt\": " << 422 << "not valid JSON";
        QTest::newRow("not an object") << "/sdapi/v1/txt2img" << "" << "[1, 2]" << 422 << "JSON object";
        QTest::newRow("wrong type") << "/sdapi/v1/txt2img" << "steps" << "\"many\"" << 422 << "valid integer";
        QTest::newRow("unknown sampler") << "/sdapi/v1/txt2img" << "sampler_name" << "\"Euler z\"" << 422 << "DPM++ 2M";
        QTest::newRow("unknown scheduler") << "/sdapi/v1/txt2img" << "scheduler" << "\"wobbly\"" << 422 << "karras";
        QTest::newRow("negative size") << "/sdapi/v1/txt2img" << "width" << "-64" << 422 << "from 8 to 8192";
        QTest::newRow("huge size") << "/sdapi/v1/txt2img" << "width" << "60000" << 422 << "from 8 to 8192";
        QTest::newRow("over the pixel limit") << "/sdapi/v1/txt2img" << "height" << "8192" << 422 << "limit of 262144";
        QTest::newRow("steps 0") << "/sdapi/v1/txt2img" << "steps" << "0" << 422 << "from 1 to 1000";
        QTest::newRow("batch too big") << "/sdapi/v1/txt2img" << "batch_size" << "1000" << 422 << "batch_size";
        QTest::newRow("base64 garbage") << "/sdapi/v1/img2img" << "init_images" << "[\"%%%not base64%%%\"]" << 422 << "base64";
        QTest::newRow("not an image") << "/sdapi/v1/img2img" << "init_images" << "[\"aGVsbG8gd29ybGQ=\"]" << 422 << "PNG, JPEG or WebP";
        QTest::newRow("60000x60000 PNG header") << "/sdapi/v1/img2img" << "init_images"
                                                << QString::fromStdString("[\"" + pngHeaderOnly(60000, 60000) + "\"]") << 422 << "60000x60000";
        QTest::newRow("img2img without init") << "/sdapi/v1/img2img" << "init_images" << "[]" << 422 << "init_images";
        QTest::newRow("unknown model") << "/sdapi/v1/txt2img" << "override_settings" << "{\"sd_model_checkpoint\": \"nope\"}" << 422 << "sd1_tiny";
        QTest::newRow("path as model") << "/sdapi/v1/txt2img" << "override_settings"
                                       << "{\"sd_model_checkpoint\": \"../../etc/passwd\"}" << 422 << "../../etc/passwd";
        QTest::newRow("path as VAE") << "/sdapi/v1/txt2img" << "override_settings" << "{\"sd_vae\": \"/etc/passwd\"}" << 422 << "may not be paths";
        QTest::newRow("unknown script") << "/sdapi/v1/txt2img" << "script_name" << "\"x/y/z plot\"" << 422 << "not available";
        QTest::newRow("unknown ControlNet model") << "/sdapi/v1/txt2img" << "alwayson_scripts"
                                                  << "{\"controlnet\": {\"args\": [{\"model\": \"nope\", \"image\": \"\"}]}}" << 422 << "controlnet";
        QTest::newRow("native: path as init image") << "/easel/v1/jobs" << "request" << "{\"init_image\": \"/etc/passwd\"}" << 422 << "reads no files";
        QTest::newRow("native: path as model") << "/easel/v1/jobs" << "request" << "{\"model\": \"../../etc/passwd\"}" << 422 << "path";
        QTest::newRow("native: steps 0") << "/easel/v1/jobs" << "request" << "{\"steps\": 0}" << 422 << "steps";
    }

    void badRequestsGet4xxJson()
    {
        QFETCH(QString, path);
        QFETCH(QString, field);
        QFETCH(QString, value);
        QFETCH(int, status);
        QFETCH(QString, mentions);
        std::string body;
        if (field.isEmpty()) {
            body = value.toStdString();
        } else {
            json payload = tinyTxt2img(2);
            if (path.contains("img2img"))
                payload["init_images"] = {pngDataUrl(64, 64)};
            payload[field.toStdString()] = json::parse(value.toStdString());
            body = payload.dump();
        }
        const auto r = m_client->Post(path.toStdString().c_str(), body, "application/json");
        QVERIFY(r);
        QVERIFY2(r->status == status, (std::to_string(r->status) + " " + r->body).c_str());
        const json answer = json::parse(r->body, nullptr, false);
        QVERIFY2(!answer.is_discarded() && answer.contains("detail"), r->body.c_str());
        QVERIFY2(r->body.find(mentions.toStdString()) != std::string::npos, r->body.c_str());
    }

    void bodyOverTheLimitIs413Json()
    {
        const std::string big(2u << 20, 'x');
        const auto r = m_client->Post("/sdapi/v1/txt2img", "{\"prompt\": \"" + big + "\"}", "application/json");
        QVERIFY(r);
        QCOMPARE(r->status, 413);
        QVERIFY(r->body.find("--max-body-mb") != std::string::npos);
    }

    void serverStaysUpAndQueueEmpty()
    {
        QCOMPARE(getJson(*m_client, "/healthz").status, 200);
        const JsonAnswer jobs = getJson(*m_client, "/easel/v1/jobs");
        QCOMPARE(jobs.status, 200);
        QCOMPARE(jobs.body["jobs"].size(), size_t(0)); // nothing bad was queued
        QCOMPARE(postJson(*m_client, "/sdapi/v1/txt2img", tinyTxt2img(2)).status, 200);
    }

    void filesThatAreNotModelsAreRefusedWithTheReason()
    {
        // A pickle "memo bomb" without tensors beside the tiny checkpoint (issue 21): it is read
        // safely at the scan, not served as a model, and naming it gets a 422 that says why.
        QTemporaryDir dir;
        const std::string models = makeModelsFolder(dir.path().toStdString());
        const std::string bomb = easel::test::memoBombCheckpoint(40, 10);
        std::ofstream(models + "/Stable-diffusion/bomb.ckpt", std::ios::binary).write(bomb.data(), std::streamsize(bomb.size()));
        ServerProcess server({}, models);
        QVERIFY2(server.ok(), server.output().c_str());
        auto client = server.client();

        const JsonAnswer listed = getJson(*client, "/sdapi/v1/sd-models");
        QCOMPARE(listed.status, 200);
        QVERIFY(listed.raw.find("sd1_tiny") != std::string::npos);
        QVERIFY2(listed.raw.find("bomb") == std::string::npos, listed.raw.c_str());

        json payload = tinyTxt2img();
        payload["override_settings"] = {{"sd_model_checkpoint", "bomb"}};
        const JsonAnswer a1111 = postJson(*client, "/sdapi/v1/txt2img", payload);
        QCOMPARE(a1111.status, 422);
        QVERIFY2(a1111.raw.find("no tensors") != std::string::npos, a1111.raw.c_str());
        QVERIFY2(a1111.raw.find(models) == std::string::npos, a1111.raw.c_str()); // no server paths

        const JsonAnswer native = postJson(*client, "/easel/v1/jobs",
                                           {{"request", {{"model", "bomb"}, {"prompt", "x"}, {"steps", 1}}}});
        QCOMPARE(native.status, 422);
        QVERIFY2(native.body.value("detail", json()).dump().find("no tensors") != std::string::npos, native.raw.c_str());

        const JsonAnswer options = postJson(*client, "/sdapi/v1/options", {{"sd_model_checkpoint", "bomb"}});
        QCOMPARE(options.status, 422);
        QVERIFY2(options.raw.find("no tensors") != std::string::npos, options.raw.c_str());
        QCOMPARE(server.terminate(), 0);
    }

    void keysAndBasicUsers()
    {
        QTemporaryDir dir;
        const std::string keyFile = dir.filePath("keys").toStdString();
        std::ofstream(keyFile) << "# keys\nalice:alice-key-0123456789abcdef\nbob-key-0123456789abcdef\n";
        ServerProcess server({"--api-key-file", keyFile, "--api-auth", "carol:secret-pass"});
        QVERIFY2(server.ok(), server.output().c_str());
        auto c = server.client();
        QCOMPARE(getJson(*c, "/healthz").status, 200); // probes stay open
        const JsonAnswer none = getJson(*c, "/sdapi/v1/sd-models");
        QCOMPARE(none.status, 401);
        QVERIFY(none.body["detail"].get<std::string>().find("Bearer") != std::string::npos);
        QCOMPARE(getJson(*c, "/sdapi/v1/sd-models", {{"Authorization", "Bearer wrong-key-0123456789"}}).status, 401);
        QCOMPARE(getJson(*c, "/sdapi/v1/sd-models", {{"Authorization", "Bearer alice-key-0123456789abcdef"}}).status, 200);
        QCOMPARE(getJson(*c, "/sdapi/v1/sd-models", {{"X-API-Key", "bob-key-0123456789abcdef"}}).status, 200);
        c->set_basic_auth("carol", "secret-pass");
        QCOMPARE(getJson(*c, "/sdapi/v1/sd-models").status, 200);
        c->set_basic_auth("carol", "wrong");
        QCOMPARE(getJson(*c, "/sdapi/v1/sd-models").status, 401);

        // A job of alice's is not bob's to see or cancel.
        auto anon = server.client();
        json submit{{"request", {{"prompt", "x"}, {"steps", 2}, {"width", 64}, {"height", 64}}}};
        const JsonAnswer job = postJson(*anon, "/easel/v1/jobs", submit, {{"Authorization", "Bearer alice-key-0123456789abcdef"}});
        QCOMPARE(job.status, 202);
        const std::string path = "/easel/v1/jobs/" + job.body["id"].get<std::string>();
        QCOMPARE(getJson(*anon, path, {{"X-API-Key", "bob-key-0123456789abcdef"}}).status, 404);
        QCOMPARE(getJson(*anon, path, {{"X-API-Key", "alice-key-0123456789abcdef"}}).status, 200);
    }

    void refusesAnOpenNonLoopbackListen()
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        QTemporaryDir dir;
        p.start(QString::fromStdString(builtBinary("easel-server")),
                {"--listen", "0.0.0.0:0", "--data-dir", dir.path(), "--no-scan"});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 1);
        QVERIFY(p.readAll().contains("--api-key-file"));
    }
};

QTEST_GUILESS_MAIN(TestServerBadInput)
#include "test_server_bad_input.moc"
