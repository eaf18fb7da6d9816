#pragma once
/// Versioned schema of the catalog. Each migration moves the file from version N-1 to N inside one
/// transaction, so a crash mid-upgrade leaves the previous version intact.

#include <string>
#include <vector>

namespace easel::catalog {

class Database;

struct Migration {
    int version;
    const char* description;
    const char* sql;
};

/// Every migration in order; the last one's version is the current schema version.
const std::vector<Migration>& migrations();
int currentSchemaVersion();

/// Applies the migrations the file has not seen yet. Throws api::Error when the file is newer
/// than this build understands (a downgrade must not silently corrupt it).
void migrate(Database& db);

} // namespace easel::catalog
