// The fleet end to end: API instances and workers as separate easel-server processes around a
// redis-server of the test's own. Workers are killed, drained and Redis restarted while clients
// work; every job must finish exactly once with the bytes one process gives.

#include <QtTest>

#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "app/fleet/redis_client.h"
#include "tests/fleet/fleet_harness.h"

using namespace easel::test;
using nlohmann::json;

namespace {

const std::vector<std::string> kSimulated{"--simulate-step-ms", "5", "--claim-idle-ms", "1500"};

/// A1111 txt2img until it answers 200 (503 and dropped connections are retried, as clients do).
JsonAnswer txt2imgUntilDone(const ServerProcess& api, const json& payload, std::atomic<int>& busyAnswers)
{
    for (int attempt = 0; attempt < 600; ++attempt) {
        auto c = api.client(180);
        JsonAnswer a = postJson(*c, "/sdapi/v1/txt2img", payload);
        if (a.status == 200)
            return a;
        ++busyAnswers;
        std::this_thread::sleep_for(std::chrono::milliseconds(a.status == 503 ? 300 : 100));
    }
    return {};
}

/// Native job: POST (retried with the same Idempotency-Key) and poll until it is finished.
json nativeJobUntilFinished(const ServerProcess& api, const json& body, const std::string& key,
                            std::atomic<int>& busyAnswers, const httplib::Headers& auth = {})
{
    httplib::Headers headers = auth;
    headers.emplace("Idempotency-Key", key);
    std::string id;
    for (int attempt = 0; attempt < 600 && id.empty(); ++attempt) {
        auto c = api.client(30);
        const JsonAnswer a = postJson(*c, "/easel/v1/jobs", body, headers);
        if (a.status == 202 || a.status == 200)
            id = a.body["id"].get<std::string>();
        else {
            ++busyAnswers;
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
    }
    for (int attempt = 0; attempt < 1200 && !id.empty(); ++attempt) {
        auto c = api.client(30);
        const JsonAnswer a = getJson(*c, "/easel/v1/jobs/" + id, auth);
        if (a.status == 200 && a.body["state"] != "queued" && a.body["state"] != "running")
            return a.body;
        if (a.status != 200)
            ++busyAnswers; // e.g. 503 while Redis is away: a client waiting on a job meets the outage here
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return {};
}

json withCheckpoint(json payload, const std::string& checkpoint)
{
    payload["override_settings"] = {{"sd_model_checkpoint", checkpoint}};
    return payload;
}

} // namespace

class TestFleet : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string m_models;

private Q_SLOTS:
    void initTestCase()
    {
        m_models = makeModelsFolder(m_dir.path().toStdString());
        // Three checkpoints for routing (the simulated workers never read their weights).
        const std::string sd = m_models + "/Stable-diffusion/";
        for (const char* name : {"alpha", "beta", "gamma"})
            std::filesystem::copy_file(sd + "sd1_tiny.safetensors", sd + name + ".safetensors");
    }

    void routingKeepsEachCheckpointOnTheWorkerThatHoldsIt()
    {
        RedisProcess redis;
        QVERIFY(redis.ok());
        std::vector<std::unique_ptr<ServerProcess>> workers;
        for (const char* name : {"alpha", "beta", "gamma"}) {
            auto extra = kSimulated;
            extra.insert(extra.end(), {"--preload", std::string(name) + ".safetensors"});
            workers.push_back(startWorker(redis, std::string("w-") + name, m_models, extra));
            QVERIFY(workers.back()->ok());
        }
        auto api = startApi(redis, m_models);
        QVERIFY(api->ok());
        std::atomic<int> busy{0};
        std::atomic<int> answered{0};
        std::vector<std::thread> clients;
        for (const char* name : {"alpha", "beta", "gamma"})
            clients.emplace_back([&, name] {
                for (int i = 0; i < 8; ++i)
                    if (txt2imgUntilDone(*api, withCheckpoint(tinyTxt2img(3, i), name), busy).status == 200)
                        ++answered;
            });
        for (auto& c : clients)
            c.join();
        QCOMPARE(answered.load(), 24);
        for (const char* name : {"alpha", "beta", "gamma"}) {
            const std::string key = std::string("easel:worker:w-") + name;
            // The counters reach Redis with the next heart-beat (later on a loaded machine).
            QTRY_COMPARE_WITH_TIMEOUT(redis.call({"HGET", key, "jobs"}), std::string("8"), 15000);
            QCOMPARE(redis.call({"HGET", key, "switches"}), std::string("0"));
            QCOMPARE(redis.call({"HGET", key, "model"}), std::string(name) + ".safetensors");
        }
        // Prometheus sees the same from each worker's /metrics, and the backlog from the API's.
        const auto metrics = workers[0]->client()->Get("/metrics");
        QVERIFY(metrics && metrics->status == 200);
        QVERIFY2(metrics->body.find("easel_fleet_worker_jobs_total{kind=\"run\"} 8") != std::string::npos,
                 metrics->body.c_str());
        QVERIFY(metrics->body.find("easel_fleet_model_switches_total 0") != std::string::npos);
        QVERIFY(metrics->body.find("easel_fleet_redis_up 1") != std::string::npos);
        const auto apiMetrics = api->client()->Get("/metrics");
        QVERIFY(apiMetrics && apiMetrics->body.find("easel_fleet_backlog 0") != std::string::npos);
    }

    void usersIdempotencyAndDeadLetter()
    {
        RedisProcess redis;
        QVERIFY(redis.ok());
        const std::string keys = m_dir.filePath("keys.txt").toStdString();
        std::ofstream(keys) << "alice:alice-key-0123456789\nbob:bob-key-0123456789abc\n";
        auto extra = kSimulated;
        extra.insert(extra.end(), {"--max-attempts", "2"});
        auto w1 = startWorker(redis, "w1", m_models, extra);
        auto w2 = startWorker(redis, "w2", m_models, extra);
        auto api = startApi(redis, m_models, {"--api-key-file", keys});
        QVERIFY(w1->ok() && w2->ok() && api->ok());
        const httplib::Headers alice{{"Authorization", "Bearer alice-key-0123456789"}};
        const httplib::Headers bob{{"Authorization", "Bearer bob-key-0123456789abc"}};
        std::atomic<int> busy{0};

        const json body{{"prompt", "a lighthouse"}, {"steps", 3}, {"width", 64}, {"height", 64}, {"seed", 5}};
        const json done = nativeJobUntilFinished(*api, body, "same-key", busy, alice);
        QCOMPARE(done["state"], "done");
        const std::string id = done["id"];
        // The same key again names the same job; another user's same key is another job.
        auto c = api->client();
        httplib::Headers again = alice;
        again.emplace("Idempotency-Key", "same-key");
        QCOMPARE(postJson(*c, "/easel/v1/jobs", body, again).body["id"], id);
        const json bobs = nativeJobUntilFinished(*api, body, "same-key", busy, bob);
        QVERIFY(bobs["id"] != id);
        // Isolation: bob cannot see alice's job, her images or her history.
        QCOMPARE(getJson(*c, "/easel/v1/jobs/" + id, bob).status, 404);
        QCOMPARE(c->Get(("/easel/v1/jobs/" + id + "/images/0").c_str(), bob)->status, 404);
        QCOMPARE(getJson(*c, "/easel/v1/jobs?user=alice", bob).status, 403);
        const json mine = getJson(*c, "/easel/v1/jobs?user=me", alice).body["jobs"];
        QCOMPARE(int(mine.size()), 1);
        QCOMPARE(mine[0]["id"], id);
        QCOMPARE(c->Get(("/easel/v1/jobs/" + id + "/images/0").c_str(), alice)->status, 200);

        // A job that fails on every worker ends in the dead-letter stream after --max-attempts.
        json poison = body;
        poison["prompt"] = "[simulate-failure] a lighthouse";
        const json dead = nativeJobUntilFinished(*api, poison, "poison", busy, alice);
        QCOMPARE(dead["state"], "failed");
        QVERIFY2(dead.dump().find("failed on 2 workers") != std::string::npos, dead.dump().c_str());
        QVERIFY2(dead.dump().find("simulated device fault") != std::string::npos, dead.dump().c_str());
        QCOMPARE(redis.call({"XLEN", "easel:dead"}), std::string("1"));
    }

    void perKeyQueueLimitHoldsAcrossApiInstances()
    {
        RedisProcess redis;
        QVERIFY(redis.ok());
        const std::string keys = m_dir.filePath("limit-keys.txt").toStdString();
        std::ofstream(keys) << "alice:alice-key-0123456789\nbob:bob-key-0123456789abc\n";
        const std::vector<std::string> limited{"--api-key-file", keys, "--per-key-queue", "2"};
        auto api1 = startApi(redis, m_models, limited);
        auto api2 = startApi(redis, m_models, limited);
        QVERIFY(api1->ok() && api2->ok());
        const httplib::Headers alice{{"Authorization", "Bearer alice-key-0123456789"}};
        const httplib::Headers bob{{"Authorization", "Bearer bob-key-0123456789abc"}};
        const json body{{"prompt", "a lighthouse"}, {"steps", 2}, {"width", 64}, {"height", 64}};
        auto c1 = api1->client();
        auto c2 = api2->client();
        // No worker yet: every job waits. Alice's two waiting jobs, one on each instance, fill her share.
        QCOMPARE(postJson(*c1, "/easel/v1/jobs", body, alice).status, 202);
        QCOMPARE(postJson(*c2, "/easel/v1/jobs", body, alice).status, 202);
        QTRY_COMPARE_WITH_TIMEOUT(redis.call({"SCARD", "easel:waiting:alice"}), std::string("2"), 5000);
        const JsonAnswer third = postJson(*c1, "/easel/v1/jobs", body, alice);
        QCOMPARE(third.status, 503);
        QVERIFY2(third.body.dump().find("limit per key") != std::string::npos, third.body.dump().c_str());
        QCOMPARE(postJson(*c2, "/sdapi/v1/txt2img", body, alice).status, 503); // the A1111 route too
        QCOMPARE(postJson(*c2, "/easel/v1/jobs", body, bob).status, 202);      // her share, not bob's
        // A worker takes them: her share frees and she may queue again.
        auto worker = startWorker(redis, "w1", m_models, kSimulated);
        QVERIFY(worker->ok());
        QTRY_COMPARE_WITH_TIMEOUT(redis.call({"SCARD", "easel:waiting:alice"}), std::string("0"), 20000);
        QCOMPARE(postJson(*c1, "/easel/v1/jobs", body, alice).status, 202);
    }

    void redisRestartCostsClients503sThenEverythingCompletes()
    {
        RedisProcess redis;
        QVERIFY(redis.ok());
        auto extra = std::vector<std::string>{"--simulate-step-ms", "20", "--claim-idle-ms", "1500"};
        auto w1 = startWorker(redis, "w1", m_models, extra);
        auto w2 = startWorker(redis, "w2", m_models, extra);
        auto api = startApi(redis, m_models);
        QVERIFY(w1->ok() && w2->ok() && api->ok());
        std::atomic<int> busy{0};
        std::atomic<int> done{0};
        std::vector<std::thread> clients;
        for (int t = 0; t < 4; ++t)
            clients.emplace_back([&, t] {
                for (int i = 0; i < 10; ++i) {
                    const json body{{"prompt", "job"}, {"steps", 5}, {"width", 64}, {"height", 64}, {"seed", t * 100 + i}};
                    if (nativeJobUntilFinished(*api, body, "k" + std::to_string(t) + "-" + std::to_string(i), busy)["state"] == "done")
                        ++done;
                }
            });
        QTRY_VERIFY_WITH_TIMEOUT(done.load() >= 8, 60000);
        redis.kill();
        auto c = api->client();
        QTRY_COMPARE_WITH_TIMEOUT(getJson(*c, "/readyz").status, 503, 15000); // the health check's next ping
        QCOMPARE(postJson(*c, "/easel/v1/jobs", json{{"prompt", "x"}, {"steps", 2}}).status, 503);
        QTest::qWait(1500); // an outage the clients live through before Redis comes back
        QVERIFY(redis.start());
        for (auto& t : clients)
            t.join();
        QCOMPARE(done.load(), 40);
        QTRY_COMPARE_WITH_TIMEOUT(getJson(*c, "/readyz").status, 200, 10000);
        // Whether the four clients themselves met a 503 depends on where each was when Redis went
        // (one polling a job of this instance is answered from the instance's own state); the
        // POST above is the client that did.
    }

    void killedAndDrainedWorkersLoseNoJobAndChangeNoByte()
    {
        // The reference: one process (--role all) answering the same requests.
        std::map<int, std::string> reference;
        {
            ServerProcess single({"--threads", "1"}, m_models); // the workers' thread count: the same sums
            QVERIFY(single.ok());
            std::atomic<int> ignored{0};
            for (int seed = 1; seed <= 4; ++seed)
                reference[seed] = txt2imgUntilDone(single, withCheckpoint(tinyTxt2img(3, seed), "sd1_tiny"), ignored).body["images"][0];
        }
        RedisProcess redis;
        QVERIFY(redis.ok());
        const std::vector<std::string> extra{"--claim-idle-ms", "1500"};
        std::map<std::string, std::unique_ptr<ServerProcess>> workers;
        for (const char* id : {"w1", "w2", "w3"}) {
            workers[id] = startWorker(redis, id, m_models, extra);
            QVERIFY(workers[id]->ok());
        }
        auto api1 = startApi(redis, m_models);
        auto api2 = startApi(redis, m_models);
        QVERIFY(api1->ok() && api2->ok());

        constexpr int kJobs = 300;
        std::atomic<int> next{0}, finished{0}, busy{0}, wrong{0};
        std::mutex problemsMutex;
        std::vector<std::string> problems;
        std::vector<std::thread> clients;
        for (int t = 0; t < 16; ++t)
            clients.emplace_back([&, t] {
                for (int i = next++; i < kJobs; i = next++) {
                    const int seed = i % 4 + 1;
                    const ServerProcess& api = (i + t) % 2 ? *api1 : *api2;
                    const JsonAnswer a = txt2imgUntilDone(api, withCheckpoint(tinyTxt2img(3, seed), "sd1_tiny"), busy);
                    if (a.status != 200 || a.body["images"].size() != 1 || a.body["images"][0] != reference[seed]) {
                        ++wrong;
                        std::lock_guard lock(problemsMutex);
                        problems.push_back("job " + std::to_string(i) + ": status " + std::to_string(a.status));
                    }
                    ++finished;
                }
            });
        auto pump = [&] { // keep the processes' output pipes drained
            for (auto& [id, w] : workers)
                w->output();
            api1->output();
            api2->output();
        };
        auto waitFinished = [&](int n) {
            for (int i = 0; i < 3000 && finished.load() < n; ++i) {
                pump();
                QTest::qWait(50);
            }
        };
        for (int round = 0; round < 2; ++round) { // kill -9 mid-job, restart under the same name
            waitFinished(40 + round * 80);
            QTRY_VERIFY_WITH_TIMEOUT(redis.call({"HGET", "easel:worker:w1", "jobs"}) != "", 30000);
            workers["w1"]->process().kill();
            workers["w1"]->process().waitForFinished(5000);
            QTest::qWait(500);
            workers["w1"] = startWorker(redis, "w1", m_models, extra);
            QVERIFY(workers["w1"]->ok());
        }
        waitFinished(220);
        QCOMPARE(workers["w2"]->terminate(), 0); // SIGTERM: drains its job, then leaves
        for (auto& c : clients)
            c.join();
        pump();
        QVERIFY2(problems.empty(), problems.empty() ? "" : problems.front().c_str());
        QCOMPARE(wrong.load(), 0);
        QCOMPARE(finished.load(), kJobs);
        // Exactly once: every job id has one result event.
        const int ids = std::stoi(redis.call({"GET", "easel:next-id"}));
        int results = 0;
        for (int id = 1; id <= ids; ++id) {
            easel::fleet::RedisClient client(easel::fleet::RedisAddress::parse(redis.url()));
            const auto events = client.command({"XRANGE", "easel:ev:" + std::to_string(id), "-", "+"});
            int finals = 0;
            for (const auto& e : events.elements)
                for (size_t k = 0; k + 1 < e.elements[1].elements.size(); k += 2)
                    if (e.elements[1].elements[k].str == "type" && e.elements[1].elements[k + 1].str != "progress")
                        ++finals;
            QVERIFY2(finals == 1, ("job " + std::to_string(id) + " has " + std::to_string(finals) + " results").c_str());
            ++results;
        }
        QCOMPARE(results, kJobs);
    }
};

QTEST_GUILESS_MAIN(TestFleet)
#include "test_fleet.moc"
