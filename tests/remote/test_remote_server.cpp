// The studio's client of easel-server against the real server (tests/remote/server_process.h): the
// connection check and the listings, the messages for a wrong key and a server that is down, a job
// run through GenerationService with the RemoteGenerator — each image saved in the local output
// folder with its A1111 parameters and recorded in the local catalog, previews on the way — a cancel
// mid-job, and a request the server refuses.

#include <QtTest>

#include <QTemporaryDir>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>

#include "app/remote/remote_generator.h"
#include "app/remote/server_client.h"
#include "engine/api/error.h"
#include "engine/api/image_files.h"
#include "engine/catalog/database.h"
#include "engine/catalog/gallery.h"
#include "engine/service/generation_service.h"
#include "tests/remote/server_process.h"

using namespace easel;

namespace {

bool hasName(const std::vector<remote::ServerModel>& models, const std::string& name)
{
    return std::any_of(models.begin(), models.end(), [&](const remote::ServerModel& m) { return m.name == name; });
}

api::GenerationRequest tinyRequest(int steps)
{
    api::GenerationRequest request;
    request.prompt = "a red apple";
    request.model = "sd1_tiny";
    request.width = request.height = 64;
    request.steps = steps;
    request.sampler = "Euler";
    request.seed = 7;
    request.rng = api::RngSource::Cpu;
    return request;
}

std::string messageOf(const std::function<void()>& call)
{
    try {
        call();
    } catch (const api::Error& e) {
        return e.what();
    }
    return {};
}

} // namespace

class TestRemoteServer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        if (!QFile::exists(test::ServerProcess::binary()))
            QFAIL(qPrintable("no easel-server at " + test::ServerProcess::binary()));
        QVERIFY2(m_server.start(m_dir.path()), qPrintable(m_server.error()));
        m_config = { m_server.url().toStdString(), test::ServerProcess::kApiKey };
    }

    void connectsAndLists()
    {
        const remote::ServerClient client(m_config);
        client.checkConnection();
        QVERIFY(hasName(client.checkpoints(), "sd1_tiny"));
        QVERIFY(hasName(client.loras(), "lora_sd1_tiny"));
        QVERIFY(!client.controlNets().empty());
        QVERIFY(!client.samplers().empty());
    }

    void wrongKeyIsNamed()
    {
        std::string message = messageOf([&] { remote::ServerClient({ m_config.url, "wrong-key" }).checkConnection(); });
        qInfo("wrong key: %s", message.c_str());
        QVERIFY2(message.find("refused the API key") != std::string::npos, message.c_str());
        QVERIFY(message.find("check the key in Settings → Engine") != std::string::npos);
        message = messageOf([&] { remote::ServerClient({ m_config.url, "" }).checkConnection(); });
        QVERIFY2(message.find("needs an API key") != std::string::npos, message.c_str());
        QVERIFY(message.find("enter it in Settings → Engine") != std::string::npos);
    }

    void serverDownIsNamed()
    {
        const std::string url = "http://127.0.0.1:" + std::to_string(test::freeLoopbackPort());
        const std::string message = messageOf([&] { remote::ServerClient({ url, "k" }).checkConnection(); });
        qInfo("server down: %s", message.c_str());
        QVERIFY2(message.find("cannot reach the Easel server at " + url) != std::string::npos, message.c_str());
        QVERIFY(message.find("check the address in Settings → Engine") != std::string::npos);
    }

    void imagesAreSavedAndRecordedHere()
    {
        const QString out = m_dir.filePath("out"), catalogPath = m_dir.filePath("catalog.sqlite");
        service::ServiceConfig config;
        config.outputFolder = out.toStdString();
        config.catalogPath = catalogPath.toStdString();
        config.generator = std::make_shared<remote::RemoteGenerator>(m_config);
        service::GenerationService service(std::move(config));
        std::atomic<int> previews { 0 };
        service.subscribe([&](const service::JobEvent& e) {
            if (e.kind == service::JobEventKind::Progress && e.progress.preview)
                ++previews;
        });
        service::JobOptions options;
        options.previewEverySteps = 1;
        const service::JobId id = service.submit(tinyRequest(2), options);
        const auto done = service.waitFor(id, std::chrono::minutes(5));
        QVERIFY(done);
        QVERIFY2(done->state == service::JobState::Done, done->error.c_str());
        QCOMPARE(done->images.size(), std::size_t(1));
        const service::JobImage& image = done->images[0];
        QVERIFY(QString::fromStdString(image.path).startsWith(out));
        QVERIFY(QFile::exists(QString::fromStdString(image.path)));
        QCOMPARE(image.image.seed, std::int64_t(7));
        const std::string parameters = api::readParametersText(image.path);
        QVERIFY2(parameters.find("Seed: 7") != std::string::npos, parameters.c_str());
        QVERIFY(parameters.rfind("a red apple", 0) == 0);
        QCOMPARE(api::readImage(image.path).width, 64);
        QVERIFY(previews > 0);
        QVERIFY(image.catalogId > 0);
        catalog::Database db(catalogPath.toStdString());
        const auto rows = catalog::Gallery(db).search({});
        QCOMPARE(rows.size(), std::size_t(1));
        QCOMPARE(rows[0].path, image.path);
        QCOMPARE(rows[0].seed, std::int64_t(7));
        QCOMPARE(rows[0].prompt, std::string("a red apple"));
    }

    void cancelStopsTheServerJob()
    {
        service::ServiceConfig config;
        config.outputFolder = m_dir.filePath("cancelled").toStdString();
        config.generator = std::make_shared<remote::RemoteGenerator>(m_config);
        service::GenerationService service(std::move(config));
        std::atomic<int> step { 0 };
        service.subscribe([&](const service::JobEvent& e) {
            if (e.kind == service::JobEventKind::Progress)
                step = e.progress.step;
        });
        const service::JobId id = service.submit(tinyRequest(1000));
        QTRY_VERIFY_WITH_TIMEOUT(step > 0, 60000);
        QVERIFY(service.cancel(id));
        const auto done = service.waitFor(id, std::chrono::seconds(60));
        QVERIFY(done);
        QCOMPARE(done->state, service::JobState::Cancelled);
        QVERIFY(done->progress.step < 1000);
        QVERIFY(done->images.empty());
        // The server's own job was cancelled, not left running.
        httplib::Client http(m_config.url);
        const auto listing = http.Get("/easel/v1/jobs", { { "Authorization", "Bearer " + m_config.apiKey } });
        QVERIFY(listing && listing->status == 200);
        const auto jobs = nlohmann::json::parse(listing->body).at("jobs");
        QVERIFY(!jobs.empty());
        QCOMPARE(jobs.back().at("state").get<std::string>(), std::string("cancelled"));
        // The server is free again: the next job runs.
        const service::JobId next = service.submit(tinyRequest(1));
        const auto after = service.waitFor(next, std::chrono::minutes(5));
        QVERIFY(after);
        QVERIFY2(after->state == service::JobState::Done, after->error.c_str());
    }

    void refusedRequestSaysWhy()
    {
        service::ServiceConfig config;
        config.generator = std::make_shared<remote::RemoteGenerator>(m_config);
        service::GenerationService service(std::move(config));
        api::GenerationRequest request = tinyRequest(1);
        request.model = "no_such_model";
        const auto done = service.waitFor(service.submit(request), std::chrono::minutes(1));
        QVERIFY(done);
        QCOMPARE(done->state, service::JobState::Failed);
        qInfo("refused: %s", done->error.c_str());
        QVERIFY2(done->error.find("no_such_model") != std::string::npos, done->error.c_str());
    }

private:
    QTemporaryDir m_dir;
    test::ServerProcess m_server;
    remote::ServerConfig m_config;
};

QTEST_GUILESS_MAIN(TestRemoteServer)
#include "test_remote_server.moc"
