#pragma once
// public-headers-plain: an internal engine header and a third-party header in a public header.
#include <string>
#include "engine/api/request.h"
#include "job_events.h"
#include "engine/catalog/database.h"
#include <nlohmann/json.hpp>
