#include "engine/catalog/database.h"

#include <sqlite3.h>

#include <chrono>
#include <thread>

#include "engine/api/error.h"
#include "engine/catalog/migrations.h"

namespace easel::catalog {

using api::Error;
using api::ErrorCode;

Database::Database(const std::string& path)
    : m_path(path)
{
    const int rc = sqlite3_open_v2(path.c_str(), &m_db,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        std::string reason = m_db ? sqlite3_errmsg(m_db) : "out of memory";
        sqlite3_close(m_db);
        m_db = nullptr;
        throw Error(ErrorCode::FileUnreadable,
                    "cannot open the catalog (" + reason + "); check the folder exists and is writable", path);
    }
    sqlite3_busy_timeout(m_db, 5000);
    try {
        configureAndMigrate();
    } catch (...) {
        m_cache.clear();
        sqlite3_close(m_db);
        m_db = nullptr;
        throw;
    }
}

void Database::configureAndMigrate()
{
    // Two connections opening a fresh file together (the studio's scanner and main threads, two
    // server processes) can get SQLITE_BUSY without the busy handler being consulted: switching
    // the journal mode and upgrading a read lock both refuse at once rather than risk deadlock.
    // The set-up is idempotent, so wait a moment and run it again.
    for (int attempt = 0;; ++attempt) {
        try {
            exec("PRAGMA foreign_keys = ON");
            if (m_path != ":memory:")
                exec("PRAGMA journal_mode = WAL");
            exec("PRAGMA synchronous = NORMAL");
            migrate(*this);
            return;
        } catch (const Error&) {
            const int primary = m_lastFailure & 0xff;
            if ((primary != SQLITE_BUSY && primary != SQLITE_LOCKED) || attempt >= 100)
                throw;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
}

Database::~Database()
{
    m_cache.clear(); // statements must be finalised before the connection closes
    if (m_db)
        sqlite3_close(m_db);
}

void Database::exec(const std::string& sql)
{
    char* message = nullptr;
    if (sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        std::string text = message ? message : "unknown error";
        sqlite3_free(message);
        const int code = sqlite3_errcode(m_db);
        m_lastFailure = code;
        throw Error(code == SQLITE_NOTADB || code == SQLITE_CORRUPT ? ErrorCode::CorruptFile : ErrorCode::Internal,
                    "catalog error: " + text, m_path);
    }
}

void Database::query(const std::string& sql, const std::function<void(const std::vector<std::string>&)>& row)
{
    sqlite3_stmt* stmt = nullptr;
    if (const int prepared = sqlite3_prepare_v2(m_db, sql.c_str(), -1, &stmt, nullptr); prepared != SQLITE_OK) {
        m_lastFailure = prepared;
        throw Error(ErrorCode::Internal, std::string("catalog query error: ") + sqlite3_errmsg(m_db), m_path);
    }
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        std::vector<std::string> values;
        const int n = sqlite3_column_count(stmt);
        values.reserve(n);
        for (int i = 0; i < n; ++i) {
            const auto* text = sqlite3_column_text(stmt, i);
            values.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
        }
        row(values);
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) {
        m_lastFailure = rc;
        throw Error(ErrorCode::Internal, std::string("catalog query error: ") + sqlite3_errmsg(m_db), m_path);
    }
}

int Database::schemaVersion()
{
    int version = 0;
    query("PRAGMA user_version", [&](const std::vector<std::string>& r) { version = std::stoi(r.at(0)); });
    return version;
}

Statement Database::prepare(std::string_view sql) { return Statement(m_db, sql, m_path); }

Statement& Database::cached(const std::string& sql)
{
    auto it = m_cache.find(sql);
    if (it == m_cache.end())
        it = m_cache.emplace(sql, Statement(m_db, sql, m_path)).first;
    it->second.reset();
    return it->second;
}

int64_t Database::lastInsertId() const { return sqlite3_last_insert_rowid(m_db); }
int Database::changes() const { return sqlite3_changes(m_db); }

Transaction::Transaction(Database& db)
    : m_db(db)
{
    m_db.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction()
{
    if (m_open) {
        try {
            m_db.exec("ROLLBACK");
        } catch (...) {
            // The connection is already out of the transaction (SQLite rolled back on the error).
        }
    }
}

void Transaction::commit()
{
    m_db.exec("COMMIT");
    m_open = false;
}

} // namespace easel::catalog
