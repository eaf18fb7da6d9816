// easel-server under real use: the async jobs API with Server-Sent Events, 20 concurrent clients,
// interrupting a running job, a full queue answering 503 with Retry-After, draining on SIGTERM, a
// slow-loris client, Prometheus metrics that promtool accepts, and the same image bytes as
// `easel-cli generate` for the same settings.

#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <set>
#include <thread>

#include "engine/core/base64.h"
#include "tests/server/server_harness.h"

using namespace easel;
using namespace easel::test;
using nlohmann::json;

namespace {

json nativeJob(int steps, int previews = 0, std::int64_t seed = 3)
{
    return {{"request", {{"prompt", "a lighthouse"}, {"steps", steps}, {"width", 64}, {"height", 64}, {"seed", seed},
                         {"sampler", "Euler"}}},
            {"previews", previews}};
}

/// Polls until the job runs (sampling has begun) or `ms` pass.
bool waitRunning(httplib::Client& c, const std::string& path, int ms = 60000)
{
    for (int waited = 0; waited < ms; waited += 20) {
        const JsonAnswer j = getJson(c, path);
        if (j.status == 200 && j.body["state"] == "running" && j.body["progress"]["step"].get<int>() > 0)
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

/// A raw TCP connection to the server (for the slow-loris client).
int connectTo(int port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

} // namespace

class TestServerJobs : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void asyncJobWithEventsImagesAndCancel()
    {
        ServerProcess server;
        QVERIFY2(server.ok(), server.output().c_str());
        auto c = server.client();
        const JsonAnswer queued = postJson(*c, "/easel/v1/jobs", nativeJob(6, 2));
        QVERIFY2(queued.status == 202, queued.raw.c_str());
        const std::string path = "/easel/v1/jobs/" + queued.body["id"].get<std::string>();
        QCOMPARE(queued.headers.find("Location")->second, path);

        std::vector<std::string> events;
        std::string buffer;
        auto sse = server.client();
        sse->Get((path + "/events").c_str(), [&](const char* data, size_t size) {
            buffer.append(data, size);
            for (size_t end; (end = buffer.find("\n\n")) != std::string::npos; buffer.erase(0, end + 2))
                if (buffer.rfind("event: ", 0) == 0)
                    events.push_back(buffer.substr(7, buffer.find('\n') - 7));
            return true;
        });
        QVERIFY(!events.empty());
        QCOMPARE(events.front(), std::string("state"));
        QCOMPARE(events.back(), std::string("done"));
        QVERIFY(std::count(events.begin(), events.end(), "progress") >= 3);
        QCOMPARE(std::count(events.begin(), events.end(), "image"), 1L);

        const JsonAnswer done = getJson(*c, path);
        QCOMPARE(done.body["state"].get<std::string>(), std::string("done"));
        const auto png = c->Get((path + "/images/0").c_str());
        QVERIFY(png && png->status == 200);
        QCOMPARE(png->get_header_value("Content-Type"), std::string("image/png"));
        QVERIFY(png->body.find("parameters") != std::string::npos);
        QCOMPARE(c->Get((path + "/images/5").c_str())->status, 404);

        // A long job cancelled mid-run; the job list stays consistent.
        const JsonAnswer longJob = postJson(*c, "/easel/v1/jobs", nativeJob(1000));
        const std::string longPath = "/easel/v1/jobs/" + longJob.body["id"].get<std::string>();
        QVERIFY(waitRunning(*c, longPath));
        const auto cancelled = c->Delete(longPath.c_str());
        QVERIFY(cancelled && cancelled->status == 200);
        QCOMPARE(json::parse(cancelled->body)["state"].get<std::string>(), std::string("cancelled"));
        QCOMPARE(getJson(*c, "/easel/v1/jobs/999999").status, 404);
        QCOMPARE(getJson(*c, "/easel/v1/openapi.json").body["openapi"].get<std::string>(), std::string("3.0.3"));
    }

    void cancelMidBatchKeepsTheFinishedImages()
    {
        // Issue 21: a saved job's images are written as they are decoded; DELETE after the first
        // `image` event stops the batch and the job, cancelled, still lists and serves them.
        ServerProcess server;
        QVERIFY2(server.ok(), server.output().c_str());
        auto c = server.client();
        json job = nativeJob(4);
        job["request"]["batch_count"] = 200;
        job["save"] = true;
        const JsonAnswer queued = postJson(*c, "/easel/v1/jobs", job);
        QVERIFY2(queued.status == 202, queued.raw.c_str());
        const std::string path = "/easel/v1/jobs/" + queued.body["id"].get<std::string>();
        const std::string outputs = server.dataDir() + "/outputs";

        bool firstFileThere = false, deleted = false;
        std::string buffer, last;
        auto sse = server.client();
        auto canceller = server.client();
        sse->Get((path + "/events").c_str(), [&](const char* data, size_t size) {
            buffer.append(data, size);
            for (size_t end; (end = buffer.find("\n\n")) != std::string::npos; buffer.erase(0, end + 2)) {
                if (buffer.rfind("event: ", 0) != 0)
                    continue;
                last = buffer.substr(7, buffer.find('\n') - 7);
                if (last == "image" && !deleted) {
                    std::error_code ec;
                    for (const auto& f : std::filesystem::recursive_directory_iterator(outputs, ec))
                        firstFileThere = firstFileThere || f.path().extension() == ".png";
                    const auto answer = canceller->Delete(path.c_str());
                    deleted = answer && answer->status == 200;
                }
            }
            return true;
        });
        QVERIFY(firstFileThere); // on disk when the server announced it, 199 images before the end
        QVERIFY(deleted);
        QCOMPARE(last, std::string("done"));

        const JsonAnswer ended = getJson(*c, path);
        QCOMPARE(ended.body["state"].get<std::string>(), std::string("cancelled"));
        const auto& images = ended.body["images"];
        QVERIFY2(!images.empty() && images.size() < 200, ended.raw.substr(0, 300).c_str());
        for (const auto& image : images) {
            const auto png = c->Get(image["url"].get<std::string>().c_str());
            QVERIFY(png && png->status == 200);
        }
        size_t files = 0;
        for (const auto& f : std::filesystem::recursive_directory_iterator(outputs))
            files += f.is_regular_file() ? 1 : 0;
        QCOMPARE(files, images.size()); // each finished image saved, no temp files left
    }

    void twentyConcurrentClients()
    {
        ServerProcess server({"--queue-depth", "32"});
        QVERIFY2(server.ok(), server.output().c_str());
        std::vector<std::future<JsonAnswer>> answers;
        for (int i = 0; i < 20; ++i)
            answers.push_back(std::async(std::launch::async, [&server, i] {
                auto c = server.client(300);
                return postJson(*c, "/sdapi/v1/txt2img", tinyTxt2img(2, 100 + i));
            }));
        std::set<long long> seeds;
        for (auto& f : answers) {
            const JsonAnswer a = f.get();
            QVERIFY2(a.status == 200, a.raw.substr(0, 300).c_str());
            seeds.insert(json::parse(a.body["info"].get<std::string>())["seed"].get<long long>());
        }
        QCOMPARE(seeds.size(), size_t(20)); // each client got its own image
    }

    void interruptMidJobKeepsWhatWasFinished()
    {
        ServerProcess server;
        QVERIFY2(server.ok(), server.output().c_str());
        auto pending = std::async(std::launch::async, [&server] {
            auto c = server.client(300);
            json payload = tinyTxt2img(1000);
            payload["n_iter"] = 3;
            return postJson(*c, "/sdapi/v1/txt2img", payload);
        });
        auto c = server.client();
        bool sampling = false;
        for (int i = 0; i < 3000 && !sampling; ++i) {
            const JsonAnswer p = getJson(*c, "/sdapi/v1/progress");
            sampling = p.body["state"]["sampling_step"].get<int>() > 0;
            if (!sampling)
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        QVERIFY(sampling);
        const JsonAnswer p = getJson(*c, "/sdapi/v1/progress");
        QVERIFY(p.body["progress"].get<double>() > 0);
        QVERIFY(p.body["state"]["job_count"].get<int>() >= 1);
        QCOMPARE(postJson(*c, "/sdapi/v1/interrupt", json::object()).status, 200);
        const JsonAnswer a = pending.get();
        QCOMPARE(a.status, 200); // as A1111: the call returns with what was finished
        QVERIFY(a.body["images"].size() < 3);
        QVERIFY(json::parse(a.body["info"].get<std::string>())["interrupted"].get<bool>());
        QCOMPARE(postJson(*c, "/sdapi/v1/txt2img", tinyTxt2img(2)).status, 200); // and goes on serving
    }

    void fullQueueAnswers503WithRetryAfter()
    {
        ServerProcess server({"--queue-depth", "1"});
        QVERIFY2(server.ok(), server.output().c_str());
        auto c = server.client();
        const JsonAnswer running = postJson(*c, "/easel/v1/jobs", nativeJob(1000));
        QVERIFY(waitRunning(*c, "/easel/v1/jobs/" + running.body["id"].get<std::string>()));
        QCOMPARE(postJson(*c, "/easel/v1/jobs", nativeJob(2)).status, 202); // takes the one queue place
        const JsonAnswer full = postJson(*c, "/easel/v1/jobs", nativeJob(2));
        QCOMPARE(full.status, 503);
        QVERIFY(full.headers.count("Retry-After"));
        QCOMPARE(postJson(*c, "/sdapi/v1/txt2img", tinyTxt2img(2)).status, 503);
        QCOMPARE(getJson(*c, "/readyz").status, 503);
        QCOMPARE(getJson(*c, "/healthz").status, 200);
        c->Delete(("/easel/v1/jobs/" + running.body["id"].get<std::string>()).c_str());
    }

    void sigtermDrainsThenExitsZero()
    {
        ServerProcess server;
        QVERIFY2(server.ok(), server.output().c_str());
        auto c = server.client();
        json job = nativeJob(40);
        job["save"] = true;
        const JsonAnswer running = postJson(*c, "/easel/v1/jobs", job);
        const std::string path = "/easel/v1/jobs/" + running.body["id"].get<std::string>();
        QVERIFY(waitRunning(*c, path));
        ::kill(static_cast<pid_t>(server.process().processId()), SIGTERM);
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        const JsonAnswer refused = postJson(*c, "/easel/v1/jobs", nativeJob(2));
        QCOMPARE(refused.status, 503); // new work is refused while the running job finishes
        QCOMPARE(getJson(*c, "/readyz").status, 503);
        QVERIFY(server.process().waitForFinished(600000));
        QCOMPARE(server.process().exitCode(), 0);
        // The job that was running when SIGTERM came finished and saved its image.
        int pngs = 0;
        for (const auto& e : std::filesystem::recursive_directory_iterator(server.dataDir() + "/outputs"))
            pngs += e.path().extension() == ".png";
        QCOMPARE(pngs, 1);
    }

    void slowLorisIsDroppedWhileOthersAreServed()
    {
        ServerProcess server({"--read-timeout", "2"});
        QVERIFY2(server.ok(), server.output().c_str());
        std::vector<int> slow;
        for (int i = 0; i < 16; ++i) {
            const int fd = connectTo(server.port());
            QVERIFY(fd >= 0);
            const std::string partial = "POST /sdapi/v1/txt2img HTTP/1.1\r\nHost: x\r\nContent-Len";
            QVERIFY(::send(fd, partial.data(), partial.size(), 0) > 0);
            slow.push_back(fd);
        }
        auto c = server.client();
        QCOMPARE(getJson(*c, "/sdapi/v1/samplers").status, 200); // served meanwhile
        QCOMPARE(postJson(*c, "/sdapi/v1/txt2img", tinyTxt2img(2)).status, 200);
        // After the read timeout the server has closed the silent connections.
        std::this_thread::sleep_for(std::chrono::milliseconds(3500));
        for (int fd : slow) {
            char buf[256];
            timeval tv{5, 0};
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
            const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
            QVERIFY2(n <= 0 || std::string(buf, size_t(n)).rfind("HTTP/1.1 4", 0) == 0, "dropped or refused");
            ::close(fd);
        }
        QCOMPARE(getJson(*c, "/healthz").status, 200);
    }

    void metricsPassPromtool()
    {
        ServerProcess server;
        QVERIFY2(server.ok(), server.output().c_str());
        auto c = server.client();
        QCOMPARE(postJson(*c, "/sdapi/v1/txt2img", tinyTxt2img(2)).status, 200);
        postJson(*c, "/sdapi/v1/txt2img", {{"steps", 0}});
        const auto m = c->Get("/metrics");
        QVERIFY(m && m->status == 200);
        for (const char* name : {"easel_queue_depth 0", "easel_jobs_running 0", "easel_images_generated_total 1",
                                 "easel_jobs_finished_total{state=\"done\"} 1", "easel_job_duration_seconds_count 1",
                                 "easel_http_responses_total{code=\"422\"} 1", "# TYPE easel_model_loads_total counter",
                                 "# TYPE easel_model_load_seconds histogram"})
            QVERIFY2(m->body.find(name) != std::string::npos, name);
        const QString promtool = QStandardPaths::findExecutable("promtool");
        if (promtool.isEmpty())
            QSKIP("promtool is not installed (installer/easel.sh deps installs Debian's prometheus)");
        QProcess check;
        check.setProcessChannelMode(QProcess::MergedChannels);
        check.start(promtool, {"check", "metrics"});
        check.write(QByteArray::fromStdString(m->body));
        check.closeWriteChannel();
        QVERIFY(check.waitForFinished(30000));
        QVERIFY2(check.exitCode() == 0, check.readAll().constData());
    }

    void sameImageBytesAsEaselCliGenerate()
    {
        ServerProcess server;
        QVERIFY2(server.ok(), server.output().c_str());
        auto c = server.client();
        json payload = tinyTxt2img(4, 4242);
        payload["sampler_name"] = "DPM++ 2M";
        payload["scheduler"] = "karras";
        payload["cfg_scale"] = 6.5;
        payload["negative_prompt"] = "blurry";
        payload["eta"] = nullptr;
        const JsonAnswer a = postJson(*c, "/sdapi/v1/txt2img", payload);
        QCOMPARE(a.status, 200);
        const auto served = core::base64Decode(a.body["images"][0].get<std::string>());
        QVERIFY(served);

        QTemporaryDir out;
        const QString file = out.filePath("cli.png");
        QProcess cli;
        cli.setProcessChannelMode(QProcess::MergedChannels);
        cli.start(QString::fromStdString(builtBinary("easel-cli")),
                  {"generate", "--models-dir", QString::fromStdString(server.modelsDir()), "-m", "sd1_tiny", "-p",
                   "example prompt", "-n", "blurry", "--sampler", "DPM++ 2M", "--scheduler", "karras", "--steps", "4",
                   "--cfg-scale", "6.5", "-s", "4242", "-W", "64", "-H", "64", "--no-record", "--catalog", "", "-q", "-o", file});
        QVERIFY(cli.waitForFinished(120000));
        QVERIFY2(cli.exitCode() == 0, cli.readAll().constData());
        std::ifstream in(file.toStdString(), std::ios::binary);
        const std::vector<unsigned char> written((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        QCOMPARE(written.size(), served->size());
        QVERIFY2(written == *served, "the server's PNG and easel-cli's PNG differ");
    }
};

QTEST_GUILESS_MAIN(TestServerJobs)
#include "test_server_jobs.moc"
