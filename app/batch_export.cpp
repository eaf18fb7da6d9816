#include "app/batch_export.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <exception>

#include "engine/api/image.h"
#include "engine/api/image_files.h"
#include "engine/catalog/gallery.h"
#include "engine/service/output_naming.h"

namespace easel::app {

namespace {

/// The service's file-name sanitiser (one for generation and export), on QStrings.
QString fileNameSafe(const QString& text, int maxLength = 60)
{
    return QString::fromStdString(service::fileNameSafe(text.toStdString(), static_cast<std::size_t>(maxLength)));
}

/// Downscales so the longest side is `maxSide` (area-averaging through Qt's smooth scaling);
/// images already small enough come back unchanged.
api::Image fitLongestSide(const api::Image& image, int maxSide)
{
    if (maxSide <= 0 || std::max(image.width, image.height) <= maxSide)
        return image;
    const QImage::Format format = image.channels == 4   ? QImage::Format_RGBA8888
                                  : image.channels == 1 ? QImage::Format_Grayscale8
                                                        : QImage::Format_RGB888;
    const QImage wrapped(image.pixels.data(), image.width, image.height, image.width * image.channels, format);
    const QImage scaled = wrapped.scaled(maxSide, maxSide, Qt::KeepAspectRatio, Qt::SmoothTransformation)
                              .convertToFormat(format);
    api::Image out;
    out.width = scaled.width();
    out.height = scaled.height();
    out.channels = image.channels;
    const int rowBytes = out.width * out.channels;
    out.pixels.resize(static_cast<size_t>(rowBytes) * out.height);
    for (int y = 0; y < out.height; ++y) // QImage rows are 4-byte aligned; api::Image rows are packed
        std::copy_n(scaled.constScanLine(y), rowBytes, out.pixels.data() + static_cast<size_t>(y) * rowBytes);
    return out;
}

QString csvField(const QString& value)
{
    // RFC 4180: quote every field that could break the row; double the quotes inside.
    if (!value.contains(QLatin1Char(',')) && !value.contains(QLatin1Char('"')) && !value.contains(QLatin1Char('\n'))
        && !value.contains(QLatin1Char('\r')))
        return value;
    QString quoted = value;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

bool writeWhole(const QString& path, const QByteArray& bytes)
{
    QSaveFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size() && file.commit();
}

struct Written {
    const ExportSource* source;
    ExportedImage image;
};

QByteArray csvSidecar(const QList<Written>& written)
{
    QStringList lines{QStringLiteral("file,source,seed,model,width,height,prompt,negative_prompt,parameters")};
    for (const Written& w : written)
        lines << QStringList{csvField(QFileInfo(w.image.file).fileName()), csvField(w.image.source),
                             QString::number(w.source->seed), csvField(w.source->modelName),
                             QString::number(w.image.width), QString::number(w.image.height),
                             csvField(w.source->prompt), csvField(w.source->negativePrompt),
                             csvField(w.image.parameters)}
                     .join(QLatin1Char(','));
    return (lines.join(QStringLiteral("\r\n")) + QStringLiteral("\r\n")).toUtf8();
}

QByteArray jsonSidecar(const QList<Written>& written)
{
    QJsonArray array;
    for (const Written& w : written) {
        QJsonObject entry{{"file", QFileInfo(w.image.file).fileName()},
                          {"source", w.image.source},
                          {"seed", w.source->seed},
                          {"model", w.source->modelName},
                          {"width", w.image.width},
                          {"height", w.image.height},
                          {"prompt", w.source->prompt},
                          {"negative_prompt", w.source->negativePrompt},
                          {"parameters", w.image.parameters}};
        // The full request as the catalog stored it, for tools that want more than the infotext.
        const QJsonDocument request = QJsonDocument::fromJson(w.source->paramsJson.toUtf8());
        if (request.isObject())
            entry.insert(QStringLiteral("request"), request.object());
        array.append(entry);
    }
    return QJsonDocument(array).toJson(QJsonDocument::Indented);
}

} // namespace

ExportSource exportSourceFromRow(const catalog::ImageRow& row)
{
    ExportSource source;
    source.path = QString::fromStdString(row.path);
    source.seed = row.seed;
    source.modelName = QString::fromStdString(row.modelName);
    source.prompt = QString::fromStdString(row.prompt);
    source.negativePrompt = QString::fromStdString(row.negativePrompt);
    source.paramsJson = QString::fromStdString(row.paramsJson);
    if (row.createdAt > 0)
        source.createdAt = QDateTime::fromSecsSinceEpoch(row.createdAt);
    return source;
}

QString exportExtension(ExportFormat format)
{
    switch (format) {
    case ExportFormat::Jpeg: return QStringLiteral("jpg");
    case ExportFormat::WebP: return QStringLiteral("webp");
    case ExportFormat::Png: break;
    }
    return QStringLiteral("png");
}

QString exportFileName(const QString& nameTemplate, const ExportSource& source, int index, int count, int width,
                       int height, const QString& extension)
{
    QString name = nameTemplate.trimmed();
    if (name.isEmpty())
        name = QStringLiteral("{index}");
    const QDateTime when = source.createdAt.isValid() ? source.createdAt : QFileInfo(source.path).lastModified();
    const int digits = QString::number(std::max(count, 1)).size();
    // Values are made safe one by one (a prompt may hold '/'), the literal rest once at the end.
    name.replace(QLatin1String("{date}"), when.toString(QStringLiteral("yyyy-MM-dd")))
        .replace(QLatin1String("{time}"), when.toString(QStringLiteral("HHmmss")))
        .replace(QLatin1String("{seed}"), QString::number(source.seed))
        .replace(QLatin1String("{model}"), fileNameSafe(source.modelName.isEmpty() ? QStringLiteral("unknown")
                                                                                   : source.modelName))
        .replace(QLatin1String("{index}"), QStringLiteral("%1").arg(index + 1, digits, 10, QLatin1Char('0')))
        .replace(QLatin1String("{prompt}"), fileNameSafe(source.prompt, 40))
        .replace(QLatin1String("{width}"), QString::number(width))
        .replace(QLatin1String("{height}"), QString::number(height))
        .replace(QLatin1String("{name}"), fileNameSafe(QFileInfo(source.path).completeBaseName()));
    name = fileNameSafe(name, 180);
    if (name.isEmpty())
        name = QString::number(index + 1);
    return name + QLatin1Char('.') + extension;
}

QString freeFilePath(const QString& folder, const QString& name, const QSet<QString>& taken)
{
    const QDir dir(folder);
    const QFileInfo info(name);
    const QString stem = info.completeBaseName();
    const QString suffix = info.suffix().isEmpty() ? QString() : QLatin1Char('.') + info.suffix();
    QString candidate = dir.filePath(name);
    for (int n = 2; QFileInfo::exists(candidate) || taken.contains(candidate.toLower()); ++n)
        candidate = dir.filePath(QStringLiteral("%1-%2%3").arg(stem).arg(n).arg(suffix));
    return candidate;
}

ExportResult exportImages(const QList<ExportSource>& sources, const ExportOptions& options,
                          const std::function<bool(int done, int total)>& progress)
{
    ExportResult result;
    const int total = static_cast<int>(sources.size());
    if (!QDir().mkpath(options.folder)) {
        result.errors << QCoreApplication::translate("easel::app::BatchExport",
                                                     "Cannot create the folder %1. Check its permissions or pick another.")
                             .arg(QDir::toNativeSeparators(options.folder));
        return result;
    }
    const QString extension = exportExtension(options.format);
    QSet<QString> taken;
    QList<Written> written;
    for (int i = 0; i < total; ++i) {
        if (progress && !progress(i, total)) {
            result.cancelled = true;
            break;
        }
        const ExportSource& source = sources[i];
        try {
            const std::string sourcePath = source.path.toStdString();
            api::Image image = fitLongestSide(api::readImage(sourcePath, true), options.maxSide);
            ExportedImage out;
            out.source = source.path;
            out.width = image.width;
            out.height = image.height;
            // The file's own text is what A1111/civitai read back; the catalog's request is a fallback
            // only for the sidecars (it is not an infotext).
            out.parameters = QString::fromStdString(api::readParametersText(sourcePath));
            const QString name = exportFileName(options.nameTemplate, source, i, total, image.width, image.height,
                                                extension);
            out.file = freeFilePath(options.folder, name, taken);
            out.renamed = QFileInfo(out.file).fileName() != name;
            taken.insert(out.file.toLower());
            api::writeImage(image, out.file.toStdString(),
                                  options.keepMetadata ? out.parameters.toStdString() : std::string(),
                                  options.quality);
            written.append({&source, out});
            result.images.append(out);
        } catch (const std::exception& e) {
            result.errors << QStringLiteral("%1: %2").arg(QFileInfo(source.path).fileName(), QString::fromUtf8(e.what()));
        }
    }
    if (options.writeCsv && !written.isEmpty()) {
        const QString path = freeFilePath(options.folder, QStringLiteral("easel-export.csv"), taken);
        if (writeWhole(path, csvSidecar(written)))
            result.csvFile = path;
        else
            result.errors << QCoreApplication::translate("easel::app::BatchExport",
                                                         "Cannot write %1. Check that the folder is writable.")
                                 .arg(QDir::toNativeSeparators(path));
    }
    if (options.writeJson && !written.isEmpty()) {
        const QString path = freeFilePath(options.folder, QStringLiteral("easel-export.json"), taken);
        if (writeWhole(path, jsonSidecar(written)))
            result.jsonFile = path;
        else
            result.errors << QCoreApplication::translate("easel::app::BatchExport",
                                                         "Cannot write %1. Check that the folder is writable.")
                                 .arg(QDir::toNativeSeparators(path));
    }
    if (progress && !result.cancelled)
        progress(total, total);
    return result;
}

} // namespace easel::app
