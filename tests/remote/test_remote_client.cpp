// The studio's client of easel-server (app/remote) without the server: the event-stream parser, the
// JSON of the contract, addresses, and ServerClient / RemoteGenerator against a small stand-in
// server (cpp-httplib) that answers as the contract says — errors (401, 503, 422, unreachable), a
// job's stream with a preview and an image, and a stream that breaks off before `done`.

#include <QtTest>

#include <httplib.h>

#include <atomic>
#include <thread>

#include "app/remote/remote_generator.h"
#include "app/remote/server_client.h"
#include "app/remote/sse_parser.h"
#include "engine/api/error.h"
#include "engine/core/base64.h"
#include "engine/image/png_codec.h"

using namespace easel;

namespace {

api::Image solid(int w, int h, std::uint8_t value)
{
    api::Image image;
    image.width = w;
    image.height = h;
    image.pixels.assign(std::size_t(w) * h * 3, value);
    return image;
}

std::string pngOf(const api::Image& image)
{
    const auto bytes = image::encodePng(image);
    return std::string(bytes.begin(), bytes.end());
}

/// A stand-in server on a free loopback port, serving on its own thread.
struct FakeServer {
    httplib::Server http;
    int port = 0;
    std::thread thread;

    void start()
    {
        port = http.bind_to_any_port("127.0.0.1");
        thread = std::thread([this] { http.listen_after_bind(); });
        while (!http.is_running())
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ~FakeServer()
    {
        http.stop();
        if (thread.joinable())
            thread.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
};

std::string errorOf(const std::function<void()>& call, api::ErrorCode* code = nullptr)
{
    try {
        call();
    } catch (const api::Error& e) {
        if (code)
            *code = e.code();
        return e.what();
    }
    return {};
}

const char* kJobJson = R"({"id":"17","state":"running","progress":{"stage":"sampling","step":1,"total_steps":2,
    "image_index":0,"image_count":1,"fraction":0.5,"eta_seconds":null,"seconds_per_step":0.1},"images":[],
    "warnings":[],"error":null,"queued_seconds":0,"run_seconds":0.2})";

std::string doneJson(const std::string& state)
{
    return R"({"id":"17","state":")" + state +
        R"(","progress":{"stage":"decoding","step":2,"total_steps":2},"images":[{"index":0,"seed":42,
           "width":8,"height":8,"infotext":"a cat\nSteps: 2, Seed: 42","url":"/easel/v1/jobs/17/images/0"}],
           "warnings":["rounded"],"error":null,"queued_seconds":0,"run_seconds":1.5})";
}

} // namespace

class TestRemoteClient : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sseEventsSurviveAnySplit()
    {
        const std::string stream = ": ping\r\nevent: progress\r\ndata: {\"step\":1}\r\n\r\n"
                                   "data: line one\ndata: line two\n\n"
                                   "event: done\rdata: {}\r\r"
                                   "event: nodata\n\n";
        // Fed whole and byte by byte (a CRLF split between chunks is one line end).
        for (bool bytewise : { false, true }) {
            remote::SseParser parser;
            std::vector<remote::SseEvent> events;
            if (bytewise) {
                for (char c : stream)
                    for (auto& e : parser.feed(std::string_view(&c, 1)))
                        events.push_back(e);
            } else {
                events = parser.feed(stream);
            }
            QCOMPARE(events.size(), std::size_t(3)); // the comment and the event without data are not events
            QCOMPARE(events[0].type, std::string("progress"));
            QCOMPARE(events[0].data, std::string("{\"step\":1}"));
            QCOMPARE(events[1].type, std::string("message"));
            QCOMPARE(events[1].data, std::string("line one\nline two"));
            QCOMPARE(events[2].type, std::string("done"));
        }
    }

    void jsonOfTheContract()
    {
        const remote::ServerJob job = remote::parseJob(doneJson("done"));
        QCOMPARE(job.id, std::string("17"));
        QVERIFY(job.finished());
        QCOMPARE(job.images.size(), std::size_t(1));
        QCOMPARE(job.images[0].seed, std::int64_t(42));
        QCOMPARE(job.images[0].url, std::string("/easel/v1/jobs/17/images/0"));
        QCOMPARE(job.warnings, std::vector<std::string> { "rounded" });
        const remote::ServerJob running = remote::parseJob(kJobJson); // nulls read as defaults
        QCOMPARE(running.progress.totalSteps, 2);
        QCOMPARE(running.progress.etaSeconds, 0.0);
        QVERIFY(!running.finished());

        const auto nets = remote::parseControlNets(R"({"model_list":["control_canny [d14c016b]","plain"]})");
        QCOMPARE(nets.size(), std::size_t(2));
        QCOMPARE(nets[0].name, std::string("control_canny"));
        QCOMPARE(nets[0].hash, std::string("d14c016b"));
        QCOMPARE(nets[1].name, std::string("plain"));
        const auto models = remote::parseCheckpoints(
            R"([{"title":"sd1_tiny.safetensors [abcdef0123]","model_name":"sd1_tiny","hash":null,"sha256":null,"filename":"/m/sd1_tiny.safetensors","config":null}])");
        QCOMPARE(models.at(0).name, std::string("sd1_tiny"));
        QCOMPARE(models.at(0).hash, std::string());

        QCOMPARE(remote::errorDetail(R"({"detail":"no such job"})"), std::string("no such job"));
        QCOMPARE(
            remote::errorDetail(
                R"({"detail":[{"loc":["body","request","width"],"msg":"must be a multiple of 8","type":"value_error"}]})"),
            std::string("width: must be a multiple of 8"));
        QCOMPARE(remote::errorDetail("Bad Gateway"), std::string("Bad Gateway"));
        QCOMPARE(remote::errorCodeFromName("invalid_request"), api::ErrorCode::InvalidRequest);
        QCOMPARE(remote::stageFromName("decoding"), api::Stage::Decoding);

        // The submission carries the request exactly as api::toJson writes it.
        api::GenerationRequest request;
        request.prompt = "a cat";
        request.model = "sd1_tiny";
        const std::string body = remote::jobSubmission(request, 2, "t");
        QVERIFY(body.find("\"previews\":2") != std::string::npos);
        QVERIFY(body.find("\"save\":false") != std::string::npos);
        QVERIFY(body.find("\"prompt\":\"a cat\"") != std::string::npos);
    }

    void addresses()
    {
        QCOMPARE(remote::parseServerAddress(" gpu-box:7860/ ").display, std::string("http://gpu-box:7860"));
        const auto proxied = remote::parseServerAddress("HTTPS://easel.example.org/studio/");
        QCOMPARE(proxied.schemeHostPort, std::string("https://easel.example.org"));
        QCOMPARE(proxied.basePath, std::string("/studio"));
        api::ErrorCode code {};
        QVERIFY(errorOf([] { remote::parseServerAddress("ftp://x"); }, &code).find("Settings → Engine")
            != std::string::npos);
        QCOMPARE(code, api::ErrorCode::InvalidRequest);
        QVERIFY(!errorOf([] { remote::parseServerAddress(""); }).empty());
    }

    void errorsSayWhatToDo()
    {
        FakeServer server;
        server.http.Get("/sdapi/v1/sd-models", [](const httplib::Request& req, httplib::Response& res) {
            if (req.get_header_value("Authorization") != "Bearer right") {
                res.status = 401;
                res.set_content(R"({"detail":"invalid API key"})", "application/json");
                return;
            }
            res.set_content("[]", "application/json");
        });
        server.http.Post("/easel/v1/jobs", [](const httplib::Request& req, httplib::Response& res) {
            if (req.body.find("\"width\":63") != std::string::npos) {
                res.status = 422;
                res.set_content(
                    R"({"detail":[{"loc":["body","request","width"],"msg":"must be a multiple of 8","type":"value_error"}]})",
                    "application/json");
                return;
            }
            res.status = 503;
            res.set_header("Retry-After", "7");
            res.set_content(R"({"detail":"the queue is full"})", "application/json");
        });
        server.start();

        remote::ServerClient wrongKey({ server.url(), "wrong" });
        api::ErrorCode code {};
        std::string message = errorOf([&] { wrongKey.checkpoints(); }, &code);
        QVERIFY2(message.find("refused the API key (invalid API key)") != std::string::npos, message.c_str());
        QVERIFY(message.find("Settings → Engine") != std::string::npos);

        remote::ServerClient client({ server.url(), "right" });
        QVERIFY(client.checkpoints().empty());
        api::GenerationRequest request;
        message = errorOf([&] { client.submit(request, 0, {}); }, &code);
        QCOMPARE(code, api::ErrorCode::Busy);
        QVERIFY2(message.find("is busy (the queue is full); try again in 7 s") != std::string::npos, message.c_str());
        request.width = 63;
        message = errorOf([&] { client.submit(request, 0, {}); }, &code);
        QCOMPARE(code, api::ErrorCode::InvalidRequest);
        QVERIFY2(
            message.find("refused the request: width: must be a multiple of 8") != std::string::npos, message.c_str());

        const std::string url = server.url();
        server.http.stop();
        server.thread.join();
        message = errorOf([&] { remote::ServerClient({ url, "" }).checkConnection(); });
        QVERIFY2(message.find("cannot reach the Easel server at " + url) != std::string::npos, message.c_str());
        QVERIFY(message.find("check the address in Settings → Engine") != std::string::npos);
    }

    void generatorFollowsTheStream()
    {
        FakeServer server;
        std::atomic<bool> breakStream { false };
        std::string submitted;
        server.http.Post("/easel/v1/jobs", [&](const httplib::Request& req, httplib::Response& res) {
            submitted = req.body;
            res.status = 202;
            res.set_content(R"({"id":"17","state":"queued","links":{}})", "application/json");
        });
        server.http.Get("/easel/v1/jobs/17/events", [&](const httplib::Request&, httplib::Response& res) {
            std::string body = "event: state\ndata: {\"id\":\"17\",\"state\":\"queued\"}\n\n"
                               ": ping\n\nevent: started\ndata: {}\n\n";
            body += "event: progress\ndata: {\"stage\":\"sampling\",\"step\":1,\"total_steps\":2,\"preview\":\""
                + core::base64Encode(image::encodePng(solid(4, 4, 9))) + "\"}\n\n";
            if (!breakStream) {
                body += std::string("event: image\ndata: ") + R"({"index":0,"seed":42,"width":8,"height":8,)"
                    + R"("infotext":"a cat\nSteps: 2, Seed: 42","url":"/easel/v1/jobs/17/images/0"})" + "\n\n";
                std::string done = doneJson("done");
                std::erase(done, '\n');
                body += "event: done\ndata: " + done + "\n\n";
            }
            res.set_content(body, "text/event-stream");
        });
        server.http.Get("/easel/v1/jobs/17", [](const httplib::Request&, httplib::Response& res) {
            res.set_content(doneJson("done"), "application/json");
        });
        server.http.Get("/easel/v1/jobs/17/images/0", [](const httplib::Request&, httplib::Response& res) {
            res.set_content(pngOf(solid(8, 8, 200)), "image/png");
        });
        server.start();

        for (bool broken : { false, true }) {
            breakStream = broken;
            remote::RemoteGenerator generator({ server.url(), "k" });
            std::vector<api::Progress> reports;
            std::vector<api::GeneratedImage> images;
            api::GenerateOptions options;
            options.previewEverySteps = 1;
            options.progress = [&](const api::Progress& p) { reports.push_back(p); };
            options.imageReady = [&](const api::GeneratedImage& image, int index) {
                QCOMPARE(index, 0);
                images.push_back(image);
            };
            api::GenerationRequest request;
            request.prompt = "a cat";
            const api::GenerationResult result = generator.generate(request, options);
            QVERIFY(submitted.find("\"previews\":1") != std::string::npos);
            QCOMPARE(reports.size(), std::size_t(1));
            QVERIFY(reports[0].preview && reports[0].preview->width == 4);
            QCOMPARE(reports[0].totalSteps, 2);
            // Without `done` the image comes from the job's final state all the same.
            QCOMPARE(images.size(), std::size_t(1));
            QCOMPARE(images[0].seed, std::int64_t(42));
            QCOMPARE(images[0].infotext, std::string("a cat\nSteps: 2, Seed: 42"));
            QCOMPARE(images[0].image.width, 8);
            QCOMPARE(int(images[0].image.pixels.at(0)), 200);
            QCOMPARE(result.firstSeed, std::int64_t(42));
            QCOMPARE(generator.warnings(), std::vector<std::string> { "rounded" });
        }
    }

    void filePicturesTravelAsPixels()
    {
        FakeServer server;
        std::string submitted;
        server.http.Post("/easel/v1/jobs", [&](const httplib::Request& req, httplib::Response& res) {
            submitted = req.body;
            res.status = 422;
            res.set_content(R"({"detail":"stop here"})", "application/json");
        });
        server.start();
        std::vector<std::string> read;
        remote::RemoteGenerator generator({ server.url(), "" }, [&](const std::string& path) {
            read.push_back(path);
            return solid(8, 8, 1);
        });
        api::GenerationRequest request;
        request.initImage = "/home/me/in.png";
        request.controlNets.push_back({});
        request.controlNets[0].image = "/home/me/edges.png";
        QVERIFY(!errorOf([&] { generator.generate(request, {}); }).empty());
        QCOMPARE(read, (std::vector<std::string> { "/home/me/in.png", "/home/me/edges.png" }));
        QVERIFY(submitted.find("/home/me") == std::string::npos); // no local path reaches the server
    }
};

QTEST_GUILESS_MAIN(TestRemoteClient)
#include "test_remote_client.moc"
