#pragma once
/// One SQLite connection to the catalog file (WAL, foreign keys on). A Database belongs to one
/// thread; every thread that needs the catalog opens its own (DESIGN.md, Threading).

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/catalog/statement.h"

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

    /// A new prepared statement.
    Statement prepare(std::string_view sql);
    /// A prepared statement kept for the life of this connection (reset before it is returned):
    /// hot paths (scanner inserts, searches) prepare once.
    Statement& cached(const std::string& sql);
    int64_t lastInsertId() const;
    int changes() const; ///< rows changed by the last INSERT/UPDATE/DELETE
    const std::string& path() const { return m_path; }
    sqlite3* handle() const { return m_db; }

private:
    void configureAndMigrate();

    std::string m_path;
    sqlite3* m_db = nullptr;
    int m_lastFailure = 0; ///< SQLite result code of the last exec/query that threw
    std::unordered_map<std::string, Statement> m_cache;
};

/// BEGIN IMMEDIATE ... COMMIT, rolled back when destroyed without commit() (an exception unwound).
/// IMMEDIATE takes the write lock up front, so two writers wait (busy timeout) instead of
/// deadlocking on a read-to-write upgrade.
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Database& m_db;
    bool m_open = true;
};

} // namespace easel::catalog
