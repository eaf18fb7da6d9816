#pragma once
// The OpenAPI 3 document of easel-server's native API (/easel/v1/openapi.json), written by hand
// next to the routes it describes; the A1111 paths are listed with a pointer to A1111's schema.

#include <nlohmann/json.hpp>

namespace easel::server {

nlohmann::json openApiDocument();

} // namespace easel::server
