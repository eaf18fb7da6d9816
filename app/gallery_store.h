#pragma once
/// Writes of the studio's history to the catalog (the service records new images): deleting one (file to
/// the system trash, row removed) and undoing that. Blocking: run on catalogPool(). Any thread.

#include <QList>
#include <QSize>
#include <QString>
#include <QStringList>

#include <optional>

#include "engine/api/request.h"
#include "engine/catalog/gallery.h"

namespace easel::catalog {
class Database;
}

namespace easel::app {

/// What undoing a delete needs: the row as it was and where the file went.
struct DeletedGalleryImage {
    catalog::ImageRow row;
    QString trashedPath;   ///< where QFile::moveToTrash put the file ("" when it was already gone)
};

struct DeleteOutcome {
    std::optional<DeletedGalleryImage> deleted;
    QString error;         ///< why nothing was deleted ("" = deleted)
};

/// Moves the image file to the trash, then removes the row. When the trash refuses, nothing changes.
DeleteOutcome deleteGalleryImage(catalog::Database& db, qint64 imageId);

/// Puts the file back from the trash and records the row again (it gets a new id, returned).
/// Throws api::Error when the file cannot be restored.
qint64 restoreGalleryImage(catalog::Database& db, const DeletedGalleryImage& deleted);

/// The seed an infotext records ("Seed: 123"), or nullopt.
std::optional<qint64> seedFromInfotext(const QString& infotext);

} // namespace easel::app
