#pragma once
/// The studio's generations run on an Easel server: a service::Generator that submits each job
/// to the server, follows its event stream (progress, previews, images), fetches every image the
/// moment the server reports it and hands it to GenerationService, which names, saves and records
/// it in the local gallery exactly as for a local job. The service's stop token becomes a DELETE
/// on the server; the images finished before stay. Runs on the service's worker thread. Plain C++.

#include <functional>
#include <string>
#include <vector>

#include "app/remote/server_client.h"
#include "engine/service/generator.h"

namespace easel::remote {

/// Reads a picture file of this computer (api::readImage): the server cannot open the studio's
/// paths, so a request's init image, mask and ControlNet pictures travel as pixels.
using PictureReader = std::function<api::Image(const std::string& path)>;

class RemoteGenerator : public service::Generator {
public:
    /// Throws api::Error(InvalidRequest) for an address that cannot be one. Without a reader,
    /// requests that name picture files are refused.
    explicit RemoteGenerator(ServerConfig config, PictureReader readPicture = {});

    api::GenerationResult generate(const api::GenerationRequest& request, const api::GenerateOptions& options) override;
    std::vector<std::string> warnings() const override { return m_warnings; }

    const ServerClient& client() const { return m_client; }

private:
    struct Run;
    void follow(Run& run);
    void catchUp(Run& run);
    void deliver(Run& run, const ServerImage& image);
    api::GenerationResult finish(Run& run);

    api::GenerationRequest withPixels(api::GenerationRequest request) const;

    ServerClient m_client;
    PictureReader m_readPicture;
    std::vector<std::string> m_warnings;
};

} // namespace easel::remote
