#include "engine/catalog/name_lookup.h"

#include <exception>
#include <filesystem>
#include <memory>

#include "engine/catalog/database.h"
#include "engine/catalog/model_library.h"

namespace easel::catalog {

NameLookup catalogNameLookup(std::string databasePath)
{
    // Shared by copies of the function: one connection, opened lazily on the thread that calls.
    auto db = std::make_shared<std::unique_ptr<Database>>();
    return [db, path = std::move(databasePath)](const std::string& kind, const std::string& name) -> std::string {
        try {
            if (!*db) {
                std::error_code ec;
                if (!std::filesystem::exists(path, ec))
                    return {}; // no catalog yet: do not create one as a side effect of a lookup
                *db = std::make_unique<Database>(path);
            }
            const auto row = ModelLibrary(**db).resolve(kind, name);
            if (!row || row->status == "missing")
                return {};
            std::error_code ec;
            return std::filesystem::is_regular_file(row->path, ec) ? row->path : std::string();
        } catch (const std::exception&) {
            return {};
        }
    };
}

} // namespace easel::catalog
