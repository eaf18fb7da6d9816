#include "app/model_scan.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <exception>

#include "engine/catalog/database.h"
#include "engine/catalog/model_library.h"
#include "engine/catalog/scanner.h"

namespace easel::app {

QString catalogKindName(ModelKind kind)
{
    switch (kind) {
    case ModelKind::Checkpoint: return QStringLiteral("checkpoint");
    case ModelKind::LoRA: return QStringLiteral("lora");
    case ModelKind::Embedding: return QStringLiteral("embedding");
    case ModelKind::VAE: return QStringLiteral("vae");
    case ModelKind::ControlNet: return QStringLiteral("controlnet");
    case ModelKind::Upscaler: return QStringLiteral("upscaler");
    }
    return {};
}

QVector<ModelFolder> modelFolders(const Settings& settings)
{
    QVector<ModelFolder> folders;
    QStringList seen;
    for (const ModelKind kind : kAllModelKinds) {
        const QString path = QDir::cleanPath(QFileInfo(settings.modelFolder(kind)).absoluteFilePath());
        if (path.isEmpty() || seen.contains(path) || !QFileInfo(path).isDir())
            continue;
        seen << path;
        folders.push_back({path, catalogKindName(kind)});
    }
    return folders;
}

std::vector<catalog::ScanRoot> scanRootsOf(const QVector<ModelFolder>& folders)
{
    std::vector<catalog::ScanRoot> roots;
    for (const auto& f : folders)
        roots.push_back({f.path.toStdString(), f.kindHint.toStdString()});
    return roots;
}

catalog::ScanOptions studioScanOptions()
{
    catalog::ScanOptions options;
    options.threads = 2;
    return options;
}

bool isUnderRoots(const catalog::ModelRow& row, const std::vector<catalog::ScanRoot>& roots)
{
    return std::any_of(roots.begin(), roots.end(), [&row](const catalog::ScanRoot& r) { return row.root == r.path; });
}

namespace {

/// Rows of `kind` under the configured folders (isUnderRoots).
std::vector<catalog::ModelRow> allOfKind(catalog::ModelLibrary& library, const char* kind,
                                         const std::vector<catalog::ScanRoot>& roots)
{
    std::vector<catalog::ModelRow> rows;
    catalog::ModelQuery query;
    query.kind = kind;
    query.limit = 1000;
    for (;;) {
        const auto page = library.search(query);
        for (const auto& row : page)
            if (isUnderRoots(row, roots))
                rows.push_back(row);
        if (static_cast<int>(page.size()) < query.limit)
            return rows;
        query.offset += query.limit;
    }
}

QVector<ModelEntry> entries(const std::vector<catalog::ModelRow>& rows)
{
    QVector<ModelEntry> out;
    out.reserve(static_cast<int>(rows.size()));
    for (const auto& row : rows) {
        if (row.status != "ok")
            continue;
        const QString family = QString::fromStdString(row.family);
        out.push_back({QString::fromStdString(row.name), QString::fromStdString(row.path),
                       family == QLatin1String("unknown") ? QString() : family, QString::fromStdString(row.autov2),
                       false});
    }
    return out;
}

QStringList names(const std::vector<catalog::ModelRow>& rows)
{
    QStringList out;
    for (const auto& row : rows)
        if (row.status == "ok")
            out << QString::fromStdString(row.name);
    out.removeDuplicates();
    out.sort(Qt::CaseInsensitive);
    return out;
}

} // namespace

ModelScanResult scanModelFolders(const QString& catalogPath, const QVector<ModelFolder>& folders)
{
    ModelScanResult result;
    try {
        QDir().mkpath(QFileInfo(catalogPath).absolutePath());
        // Its own connection: this runs on a pool thread that may not be the catalog pool's.
        catalog::Database db(catalogPath.toStdString());
        const std::vector<catalog::ScanRoot> roots = scanRootsOf(folders);
        if (!roots.empty()) {
            const catalog::ScanResult scan = catalog::Scanner(db, studioScanOptions()).scan(roots);
            result.filesSeen = static_cast<int>(scan.seen);
            result.broken = static_cast<int>(scan.broken + scan.unsupported);
        }
        catalog::ModelLibrary library(db);
        result.checkpoints = entries(allOfKind(library, "checkpoint", roots));
        result.vaes = entries(allOfKind(library, "vae", roots));
        result.controlNets = entries(allOfKind(library, "controlnet", roots));
        result.loras = names(allOfKind(library, "lora", roots));
        result.embeddings = names(allOfKind(library, "embedding", roots));
    } catch (const std::exception& e) {
        result.error = QString::fromStdString(e.what());
    }
    return result;
}

} // namespace easel::app
