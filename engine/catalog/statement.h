#pragma once
/// A prepared SQLite statement (RAII). Belongs to the thread of its Database. Binding is 1-based as
/// in SQLite; columns are 0-based. step() returns true while there is a row.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace easel::catalog {

class Statement {
public:
    Statement(sqlite3* db, std::string_view sql, const std::string& dbPath);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view text); ///< copied by SQLite (SQLITE_TRANSIENT)
    Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
    Statement& bindNull(int index);
    Statement& bind(int index, const std::optional<int64_t>& value);

    /// Advances; true when a row is available. Throws api::Error on failure.
    bool step();
    /// Runs a statement that returns no rows (or ignores them) and resets it for reuse.
    void run();
    /// Resets and clears the bindings so the statement can be reused.
    void reset();

    int64_t int64(int column) const;
    int integer(int column) const { return static_cast<int>(int64(column)); }
    double real(int column) const;
    std::string text(int column) const;
    bool isNull(int column) const;

private:
    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_stmt = nullptr;
    std::string m_dbPath;
};

} // namespace easel::catalog
