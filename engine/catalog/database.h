#pragma once
/// One SQLite connection to the catalog file (WAL, foreign keys on). A Database belongs to one
/// thread; every thread that needs the catalog opens its own (DESIGN.md, Threading).

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

struct sqlite3;

namespace easel::catalog {

class Database {
public:
    /// Opens (creating if needed) and migrates to the current schema. ":memory:" works for tests.
    /// Throws api::Error (FileUnreadable / CorruptFile) with the path when the file is not a usable catalog.
    explicit Database(const std::string& path);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    /// Runs SQL with no result rows (DDL, pragmas, simple writes).
    void exec(const std::string& sql);
    /// Runs a query and calls `row` with the column texts of each result row.
    void query(const std::string& sql, const std::function<void(const std::vector<std::string>&)>& row);
    /// PRAGMA user_version: the schema version this file is at.
    int schemaVersion();
    const std::string& path() const { return m_path; }
    sqlite3* handle() const { return m_db; }

private:
    std::string m_path;
    sqlite3* m_db = nullptr;
};

} // namespace easel::catalog
