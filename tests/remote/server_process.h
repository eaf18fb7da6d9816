#pragma once
// The real easel-server for the studio's remote tests: started on a free loopback port with the
// tiny SD1 model set (checkpoint, LoRA, ControlNet) copied into an A1111 models folder under
// `root`, and an API key file; stopped when the object goes. GUI-less; the test's thread.

#include <QProcess>
#include <QString>

namespace easel::test {

class ServerProcess {
public:
    static constexpr const char* kApiKey = "studio-test-key-0123456789";

    /// The binary: $EASEL_SERVER_BIN, else the one this build made.
    static QString binary();

    /// Starts it and waits for its "listening on" line; false (with `error()`) on failure.
    bool start(const QString& root);
    void stop();
    ~ServerProcess() { stop(); }

    QString url() const { return m_url; }
    int port() const { return m_port; }
    QString error() const { return m_error; }
    /// Everything it printed so far (for failure messages).
    QString output();

private:
    QProcess m_process;
    QString m_url;
    int m_port = 0;
    QString m_error;
    QByteArray m_output;
};

/// A loopback TCP port nothing listens on right now.
int freeLoopbackPort();

} // namespace easel::test
