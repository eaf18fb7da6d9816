#include "app/server/openapi.h"

#include "engine/api/version.h"

namespace easel::server {

using nlohmann::json;

namespace {

json ref(const std::string& name) { return {{"$ref", "#/components/schemas/" + name}}; }

json jsonBody(const json& schema) { return {{"content", {{"application/json", {{"schema", schema}}}}}}; }

json answer(const std::string& description, const json& schema = nullptr)
{
    json a{{"description", description}};
    if (!schema.is_null())
        a["content"] = {{"application/json", {{"schema", schema}}}};
    return a;
}

json jobIdParameter()
{
    return {{"name", "id"}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}, {"pattern", "^[0-9]+$"}}}};
}

json schemas()
{
    json progress{{"type", "object"},
                  {"properties",
                   {{"stage", {{"type", "string"}, {"enum", {"queued", "loading", "text", "sampling", "hires", "decoding", "saving"}}}},
                    {"step", {{"type", "integer"}}}, {"total_steps", {{"type", "integer"}}},
                    {"image_index", {{"type", "integer"}}}, {"image_count", {{"type", "integer"}}},
                    {"fraction", {{"type", "number"}}}, {"eta_seconds", {{"type", "number"}}},
                    {"seconds_per_step", {{"type", "number"}}},
                    {"preview", {{"type", "string"}, {"description", "base64 PNG (SSE progress events on preview steps)"}}}}}};
    json image{{"type", "object"},
               {"properties", {{"index", {{"type", "integer"}}}, {"seed", {{"type", "integer"}}}, {"width", {{"type", "integer"}}},
                               {"height", {{"type", "integer"}}}, {"infotext", {{"type", "string"}}}, {"url", {{"type", "string"}}}}}};
    json job{{"type", "object"},
             {"properties",
              {{"id", {{"type", "string"}}},
               {"state", {{"type", "string"}, {"enum", {"queued", "running", "done", "failed", "cancelled"}}}},
               {"title", {{"type", "string"}}}, {"progress", ref("Progress")},
               {"images", {{"type", "array"}, {"items", ref("Image")}}},
               {"warnings", {{"type", "array"}, {"items", {{"type", "string"}}}}},
               {"error", {{"type", "object"}, {"nullable", true},
                          {"properties", {{"code", {{"type", "string"}}}, {"message", {{"type", "string"}}}}}}},
               {"seed", {{"type", "integer"}}}, {"queued_seconds", {{"type", "number"}}}, {"run_seconds", {{"type", "number"}}},
               {"position", {{"type", "integer"}, {"description", "place among queued jobs (0 = next)"}}},
               {"links", {{"type", "object"}}}}}};
    json submit{{"type", "object"},
                {"description", "Either {request, previews, save, title} or an A1111 txt2img/img2img payload"},
                {"properties",
                 {{"request", {{"type", "object"}, {"description", "Easel GenerationRequest (snake_case keys as easel-cli "
                                                                  "writes them; pictures as base64 PNG, model names only)"}}},
                  {"previews", {{"type", "integer"}, {"minimum", 0}, {"description", "a preview every N steps (0 = none)"}}},
                  {"save", {{"type", "boolean"}, {"default", false}, {"description", "also save on the server"}}},
                  {"title", {{"type", "string"}, {"maxLength", 200}}}}}};
    json validation{{"type", "object"},
                    {"properties",
                     {{"detail", {{"type", "array"},
                                  {"items", {{"type", "object"},
                                             {"properties", {{"loc", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                                                             {"msg", {{"type", "string"}}},
                                                             {"type", {{"type", "string"}}}}}}}}}}}};
    json error{{"type", "object"}, {"properties", {{"detail", {{"type", "string"}}}}}};
    return {{"Progress", progress}, {"Image", image}, {"Job", job}, {"SubmitJob", submit},
            {"ValidationError", validation}, {"Error", error}};
}

json paths()
{
    const json busy = answer("queue full or draining; retry after the Retry-After header's seconds", ref("Error"));
    const json missing = answer("no such job (or not yours)", ref("Error"));
    json p;
    p["/easel/v1/jobs"]["post"] = {{"summary", "Queue a generation"},
                                   {"requestBody", jsonBody(ref("SubmitJob"))},
                                   {"responses", {{"202", answer("queued", ref("Job"))},
                                                  {"401", answer("missing or wrong credentials", ref("Error"))},
                                                  {"422", answer("invalid request", ref("ValidationError"))},
                                                  {"503", busy}}}};
    p["/easel/v1/jobs"]["get"] = {{"summary", "The caller's jobs (running, queued, recent finished)"},
                                  {"responses", {{"200", answer("jobs", {{"type", "object"}})}}}};
    p["/easel/v1/jobs/{id}"]["get"] = {{"summary", "A job's state, progress and images"},
                                       {"parameters", {jobIdParameter()}},
                                       {"responses", {{"200", answer("the job", ref("Job"))}, {"404", missing}}}};
    p["/easel/v1/jobs/{id}"]["delete"] = {{"summary", "Cancel a job (finished images stay)"},
                                          {"parameters", {jobIdParameter()}},
                                          {"responses", {{"200", answer("the job after the cancel", ref("Job"))}, {"404", missing}}}};
    p["/easel/v1/jobs/{id}/events"]["get"] = {
        {"summary", "Server-Sent Events: state (first), started, progress, image, done (last)"},
        {"parameters", {jobIdParameter()}},
        {"responses", {{"200", {{"description", "text/event-stream"}, {"content", {{"text/event-stream", {{"schema", {{"type", "string"}}}}}}}}},
                       {"404", missing}}}};
    p["/easel/v1/jobs/{id}/images/{n}"]["get"] = {
        {"summary", "One image as PNG with its A1111 parameters chunk"},
        {"parameters", {jobIdParameter(), {{"name", "n"}, {"in", "path"}, {"required", true}, {"schema", {{"type", "integer"}}}}}},
        {"responses", {{"200", {{"description", "PNG"}, {"content", {{"image/png", {{"schema", {{"type", "string"}, {"format", "binary"}}}}}}}}},
                       {"404", missing}}}};
    for (const char* path : {"/healthz", "/readyz"})
        p[path]["get"] = {{"summary", std::string(path) == "/healthz" ? "alive" : "takes new work (503 when not)"},
                          {"security", json::array()},
                          {"responses", {{"200", answer("ok")}, {"503", answer("not ready")}}}};
    p["/metrics"]["get"] = {{"summary", "Prometheus text exposition"},
                            {"responses", {{"200", {{"description", "text/plain; version=0.0.4"}}}}}};
    return p;
}

} // namespace

json openApiDocument()
{
    return {{"openapi", "3.0.3"},
            {"info", {{"title", "Easel server"}, {"version", api::easelVersion()},
                      {"description", "Easel's native jobs API. The same server also answers AUTOMATIC1111's /sdapi/v1 "
                                      "API (txt2img, img2img, progress, options, listings) and the ControlNet "
                                      "extension's /controlnet API with their own JSON shapes."}}},
            {"paths", paths()},
            {"components", {{"schemas", schemas()},
                            {"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}},
                                                 {"apiKey", {{"type", "apiKey"}, {"in", "header"}, {"name", "X-API-Key"}}},
                                                 {"basic", {{"type", "http"}, {"scheme", "basic"}}}}}}},
            {"security", {{{"bearer", json::array()}}, {{"apiKey", json::array()}}, {{"basic", json::array()}}}}};
}

} // namespace easel::server
