#include "app/server_models.h"

#include <algorithm>

#include "app/remote/server_client.h"
#include "engine/api/error.h"

namespace easel::app {
namespace {

QVector<ModelEntry> entriesOf(const std::vector<remote::ServerModel>& models)
{
    QVector<ModelEntry> out;
    for (const remote::ServerModel& m : models) {
        ModelEntry e;
        e.name = QString::fromStdString(m.name);
        e.path = e.name; // what the request names; the server has the file
        e.hash = QString::fromStdString(m.hash);
        out << e;
    }
    std::sort(out.begin(), out.end(),
        [](const ModelEntry& a, const ModelEntry& b) { return a.name.compare(b.name, Qt::CaseInsensitive) < 0; });
    return out;
}

remote::ServerClient clientFor(const QString& url, const QString& apiKey)
{
    return remote::ServerClient(remote::ServerConfig { url.toStdString(), apiKey.toStdString() });
}

} // namespace

ModelScanResult listServerModels(const QString& url, const QString& apiKey)
{
    ModelScanResult result;
    try {
        const remote::ServerClient client = clientFor(url, apiKey);
        result.checkpoints = entriesOf(client.checkpoints());
        result.vaes = entriesOf(client.vaes());
        result.controlNets = entriesOf(client.controlNets());
        for (const ModelEntry& lora : entriesOf(client.loras()))
            result.loras << lora.name;
        result.filesSeen
            = result.checkpoints.size() + result.vaes.size() + result.controlNets.size() + result.loras.size();
    } catch (const std::exception& e) {
        result.error = QString::fromStdString(e.what());
    }
    return result;
}

QString checkServer(const QString& url, const QString& apiKey)
{
    try {
        clientFor(url, apiKey).checkConnection();
        return {};
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
}

} // namespace easel::app
