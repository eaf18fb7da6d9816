#include "app/model_inventory.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <exception>

#include "engine/catalog/database.h"
#include "engine/catalog/model_library.h"
#include "engine/catalog/scanner.h"

namespace easel::app {

ModelInventory scanModelInventory(const QString& catalogPath, const QVector<ModelFolder>& folders,
                                  const std::function<void(int done, int total)>& progress,
                                  const std::atomic<bool>* cancel)
{
    ModelInventory inventory;
    try {
        QDir().mkpath(QFileInfo(catalogPath).absolutePath());
        catalog::Database db(catalogPath.toStdString());
        const std::vector<catalog::ScanRoot> roots = scanRootsOf(folders);
        if (!roots.empty()) {
            catalog::ScanOptions options = studioScanOptions();
            options.cancel = cancel;
            if (progress)
                options.progress = [&progress](const catalog::ScanProgress& p) {
                    progress(static_cast<int>(p.done), p.phase == catalog::ScanProgress::Phase::Walking
                                                           ? 0
                                                           : static_cast<int>(p.total));
                };
            inventory.cancelled = catalog::Scanner(db, options).scan(roots).cancelled;
        }
        catalog::ModelLibrary library(db);
        catalog::ModelQuery query; // every kind and family; missing files are hidden
        query.limit = 1000;
        for (;;) {
            const auto page = library.search(query);
            for (const auto& row : page) {
                if (!isUnderRoots(row, roots))
                    continue;
                ModelFileInfo info;
                info.name = QString::fromStdString(row.name);
                info.path = QString::fromStdString(row.path);
                info.folder = QString::fromStdString(row.folder);
                info.kind = QString::fromStdString(row.kind);
                info.family = row.family == "unknown" ? QString() : QString::fromStdString(row.family);
                info.format = QString::fromStdString(row.format);
                info.status = QString::fromStdString(row.status);
                info.statusDetail = QString::fromStdString(row.statusDetail);
                info.sizeBytes = row.sizeBytes;
                inventory.problems += info.isProblem() ? 1 : 0;
                inventory.files.push_back(info);
            }
            if (static_cast<int>(page.size()) < query.limit)
                break;
            query.offset += query.limit;
        }
        std::stable_sort(inventory.files.begin(), inventory.files.end(), [](const auto& a, const auto& b) {
            return a.kind != b.kind ? a.kind < b.kind : a.name.compare(b.name, Qt::CaseInsensitive) < 0;
        });
    } catch (const std::exception& e) {
        inventory.error = QString::fromStdString(e.what());
    }
    return inventory;
}

} // namespace easel::app
