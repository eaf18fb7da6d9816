#pragma once
/// Scans the model folders into the catalog and lists what the pickers and the prompt completion
/// need (checkpoints, VAEs, LoRA and embedding names). Blocking: run it on a pool thread (it opens
/// its own catalog connection). Any thread.

#include <QString>
#include <QStringList>
#include <QVector>

#include <vector>

#include "app/model_list_model.h"
#include "app/settings.h"
#include "engine/catalog/model_library.h"
#include "engine/catalog/scanner.h"

namespace easel::app {

struct ModelFolder {
    QString path;
    QString kindHint; ///< catalog ScanRoot kind hint ("checkpoint", "lora", …)
};

struct ModelScanResult {
    QVector<ModelEntry> checkpoints;
    QVector<ModelEntry> vaes;
    QVector<ModelEntry> controlNets; ///< catalog kind "controlnet", for the ControlNet panel
    QStringList loras;       ///< file stems, sorted, for <lora:…> completion
    QStringList embeddings;
    int filesSeen = 0;
    int broken = 0;          ///< broken or unsupported files (the model manager lists them)
    QString error;           ///< the catalog could not be used ("" = fine)
};

/// The catalog's kind name for a settings folder kind.
QString catalogKindName(ModelKind kind);
/// The existing folders of `settings`, each once (the first kind that names it wins).
QVector<ModelFolder> modelFolders(const Settings& settings);

/// The catalog scan roots of `folders`.
std::vector<catalog::ScanRoot> scanRootsOf(const QVector<ModelFolder>& folders);
/// How the studio scans: header reads are I/O bound, so 2 threads leave the cores to generation.
catalog::ScanOptions studioScanOptions();
/// Whether `row` lies under one of `roots` (rows of folders no longer configured stay in the
/// catalog, with their tags and use counts, but are not offered).
bool isUnderRoots(const catalog::ModelRow& row, const std::vector<catalog::ScanRoot>& roots);

/// Scans (incrementally) and lists. Never throws: failures land in `error`.
ModelScanResult scanModelFolders(const QString& catalogPath, const QVector<ModelFolder>& folders);

} // namespace easel::app
