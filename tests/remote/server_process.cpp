#include "tests/remote/server_process.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/support/golden.h"

namespace easel::test {

int freeLoopbackPort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0; // the kernel picks a free one
    socklen_t size = sizeof address;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0
        && ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0)
        port = ntohs(address.sin_port);
    ::close(fd);
    return port;
}

QString ServerProcess::binary()
{
    const QString fromEnv = qEnvironmentVariable("EASEL_SERVER_BIN");
    return fromEnv.isEmpty() ? QStringLiteral(EASEL_SERVER_BIN) : fromEnv;
}

namespace {

bool copyModel(const char* name, const QString& folder)
{
    return QDir().mkpath(folder)
        && QFile::copy(QString::fromStdString(goldenPath(std::string("models/") + name)), QDir(folder).filePath(name));
}

} // namespace

bool ServerProcess::start(const QString& root)
{
    const QDir dir(root);
    const QString models = dir.filePath("server-models");
    if (!copyModel("sd1_tiny.safetensors", models + "/Stable-diffusion")
        || !copyModel("sd1_tiny.yaml", models + "/Stable-diffusion")
        || !copyModel("lora_sd1_tiny.safetensors", models + "/Lora")
        || !copyModel("controlnet_sd1_tiny.safetensors", models + "/ControlNet")) {
        m_error = "could not copy the tiny models to " + models;
        return false;
    }
    QFile keys(dir.filePath("server-keys.txt"));
    if (!keys.open(QIODevice::WriteOnly) || keys.write(QByteArray("studio:") + kApiKey + "\n") < 0) {
        m_error = "could not write the key file";
        return false;
    }
    keys.close();
    m_port = freeLoopbackPort();
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.start(binary(),
        { "--listen", QStringLiteral("127.0.0.1:%1").arg(m_port), "--models-dir", models, "--data-dir",
            dir.filePath("server-data"), "--api-key-file", keys.fileName() });
    if (!m_process.waitForStarted(10000)) {
        m_error = binary() + " did not start: " + m_process.errorString();
        return false;
    }
    const QByteArray ready = "easel-server listening on http://127.0.0.1:" + QByteArray::number(m_port);
    QDeadlineTimer deadline(60000);
    while (!m_output.contains(ready)) {
        if (m_process.state() != QProcess::Running || deadline.hasExpired()) {
            m_error = "easel-server did not say it listens: " + output();
            return false;
        }
        m_process.waitForReadyRead(200);
        m_output += m_process.readAll();
    }
    m_url = QStringLiteral("http://127.0.0.1:%1").arg(m_port);
    return true;
}

QString ServerProcess::output()
{
    m_output += m_process.readAll();
    return QString::fromUtf8(m_output);
}

void ServerProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(10000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

} // namespace easel::test
