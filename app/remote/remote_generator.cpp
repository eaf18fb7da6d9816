#include "app/remote/remote_generator.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "engine/api/error.h"
#include "engine/api/logging.h"
#include "engine/api/png_data.h"

namespace easel::remote {
namespace {

using namespace std::chrono_literals;

/// Turns the service's stop token into one DELETE on the server, from a thread of its own: the
/// worker thread is blocked reading the event stream, which only the server's answer (the job
/// ending as cancelled) ends.
class CancelWatch {
public:
    CancelWatch(const ServerClient& client, std::string id, const api::StopToken* stop)
    {
        if (!stop)
            return;
        m_thread = std::thread([this, &client, id = std::move(id), stop] {
            std::unique_lock lock(m_mutex);
            while (!m_done && !stop->stopRequested())
                m_wake.wait_for(lock, 50ms);
            if (m_done)
                return;
            lock.unlock();
            try {
                (void)client.cancel(id);
            } catch (const std::exception& e) { // the stream then ends as the server decides
                api::logWarning(std::string("could not cancel the server job ") + id + ": " + e.what());
            }
        });
    }
    ~CancelWatch()
    {
        {
            std::lock_guard lock(m_mutex);
            m_done = true;
        }
        m_wake.notify_all();
        if (m_thread.joinable())
            m_thread.join();
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_done = false;
    std::thread m_thread;
};

} // namespace

struct RemoteGenerator::Run {
    const api::GenerateOptions& options;
    ServerJob job; ///< the latest state the server sent
    std::set<int> delivered; ///< image indices handed to the service
    api::GenerationResult result;
    bool ended = false; ///< the stream sent `done`
};

RemoteGenerator::RemoteGenerator(ServerConfig config, PictureReader readPicture)
    : m_client(std::move(config))
    , m_readPicture(std::move(readPicture))
{
}

api::GenerationRequest RemoteGenerator::withPixels(api::GenerationRequest request) const
{
    auto inline_ = [this](std::string& path, api::Image& pixels) {
        if (path.empty())
            return;
        if (pixels.empty()) {
            if (!m_readPicture)
                throw api::Error(
                    api::ErrorCode::InvalidRequest, "the Easel server cannot open pictures of this computer", path);
            pixels = m_readPicture(path);
        }
        path.clear();
    };
    inline_(request.initImage, request.initPixels);
    if (request.inpaint)
        inline_(request.inpaint->mask, request.inpaint->maskPixels);
    for (api::ControlUnit& unit : request.controlNets)
        if (unit.enabled)
            inline_(unit.image, unit.imagePixels);
    return request;
}

api::GenerationResult RemoteGenerator::generate(
    const api::GenerationRequest& request, const api::GenerateOptions& options)
{
    m_warnings.clear();
    if (options.stop && options.stop->stopRequested())
        throw api::Error(api::ErrorCode::Cancelled, "cancelled");
    Run run { options, m_client.submit(withPixels(request), std::max(0, options.previewEverySteps), {}), {}, {} };
    {
        CancelWatch watch(m_client, run.job.id, options.stop);
        try {
            follow(run);
        } catch (const api::Error& e) { // a broken stream: the job's state says what happened
            api::logWarning(std::string("job events from the Easel server: ") + e.what() + "; polling the job");
        }
        catchUp(run);
    }
    return finish(run);
}

void RemoteGenerator::follow(Run& run)
{
    m_client.followEvents(run.job.id, [&](const SseEvent& event) {
        if (event.type == "progress" && run.options.progress) {
            const ServerProgress p = parseProgress(event.data);
            api::Progress progress;
            try {
                progress = toProgress(p);
            } catch (const api::Error&) { // a damaged preview is not worth the job
                ServerProgress without = p;
                without.preview.clear();
                progress = toProgress(without);
            }
            run.options.progress(progress);
        } else if (event.type == "image") {
            deliver(run, parseImage(event.data));
        } else if (event.type == "state" || event.type == "done") {
            run.job = parseJob(event.data);
            run.ended = event.type == "done";
        }
        return !run.ended;
    });
}

void RemoteGenerator::catchUp(Run& run)
{
    // Without `done` (the stream broke off), ask until the job is over; either way, images the
    // stream did not bring are fetched from the final state.
    auto pause = 100ms;
    while (!run.ended && !run.job.finished()) {
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::milliseconds(1000));
        run.job = m_client.job(run.job.id);
    }
    for (const ServerImage& image : run.job.images)
        deliver(run, image);
}

void RemoteGenerator::deliver(Run& run, const ServerImage& image)
{
    if (!run.delivered.insert(image.index).second)
        return;
    api::GeneratedImage generated;
    generated.image = api::decodePngData(m_client.fetchImage(image.url));
    generated.seed = image.seed;
    generated.infotext = image.infotext;
    if (run.result.images.empty())
        run.result.firstSeed = image.seed;
    if (run.options.imageReady)
        run.options.imageReady(generated, image.index);
    generated.image = {}; // the service keeps the pixels it needs; the result need not
    run.result.images.push_back(std::move(generated));
}

api::GenerationResult RemoteGenerator::finish(Run& run)
{
    m_warnings = run.job.warnings;
    run.result.seconds = run.job.runSeconds;
    if (run.job.state == "cancelled")
        throw api::Error(api::ErrorCode::Cancelled, "cancelled");
    if (run.job.state == "failed")
        throw api::Error(errorCodeFromName(run.job.errorCode),
            run.job.errorMessage.empty() ? "the Easel server could not run the job" : run.job.errorMessage);
    return std::move(run.result);
}

} // namespace easel::remote
