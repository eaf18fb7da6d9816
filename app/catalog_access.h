#pragma once
/// Where the studio's catalog lives and how threads reach it: every thread opens its own SQLite
/// connection (DESIGN.md, Threading), kept for the life of that thread; catalog work of the studio
/// runs on one dedicated pool thread so writes never contend. Any thread unless noted.

#include <QString>

class QThreadPool;

namespace easel::catalog {
class Database;
}

namespace easel::app {

/// <api::dataDirectory()>/catalog.sqlite (EASEL_DATA_DIR moves it, e.g. in tests).
QString defaultCatalogPath();

/// This thread's connection to the catalog at `path`, opened (and migrated) on first use.
/// Throws api::Error when the file is not a usable catalog.
catalog::Database& threadCatalog(const QString& path);

/// The pool that runs the studio's catalog queries and writes (one thread: writes stay ordered,
/// and a scan or a thumbnail load never waits behind them).
QThreadPool* catalogPool();

} // namespace easel::app
