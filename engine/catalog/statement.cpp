#include "engine/catalog/statement.h"

#include <sqlite3.h>

#include <utility>

#include "engine/api/error.h"

namespace easel::catalog {

namespace {

[[noreturn]] void fail(sqlite3* db, const std::string& what, const std::string& path)
{
    const int code = sqlite3_errcode(db);
    const auto errorCode = code == SQLITE_CORRUPT || code == SQLITE_NOTADB ? api::ErrorCode::CorruptFile
                           : code == SQLITE_FULL || code == SQLITE_IOERR || code == SQLITE_READONLY
                               ? api::ErrorCode::FileUnreadable
                               : api::ErrorCode::Internal;
    throw api::Error(errorCode, "catalog " + what + " failed: " + sqlite3_errmsg(db), path);
}

} // namespace

Statement::Statement(sqlite3* db, std::string_view sql, const std::string& dbPath)
    : m_db(db)
    , m_dbPath(dbPath)
{
    if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr)
        != SQLITE_OK)
        fail(db, "query preparation (" + std::string(sql.substr(0, 80)) + ")", dbPath);
}

Statement::~Statement()
{
    if (m_stmt)
        sqlite3_finalize(m_stmt);
}

Statement::Statement(Statement&& other) noexcept
    : m_db(other.m_db)
    , m_stmt(std::exchange(other.m_stmt, nullptr))
    , m_dbPath(std::move(other.m_dbPath))
{
}

Statement& Statement::operator=(Statement&& other) noexcept
{
    if (this != &other) {
        if (m_stmt)
            sqlite3_finalize(m_stmt);
        m_db = other.m_db;
        m_stmt = std::exchange(other.m_stmt, nullptr);
        m_dbPath = std::move(other.m_dbPath);
    }
    return *this;
}

Statement& Statement::bind(int index, int64_t value)
{
    if (sqlite3_bind_int64(m_stmt, index, value) != SQLITE_OK)
        fail(m_db, "bind", m_dbPath);
    return *this;
}

Statement& Statement::bind(int index, double value)
{
    if (sqlite3_bind_double(m_stmt, index, value) != SQLITE_OK)
        fail(m_db, "bind", m_dbPath);
    return *this;
}

Statement& Statement::bind(int index, std::string_view text)
{
    if (sqlite3_bind_text64(m_stmt, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8) != SQLITE_OK)
        fail(m_db, "bind", m_dbPath);
    return *this;
}

Statement& Statement::bindNull(int index)
{
    if (sqlite3_bind_null(m_stmt, index) != SQLITE_OK)
        fail(m_db, "bind", m_dbPath);
    return *this;
}

Statement& Statement::bind(int index, const std::optional<int64_t>& value)
{
    return value ? bind(index, *value) : bindNull(index);
}

bool Statement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    std::string sql = sqlite3_sql(m_stmt) ? sqlite3_sql(m_stmt) : "";
    sqlite3_reset(m_stmt);
    fail(m_db, "statement (" + sql.substr(0, 80) + ")", m_dbPath);
}

void Statement::run()
{
    while (step()) {
    }
    reset();
}

void Statement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

int64_t Statement::int64(int column) const { return sqlite3_column_int64(m_stmt, column); }
double Statement::real(int column) const { return sqlite3_column_double(m_stmt, column); }

std::string Statement::text(int column) const
{
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
    return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(m_stmt, column))) : std::string();
}

bool Statement::isNull(int column) const { return sqlite3_column_type(m_stmt, column) == SQLITE_NULL; }

} // namespace easel::catalog
