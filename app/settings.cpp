#include "app/settings.h"

#include <QDir>
#include <QStandardPaths>

namespace easel::app {

Settings::Settings()
    : m_settings(QSettings::IniFormat, QSettings::UserScope, QStringLiteral("Easel"), QStringLiteral("easel"))
{
}

QString Settings::device() const { return m_settings.value("engine/device", "auto").toString(); }
void Settings::setDevice(const QString& device) { m_settings.setValue("engine/device", device); }
int Settings::threads() const { return m_settings.value("engine/threads", 0).toInt(); }
void Settings::setThreads(int threads) { m_settings.setValue("engine/threads", threads); }

QString Settings::outputFolder() const
{
    const QString fallback = QDir(QStandardPaths::writableLocation(QStandardPaths::PicturesLocation)).filePath("Easel");
    return m_settings.value("output/folder", fallback).toString();
}
void Settings::setOutputFolder(const QString& folder) { m_settings.setValue("output/folder", folder); }
QString Settings::language() const { return m_settings.value("ui/language", "").toString(); }
void Settings::setLanguage(const QString& language) { m_settings.setValue("ui/language", language); }
QByteArray Settings::windowState() const { return m_settings.value("ui/windowState").toByteArray(); }
void Settings::setWindowState(const QByteArray& state) { m_settings.setValue("ui/windowState", state); }
QByteArray Settings::windowGeometry() const { return m_settings.value("ui/windowGeometry").toByteArray(); }
void Settings::setWindowGeometry(const QByteArray& geometry) { m_settings.setValue("ui/windowGeometry", geometry); }

} // namespace easel::app
