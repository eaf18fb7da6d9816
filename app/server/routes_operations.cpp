// What orchestrators and operators call: /healthz (the process is alive), /readyz (it takes new
// work: 503 while draining or with a full queue, so a load balancer sends work elsewhere) and
// /metrics (Prometheus).

#include <httplib.h>

#include "app/server/http_util.h"
#include "app/server/routes.h"
#include "app/server/server_context.h"

namespace easel::server {

using nlohmann::json;

namespace {

std::optional<Metrics::FleetGauges> fleetGauges(ServerContext& ctx)
{
    Metrics::FleetGauges f;
    if (ctx.fleet) {
        f.redisUp = ctx.fleet->available();
        f.backlog = f.redisUp ? ctx.fleet->backlog() : -1;
        return f;
    }
    if (!ctx.worker)
        return std::nullopt;
    f.worker = ctx.worker->stats();
    f.redisUp = f.worker->connected;
    return f;
}

} // namespace

void registerOperationsRoutes(httplib::Server& http, ServerContext& ctx)
{
    http.Get("/healthz", [](const httplib::Request&, httplib::Response& res) { sendJson(res, 200, json{{"status", "ok"}}); });
    http.Get("/readyz", [&ctx](const httplib::Request&, httplib::Response& res) {
        const int queued = ctx.service->queuedCount();
        json body{{"queued", queued}, {"queue_depth", ctx.options.queueDepth}, {"draining", ctx.draining.load()}};
        if (ctx.ready()) {
            body["status"] = "ready";
            return sendJson(res, 200, body);
        }
        body["status"] = ctx.draining ? "draining" : "queue full";
        res.set_header("Retry-After", "5");
        sendJson(res, 503, body);
    });
    http.Get("/metrics", [&ctx](const httplib::Request&, httplib::Response& res) {
        Metrics::Gauges g;
        g.queued = ctx.service->queuedCount();
        g.running = ctx.runningJob() ? 1 : 0;
        g.draining = ctx.draining;
        g.ready = ctx.ready();
        g.fleet = fleetGauges(ctx);
        res.set_content(ctx.metrics.render(g), "text/plain; version=0.0.4; charset=utf-8");
    });
}

} // namespace easel::server
