// Allowed: a service source may include the catalog and third-party headers.
#include "engine/service/job.h"
#include "engine/catalog/database.h"
#include <nlohmann/json.hpp>
