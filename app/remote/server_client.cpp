#include "app/remote/server_client.h"

#include <httplib.h>

#include "engine/api/error.h"

namespace easel::remote {
namespace {

constexpr const char* kCheckAddress = "; check the address in Settings → Engine and that easel-server runs there";

/// httplib's error names in words.
std::string describe(httplib::Error error)
{
    switch (error) {
    case httplib::Error::Connection:
        return "no connection (refused, or the host is unknown)";
    case httplib::Error::ConnectionTimeout:
        return "no answer in time";
    case httplib::Error::Read:
        return "the reply broke off";
    case httplib::Error::Write:
        return "the request could not be sent";
    case httplib::Error::SSLConnection:
        return "the TLS handshake failed";
    case httplib::Error::SSLLoadingCerts:
        return "the system's TLS certificates could not be loaded";
    case httplib::Error::SSLServerVerification:
        return "its TLS certificate is not trusted";
    default:
        return httplib::to_string(error);
    }
}

[[noreturn]] void unreachable(const ServerAddress& address, httplib::Error error)
{
    throw api::Error(api::ErrorCode::FileUnreadable,
        "cannot reach the Easel server at " + address.display + ": " + describe(error) + kCheckAddress);
}

/// Turns an HTTP error reply into the api::Error the user reads; nothing for a 2xx reply.
void checkStatus(const ServerAddress& address, bool sentKey, int status, const std::string& body,
    const std::string& retryAfter, const char* what)
{
    if (status >= 200 && status < 300)
        return;
    const std::string detail = errorDetail(body);
    const std::string at = "the Easel server at " + address.display;
    switch (status) {
    case 401:
    case 403:
        if (!sentKey)
            throw api::Error(api::ErrorCode::InvalidRequest,
                at + " needs an API key (" + detail + "); enter it in Settings → Engine");
        throw api::Error(api::ErrorCode::InvalidRequest,
            at + " refused the API key (" + detail + "); check the key in Settings → Engine");
    case 503:
        throw api::Error(api::ErrorCode::Busy,
            at + " is busy (" + detail + "); try again"
                + (retryAfter.empty() ? std::string(" later") : " in " + retryAfter + " s"));
    case 400:
    case 422:
        throw api::Error(api::ErrorCode::InvalidRequest, at + " refused the request: " + detail);
    case 404: // a model or job it does not know says so; an endpoint it lacks says nothing
        if (!detail.empty())
            throw api::Error(api::ErrorCode::FileNotFound, at + ": " + detail);
        throw api::Error(
            api::ErrorCode::InvalidRequest, at + " has no " + what + "; is it an Easel server of this version?");
    default:
        throw api::Error(api::ErrorCode::Internal,
            at + " failed (HTTP " + std::to_string(status) + ") with " + what + ": " + detail);
    }
}

} // namespace

ServerClient::ServerClient(ServerConfig config)
    : m_config(std::move(config))
    , m_address(parseServerAddress(m_config.url))
{
}

namespace {

std::unique_ptr<httplib::Client> connect(const ServerAddress& address, const ServerConfig& config)
{
    auto client = std::make_unique<httplib::Client>(address.schemeHostPort);
    if (!client->is_valid())
        throw api::Error(api::ErrorCode::InvalidRequest,
            "the Easel server address \"" + address.display + "\" cannot be used" + kCheckAddress);
    client->set_connection_timeout(config.connectTimeoutSeconds, 0);
    client->set_read_timeout(config.readTimeoutSeconds, 0);
    client->set_write_timeout(config.readTimeoutSeconds, 0);
    return client;
}

httplib::Headers headersFor(const ServerConfig& config)
{
    httplib::Headers headers;
    if (!config.apiKey.empty())
        headers.emplace("Authorization", "Bearer " + config.apiKey);
    return headers;
}

/// Fails as checkStatus does, or as unreachable when no reply came.
const httplib::Response& replyOf(
    const httplib::Result& result, const ServerAddress& address, bool sentKey, const char* what)
{
    if (!result)
        unreachable(address, result.error());
    checkStatus(address, sentKey, result->status, result->body, result->get_header_value("Retry-After"), what);
    return *result;
}

} // namespace

std::string ServerClient::get(const std::string& path, const char* what) const
{
    auto client = connect(m_address, m_config);
    return replyOf(
        client->Get(m_address.basePath + path, headersFor(m_config)), m_address, !m_config.apiKey.empty(), what)
        .body;
}

void ServerClient::checkConnection() const
{
    (void)get("/healthz", "health check");
    (void)get("/sdapi/v1/sd-models", "model list"); // the health check takes no key; this one does
}

ServerJob ServerClient::submit(
    const api::GenerationRequest& request, int previewEverySteps, const std::string& title) const
{
    auto client = connect(m_address, m_config);
    const auto result = client->Post(m_address.basePath + "/easel/v1/jobs", headersFor(m_config),
        jobSubmission(request, previewEverySteps, title), "application/json");
    return parseJob(replyOf(result, m_address, !m_config.apiKey.empty(), "jobs API").body);
}

ServerJob ServerClient::job(const std::string& id) const { return parseJob(get("/easel/v1/jobs/" + id, "such job")); }

ServerJob ServerClient::cancel(const std::string& id) const
{
    auto client = connect(m_address, m_config);
    const auto result = client->Delete(m_address.basePath + "/easel/v1/jobs/" + id, headersFor(m_config));
    return parseJob(replyOf(result, m_address, !m_config.apiKey.empty(), "such job").body);
}

std::string ServerClient::fetchImage(const std::string& url) const
{
    // The server gives paths from its root; a proxy prefix is ours to add.
    return get(url.rfind(m_address.basePath + "/", 0) == 0 ? url.substr(m_address.basePath.size()) : url, "such image");
}

void ServerClient::followEvents(const std::string& id, const std::function<bool(const SseEvent&)>& onEvent) const
{
    auto client = connect(m_address, m_config);
    httplib::Headers headers = headersFor(m_config);
    headers.emplace("Accept", "text/event-stream");
    int status = 0;
    std::string retryAfter, errorBody;
    SseParser parser;
    bool stopped = false;
    const auto result = client->Get(
        m_address.basePath + "/easel/v1/jobs/" + id + "/events", headers,
        [&](const httplib::Response& response) {
            status = response.status;
            retryAfter = response.get_header_value("Retry-After");
            return true;
        },
        [&](const char* data, std::size_t size) {
            if (status != 200) { // an error reply: its body says why
                errorBody.append(data, size);
                return true;
            }
            for (const SseEvent& event : parser.feed(std::string_view(data, size)))
                if (!onEvent(event)) {
                    stopped = true;
                    return false;
                }
            return true;
        });
    if (stopped)
        return;
    if (!result && status == 0)
        unreachable(m_address, result.error());
    checkStatus(m_address, !m_config.apiKey.empty(), status, errorBody, retryAfter, "job events");
    if (!result)
        throw api::Error(api::ErrorCode::FileUnreadable,
            "the connection to the Easel server at " + m_address.display + " broke off while following job " + id + " ("
                + describe(result.error()) + ")");
}

std::vector<ServerModel> ServerClient::checkpoints() const
{
    return parseCheckpoints(get("/sdapi/v1/sd-models", "model list"));
}
std::vector<ServerModel> ServerClient::vaes() const { return parseVaes(get("/sdapi/v1/sd-vae", "VAE list")); }
std::vector<ServerModel> ServerClient::loras() const { return parseLoras(get("/sdapi/v1/loras", "LoRA list")); }
std::vector<ServerModel> ServerClient::controlNets() const
{
    return parseControlNets(get("/controlnet/model_list", "ControlNet list"));
}
std::vector<std::string> ServerClient::samplers() const
{
    return parseSamplers(get("/sdapi/v1/samplers", "sampler list"));
}

} // namespace easel::remote
