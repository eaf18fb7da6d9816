#pragma once
/// The one typed layer over QSettings: every remembered value has a getter/setter here, so keys and
/// defaults live in one place. GUI thread.

#include <QSettings>
#include <QString>

namespace easel::app {

class Settings {
public:
    Settings();

    QString device() const;             ///< "auto", "cpu" or "cuda"
    void setDevice(const QString& device);
    int threads() const;                ///< 0 = all cores
    void setThreads(int threads);
    QString outputFolder() const;
    void setOutputFolder(const QString& folder);
    QString language() const;           ///< "" = system, "en", "zh_CN"
    void setLanguage(const QString& language);
    QByteArray windowState() const;
    void setWindowState(const QByteArray& state);
    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray& geometry);

private:
    mutable QSettings m_settings;
};

} // namespace easel::app
