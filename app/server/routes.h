#pragma once
// The route groups of easel-server, each registered on the one HTTP server.

namespace httplib {
class Server;
}

namespace easel::server {

struct ServerContext;

void registerA1111GenerationRoutes(httplib::Server& http, ServerContext& ctx);  // txt2img, img2img, progress, interrupt, skip
void registerA1111ListingRoutes(httplib::Server& http, ServerContext& ctx);     // options, models, samplers, …
void registerControlNetRoutes(httplib::Server& http, ServerContext& ctx);       // /controlnet/*
void registerNativeRoutes(httplib::Server& http, ServerContext& ctx);           // /easel/v1/*
void registerOperationsRoutes(httplib::Server& http, ServerContext& ctx);       // /healthz, /readyz, /metrics

} // namespace easel::server
