#pragma once
/// Batch export of gallery images to a folder: a naming template, PNG/JPEG/WebP at a quality,
/// optional downscale to a longest side, metadata kept (PNG `parameters` chunk, EXIF UserComment for
/// JPEG/WebP, as A1111 writes them) or stripped, and optional CSV / JSON sidecars of the parameters.
///
/// Never overwrites: a name that is taken (on disk or earlier in the same export) gets "-2", "-3", …
/// before the extension. Choosing a free name instead of asking keeps the export one uninterrupted
/// background job; the dialog says which names changed. Plain functions, any thread (the export runs
/// on a pool thread; see BatchExporter).

#include <QDateTime>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <functional>

namespace easel::catalog {
struct ImageRow;
}

namespace easel::app {

/// One image to export: its file and what the catalog knows about it.
struct ExportSource {
    QString path;
    qint64 seed = 0;
    QString modelName;
    QString prompt;
    QString negativePrompt;
    QString paramsJson;       ///< the catalog's copy of the request ("" when unknown)
    QDateTime createdAt;      ///< when it was generated (invalid: the file's modification time)
};
ExportSource exportSourceFromRow(const catalog::ImageRow& row);

enum class ExportFormat { Png, Jpeg, WebP };
QString exportExtension(ExportFormat format); ///< "png", "jpg", "webp"

struct ExportOptions {
    QString folder;
    /// Placeholders: {date} (yyyy-MM-dd) {time} (HHmmss) {seed} {model} {index} (1-based, zero-padded
    /// to the count's digits) {prompt} (file-name safe, 40 characters) {width} {height} {name} (source
    /// file stem). Anything else is kept literally; the result is made file-name safe.
    QString nameTemplate = QStringLiteral("{date}_{seed}_{model}_{index}");
    ExportFormat format = ExportFormat::Png;
    int quality = 95;          ///< JPEG/WebP, 1–100
    int maxSide = 0;           ///< longest side in pixels; 0 = keep the size (never enlarges)
    bool keepMetadata = true;
    bool writeCsv = false;     ///< easel-export.csv in the folder
    bool writeJson = false;    ///< easel-export.json in the folder
};

struct ExportedImage {
    QString source;
    QString file;              ///< written file
    bool renamed = false;      ///< the template's name was taken; a free one was chosen
    int width = 0, height = 0; ///< as written
    QString parameters;        ///< the source's infotext ("" when it had none)
};

struct ExportResult {
    QList<ExportedImage> images;
    QStringList errors;        ///< one message per image that failed (the export goes on)
    QString csvFile, jsonFile; ///< written sidecars ("" when not asked for)
    bool cancelled = false;
};

/// The template's file name for one image (without folder; extension appended), before the
/// collision check. `index` is 0-based; `count` sets the zero padding.
QString exportFileName(const QString& nameTemplate, const ExportSource& source, int index, int count, int width,
                       int height, const QString& extension);

/// `name` in `folder` if neither the disk nor `taken` (lower-case full paths) has it, else
/// "stem-2.ext", "stem-3.ext", …
QString freeFilePath(const QString& folder, const QString& name, const QSet<QString>& taken);

/// Writes every source; `progress(done, total)` is called before each image and at the end and
/// cancels the rest (each written file is whole: atomic writes) when it returns false. Sidecars list
/// the images written so far, also when cancelled. Errors per image are collected, not thrown.
ExportResult exportImages(const QList<ExportSource>& sources, const ExportOptions& options,
                          const std::function<bool(int done, int total)>& progress = {});

} // namespace easel::app
