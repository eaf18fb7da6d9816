#pragma once
/// What the model manager lists: every file the catalog knows under the configured model folders,
/// with its kind and family (engine/io's classifier, through the catalog scan) and, for broken or
/// unsupported files, the reason. Blocking: run on a pool thread (own catalog connection). Any thread.

#include <QString>
#include <QVector>

#include <atomic>
#include <functional>

#include "app/model_scan.h"

namespace easel::app {

struct ModelFileInfo {
    QString name;
    QString path;
    QString folder;      ///< sub-folder below its model folder ("" at the top)
    QString kind;        ///< catalog kind: checkpoint, lora, embedding, vae, controlnet, upscaler, unknown
    QString family;      ///< SD1, SD2, SDXL, … ("" when unknown)
    QString format;      ///< safetensors, ckpt, pt, diffusers, …
    QString status;      ///< ok, broken, unsupported
    QString statusDetail;///< why it is broken or unsupported
    qint64 sizeBytes = 0;
    bool isProblem() const { return status != QLatin1String("ok"); }
};

struct ModelInventory {
    QVector<ModelFileInfo> files; ///< sorted by kind, then name
    int problems = 0;             ///< broken + unsupported
    bool cancelled = false;
    QString error;                ///< the catalog could not be used ("" = fine)
};

/// Scans `folders` into the catalog (incrementally), calling `progress(done, total)` while files are
/// read (total 0 while the folders are walked), then lists the files under them. `cancel` stops the
/// scan; what was read is kept and listed. Never throws.
ModelInventory scanModelInventory(const QString& catalogPath, const QVector<ModelFolder>& folders,
                                  const std::function<void(int done, int total)>& progress = {},
                                  const std::atomic<bool>* cancel = nullptr);

} // namespace easel::app
