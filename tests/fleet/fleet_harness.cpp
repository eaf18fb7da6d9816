#include "tests/fleet/fleet_harness.h"

#include <QElapsedTimer>
#include <QThread>

#include "app/cli/bench_util.h"
#include "app/fleet/redis_client.h"

namespace easel::test {

RedisProcess::RedisProcess() : m_port(cli::freeLoopbackPort()) { start(); }

RedisProcess::~RedisProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

bool RedisProcess::start()
{
    m_process.setProcessChannelMode(QProcess::ForwardedChannels);
    m_process.start("redis-server", {"--port", QString::number(m_port), "--bind", "127.0.0.1", "--dir", m_dir.path(),
                                     "--appendonly", "yes", "--appendfsync", "always", "--save", "",
                                     "--loglevel", "warning"});
    if (!m_process.waitForStarted(10000))
        return m_up = false;
    fleet::RedisClient client(fleet::RedisAddress::parse(url()), 1000);
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 15000) {
        if (client.ping())
            return m_up = true;
        QThread::msleep(50);
    }
    return m_up = false;
}

void RedisProcess::kill()
{
    m_process.kill();
    m_process.waitForFinished(5000);
    m_up = false;
}

std::string RedisProcess::call(const std::vector<std::string>& argv)
{
    fleet::RedisClient client(fleet::RedisAddress::parse(url()), 5000);
    return client.command(argv).text();
}

std::unique_ptr<ServerProcess> startWorker(const RedisProcess& redis, const std::string& id,
                                           const std::string& modelsDir, const std::vector<std::string>& extra)
{
    std::vector<std::string> args{"--role", "worker", "--redis", redis.url(), "--worker-id", id, "--threads", "1"};
    args.insert(args.end(), extra.begin(), extra.end());
    return std::make_unique<ServerProcess>(args, modelsDir);
}

std::unique_ptr<ServerProcess> startApi(const RedisProcess& redis, const std::string& modelsDir,
                                        const std::vector<std::string>& extra)
{
    std::vector<std::string> args{"--role", "api", "--redis", redis.url()};
    args.insert(args.end(), extra.begin(), extra.end());
    return std::make_unique<ServerProcess>(args, modelsDir);
}

} // namespace easel::test
