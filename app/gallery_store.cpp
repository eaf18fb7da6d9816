#include "app/gallery_store.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include "engine/api/error.h"
#include "engine/api/infotext.h"
#include "engine/catalog/database.h"

namespace easel::app {

std::optional<qint64> seedFromInfotext(const QString& infotext)
{
    const auto parsed = api::parseInfotext(infotext.toStdString());
    const auto seed = parsed.get("Seed");
    if (!seed)
        return std::nullopt;
    bool ok = false;
    const qint64 value = QString::fromStdString(*seed).toLongLong(&ok);
    return ok ? std::optional<qint64>(value) : std::nullopt;
}

DeleteOutcome deleteGalleryImage(catalog::Database& db, qint64 imageId)
{
    DeleteOutcome outcome;
    catalog::Gallery gallery(db);
    const std::optional<catalog::ImageRow> row = gallery.get(imageId);
    if (!row) {
        outcome.error = QStringLiteral("the image is no longer in the gallery");
        return outcome;
    }
    DeletedGalleryImage deleted{*row, {}};
    const QString path = QString::fromStdString(row->path);
    if (QFileInfo::exists(path)) {
        // The trash, not unlink: the file manager can restore it even after Easel quits.
        if (!QFile::moveToTrash(path, &deleted.trashedPath)) {
            outcome.error = QStringLiteral("%1 could not be moved to the trash; check that the folder is writable")
                                .arg(path);
            return outcome;
        }
    }
    gallery.deleteImage(imageId);
    outcome.deleted = std::move(deleted);
    return outcome;
}

qint64 restoreGalleryImage(catalog::Database& db, const DeletedGalleryImage& deleted)
{
    const QString path = QString::fromStdString(deleted.row.path);
    if (!deleted.trashedPath.isEmpty()) {
        if (QFileInfo::exists(path) || !QFile::rename(deleted.trashedPath, path))
            throw api::Error(api::ErrorCode::FileUnreadable,
                             "the deleted image could not be put back from the trash (" +
                                 deleted.trashedPath.toStdString() + "); restore it with the file manager",
                             path.toStdString());
        // freedesktop.org trash: files/<name> has info/<name>.trashinfo beside; drop the stale entry.
        const QFileInfo trashed(deleted.trashedPath);
        QFile::remove(QDir(trashed.absolutePath() + QStringLiteral("/../info"))
                          .filePath(trashed.fileName() + QStringLiteral(".trashinfo")));
    }
    const catalog::ImageRow& r = deleted.row;
    catalog::Gallery gallery(db);
    catalog::NewGeneration generation;
    generation.prompt = r.prompt;
    generation.negativePrompt = r.negativePrompt;
    generation.paramsJson = r.paramsJson;
    generation.modelId = r.modelId;
    generation.modelHash = r.modelHash;
    generation.modelName = r.modelName;
    generation.createdAt = r.createdAt;
    const qint64 generationId = gallery.addGeneration(generation);
    catalog::Transaction tx(db);
    catalog::NewImage image;
    image.generationId = generationId;
    image.path = r.path;
    image.thumbnailPath = r.thumbnailPath;
    image.seed = r.seed;
    image.width = r.width;
    image.height = r.height;
    image.createdAt = r.createdAt;
    const qint64 id = gallery.addImage(image);
    if (r.favourite)
        gallery.setFavourite(id, true);
    if (r.rating)
        gallery.setRating(id, r.rating);
    tx.commit();
    return id;
}

} // namespace easel::app
