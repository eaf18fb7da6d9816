#include "app/catalog_access.h"

#include <QDir>
#include <QFileInfo>
#include <QThreadPool>

#include <map>
#include <memory>
#include <string>

#include "engine/api/logging.h"
#include "engine/catalog/database.h"

namespace easel::app {

QString defaultCatalogPath()
{
    return QDir(QString::fromStdString(api::dataDirectory())).filePath(QStringLiteral("catalog.sqlite"));
}

catalog::Database& threadCatalog(const QString& path)
{
    // Closed when the (pool) thread ends.
    thread_local std::map<std::string, std::unique_ptr<catalog::Database>> connections;
    const std::string key = path.toStdString();
    auto it = connections.find(key);
    if (it == connections.end()) {
        QDir().mkpath(QFileInfo(path).absolutePath());
        it = connections.emplace(key, std::make_unique<catalog::Database>(key)).first;
    }
    return *it->second;
}

QThreadPool* catalogPool()
{
    static QThreadPool* pool = [] {
        auto* p = new QThreadPool;
        p->setMaxThreadCount(1);
        p->setObjectName(QStringLiteral("easel-catalog"));
        return p;
    }();
    return pool;
}

} // namespace easel::app
