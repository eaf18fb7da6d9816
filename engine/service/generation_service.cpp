#include "engine/service/generation_service.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <new>
#include <stdexcept>
#include <thread>
#include <utility>

#include "engine/api/logging.h"
#include "engine/core/utf8.h"
#include "engine/catalog/name_lookup.h"
#include "engine/service/gallery_recorder.h"
#include "engine/service/image_saver.h"
#include "engine/service/output_naming.h"

namespace easel::service {

using Clock = std::chrono::steady_clock;

namespace {

struct Entry {
    JobSnapshot snapshot;
    std::shared_ptr<api::StopToken> stop = std::make_shared<api::StopToken>();
    Clock::time_point queuedAt = Clock::now();
    Clock::time_point startedAt{};
};

std::string titleFor(const api::GenerationRequest& request, const JobOptions& options)
{
    if (!options.title.empty())
        return options.title;
    const std::string& p = request.prompt;
    return p.size() <= 48 ? p : std::string(core::utf8Prefix(p, 45)) + "…";
}

} // namespace

struct GenerationService::Impl {
    ServiceConfig config;

    mutable std::mutex mutex;
    std::condition_variable wake;    ///< the worker: a job, an unload or the end
    std::condition_variable changed; ///< waiters: a job finished or the queue emptied
    std::map<JobId, Entry> jobs;
    std::deque<JobId> queued;
    std::deque<JobId> finished;      ///< oldest first, for trimming
    std::vector<JobId> running;      ///< started, oldest first (one per lane)
    JobId nextId = 1;
    bool stopping = false;
    bool draining = false;
    bool unloadRequested = false;
    bool forever = false;
    api::GenerationRequest foreverRequest;
    JobOptions foreverOptions;

    std::mutex listenerMutex;
    std::map<int, JobListener> listeners;
    int nextListener = 1;

    // Worker thread only. `generator` runs the current job: config.generator (read under the
    // mutex when a job starts) or `localGenerator`, the adapter of `engine`.
    // Guarded by engineMutex (lanes > 1 share them).
    std::mutex engineMutex;
    std::unique_ptr<api::Engine> engine;
    std::shared_ptr<Generator> localGenerator;
    std::shared_ptr<Generator> lastGenerator; ///< what ran the last job (unloadModels)
    std::unique_ptr<GalleryRecorder> recorder;

    std::vector<std::thread> lanes;

    void emit(const JobEvent& event)
    {
        std::vector<JobListener> copy;
        {
            std::lock_guard lock(listenerMutex);
            for (const auto& [handle, listener] : listeners)
                copy.push_back(listener);
        }
        for (const auto& listener : copy) {
            try {
                listener(event);
            } catch (const std::exception& e) { // a subscriber's bug must not stop the queue
                api::logWarning(std::string("job event listener failed: ") + e.what());
            }
        }
    }

    JobEvent eventFor(JobEventKind kind, const Entry& e) const
    {
        JobEvent ev;
        ev.kind = kind;
        ev.id = e.snapshot.id;
        ev.state = e.snapshot.state;
        ev.message = e.snapshot.error;
        ev.errorCode = e.snapshot.errorCode;
        ev.warnings = e.snapshot.warnings;
        return ev;
    }

    /// Adds a queued entry (with `externalId` when the ids come from outside); mutex held.
    Entry& enqueueLocked(const api::GenerationRequest& request, const JobOptions& options, JobId externalId = 0)
    {
        const JobId id = externalId != 0 ? externalId : nextId++;
        Entry& e = jobs[id];
        e.snapshot.id = id;
        e.snapshot.request = request;
        e.snapshot.options = options;
        e.snapshot.options.title = titleFor(request, options);
        e.snapshot.progress.imageCount = request.batchCount * request.batchSize;
        queued.push_back(id);
        return e;
    }

    /// A job reached Done/Failed/Cancelled; mutex held.
    void finishLocked(Entry& e)
    {
        e.snapshot.runSeconds = e.startedAt == Clock::time_point{}
                                    ? 0
                                    : std::chrono::duration<double>(Clock::now() - e.startedAt).count();
        finished.push_back(e.snapshot.id);
        while (finished.size() > config.finishedJobsKept) {
            jobs.erase(finished.front());
            finished.pop_front();
        }
        changed.notify_all();
    }

    void workerLoop();
    void runJob(JobId id);
    std::shared_ptr<Generator> ensureEngine();
};

GenerationService::GenerationService(ServiceConfig config)
    : m_impl(std::make_unique<Impl>())
{
    if (config.parallelJobs > 1 && !config.generator)
        throw std::invalid_argument("GenerationService: parallel jobs need a generator that may run them "
                                    "(one local engine runs one job at a time)");
    const int lanes = std::max(1, config.parallelJobs);
    m_impl->config = std::move(config);
    for (int i = 0; i < lanes; ++i)
        m_impl->lanes.emplace_back([impl = m_impl.get()] { impl->workerLoop(); });
}

GenerationService::~GenerationService()
{
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->stopping = true;
        m_impl->forever = false;
        for (JobId id : m_impl->running)
            m_impl->jobs[id].stop->requestStop();
    }
    m_impl->wake.notify_all();
    for (auto& lane : m_impl->lanes)
        lane.join();
}

JobId GenerationService::submit(const api::GenerationRequest& request, const JobOptions& options)
{
    // Outside the lock: the fleet's id source asks Redis (and throws Busy when it is away).
    const JobId externalId = m_impl->config.nextJobId ? m_impl->config.nextJobId() : 0;
    const int ownerDepth = m_impl->config.perOwnerQueueDepth;
    const bool ownerLimited = ownerDepth > 0 && !options.owner.empty();
    const long elsewhere = ownerLimited && m_impl->config.ownerBacklog ? m_impl->config.ownerBacklog(options.owner) : 0;
    JobEvent event;
    {
        std::lock_guard lock(m_impl->mutex);
        if (m_impl->draining || m_impl->stopping)
            throw api::Error(api::ErrorCode::Busy, "the generation service is shutting down; submit the job again later");
        const int depth = m_impl->config.queueDepth;
        if (depth > 0 && static_cast<int>(m_impl->queued.size()) >= depth)
            throw api::Error(api::ErrorCode::Busy, "the queue is full (" + std::to_string(depth) +
                                                       " jobs waiting); try again when a job has finished");
        if (ownerLimited) {
            const long mine = elsewhere + std::count_if(m_impl->queued.begin(), m_impl->queued.end(), [&](JobId id) {
                return m_impl->jobs[id].snapshot.options.owner == options.owner;
            });
            if (mine >= ownerDepth)
                throw api::Error(api::ErrorCode::Busy, "you already have " + std::to_string(mine) +
                                                           " jobs waiting (the limit per key); wait for one to finish");
        }
        Entry& e = m_impl->enqueueLocked(request, options, externalId);
        event = m_impl->eventFor(JobEventKind::Queued, e);
    }
    m_impl->wake.notify_all();
    m_impl->emit(event);
    return event.id;
}

bool GenerationService::cancel(JobId id)
{
    JobEvent event;
    {
        std::lock_guard lock(m_impl->mutex);
        auto it = m_impl->jobs.find(id);
        if (it == m_impl->jobs.end() || isFinished(it->second.snapshot.state))
            return false;
        Entry& e = it->second;
        if (e.snapshot.state == JobState::Running) {
            e.stop->requestStop(); // the worker reports the end
            return true;
        }
        std::erase(m_impl->queued, id);
        e.snapshot.state = JobState::Cancelled;
        e.snapshot.errorCode = api::ErrorCode::Cancelled;
        e.snapshot.error = "cancelled before it started";
        m_impl->finishLocked(e);
        event = m_impl->eventFor(JobEventKind::Finished, e);
    }
    m_impl->emit(event);
    return true;
}

void GenerationService::cancelAll()
{
    std::vector<JobId> ids;
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->forever = false;
        ids.assign(m_impl->queued.begin(), m_impl->queued.end());
        ids.insert(ids.begin(), m_impl->running.begin(), m_impl->running.end());
    }
    for (JobId id : ids)
        cancel(id);
}

bool GenerationService::remove(JobId id)
{
    JobEvent event;
    {
        std::lock_guard lock(m_impl->mutex);
        auto it = m_impl->jobs.find(id);
        if (it == m_impl->jobs.end() || it->second.snapshot.state == JobState::Running)
            return false;
        event = m_impl->eventFor(JobEventKind::Removed, it->second);
        std::erase(m_impl->queued, id);
        std::erase(m_impl->finished, id);
        m_impl->jobs.erase(it);
        m_impl->changed.notify_all();
    }
    m_impl->emit(event);
    return true;
}

bool GenerationService::move(JobId id, int position)
{
    JobEvent event;
    {
        std::lock_guard lock(m_impl->mutex);
        auto& q = m_impl->queued;
        auto it = std::find(q.begin(), q.end(), id);
        if (it == q.end() || position < 0 || position >= static_cast<int>(q.size()))
            return false;
        q.erase(it);
        q.insert(q.begin() + position, id);
        event = m_impl->eventFor(JobEventKind::Moved, m_impl->jobs[id]);
    }
    m_impl->emit(event);
    return true;
}

void GenerationService::setGenerateForever(bool on, const api::GenerationRequest& request, const JobOptions& options)
{
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->forever = on;
        if (on) {
            m_impl->foreverRequest = request;
            m_impl->foreverOptions = options;
        }
    }
    m_impl->wake.notify_all();
}

bool GenerationService::generateForever() const
{
    std::lock_guard lock(m_impl->mutex);
    return m_impl->forever;
}

std::optional<JobSnapshot> GenerationService::job(JobId id) const
{
    std::lock_guard lock(m_impl->mutex);
    auto it = m_impl->jobs.find(id);
    if (it == m_impl->jobs.end())
        return std::nullopt;
    JobSnapshot s = it->second.snapshot;
    if (s.state == JobState::Queued)
        s.queuedSeconds = std::chrono::duration<double>(Clock::now() - it->second.queuedAt).count();
    return s;
}

std::vector<JobSnapshot> GenerationService::jobs() const
{
    std::lock_guard lock(m_impl->mutex);
    std::vector<JobSnapshot> out;
    for (JobId id : m_impl->running)
        out.push_back(m_impl->jobs.at(id).snapshot);
    for (JobId id : m_impl->queued)
        out.push_back(m_impl->jobs.at(id).snapshot);
    for (JobId id : m_impl->finished)
        out.push_back(m_impl->jobs.at(id).snapshot);
    return out;
}

int GenerationService::queuedCount() const
{
    std::lock_guard lock(m_impl->mutex);
    return static_cast<int>(m_impl->queued.size());
}

bool GenerationService::busy() const
{
    std::lock_guard lock(m_impl->mutex);
    return !m_impl->running.empty() || !m_impl->queued.empty();
}

int GenerationService::subscribe(JobListener listener)
{
    std::lock_guard lock(m_impl->listenerMutex);
    const int handle = m_impl->nextListener++;
    m_impl->listeners[handle] = std::move(listener);
    return handle;
}

void GenerationService::unsubscribe(int handle)
{
    std::lock_guard lock(m_impl->listenerMutex);
    m_impl->listeners.erase(handle);
}

std::optional<JobSnapshot> GenerationService::waitFor(JobId id, std::chrono::milliseconds timeout)
{
    std::unique_lock lock(m_impl->mutex);
    m_impl->changed.wait_for(lock, timeout, [&] {
        auto it = m_impl->jobs.find(id);
        return it == m_impl->jobs.end() || isFinished(it->second.snapshot.state);
    });
    auto it = m_impl->jobs.find(id);
    if (it == m_impl->jobs.end())
        return std::nullopt;
    return it->second.snapshot;
}

void GenerationService::waitIdle()
{
    std::unique_lock lock(m_impl->mutex);
    m_impl->changed.wait(lock, [&] { return m_impl->running.empty() && m_impl->queued.empty(); });
}

void GenerationService::drain()
{
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->draining = true;
        m_impl->forever = false;
    }
    waitIdle();
}

void GenerationService::setGenerator(std::shared_ptr<Generator> generator)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->config.generator = std::move(generator);
}

void GenerationService::unloadModels()
{
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->unloadRequested = true;
    }
    m_impl->wake.notify_all();
}

void GenerationService::setOutputFolder(const std::string& folder)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->config.outputFolder = folder;
}

void GenerationService::Impl::workerLoop()
{
    for (;;) {
        JobId id = 0;
        bool unload = false;
        std::optional<JobEvent> foreverQueued;
        {
            std::unique_lock lock(mutex);
            wake.wait(lock, [&] { return stopping || unloadRequested || !queued.empty() || forever; });
            if (stopping) {
                for (JobId q : queued) { // nothing runs after the end: say so to whoever waits
                    Entry& e = jobs[q];
                    e.snapshot.state = JobState::Cancelled;
                    e.snapshot.error = "the service stopped before the job started";
                }
                queued.clear();
                changed.notify_all();
                return;
            }
            unload = std::exchange(unloadRequested, false);
            if (queued.empty() && forever && !unload)
                foreverQueued = eventFor(JobEventKind::Queued, enqueueLocked(foreverRequest, foreverOptions));
            if (!queued.empty() && !unload) {
                id = queued.front();
                queued.pop_front();
                running.push_back(id);
            }
        }
        if (unload) {
            std::lock_guard engineLock(engineMutex);
            if (lastGenerator)
                lastGenerator->unloadModels();
        }
        if (foreverQueued)
            emit(*foreverQueued);
        if (id == 0)
            continue;
        runJob(id);
        {
            std::lock_guard lock(mutex);
            std::erase(running, id);
            changed.notify_all();
        }
    }
}

namespace {

/// The local engine as a Generator.
class EngineGenerator : public Generator {
public:
    explicit EngineGenerator(api::Engine& engine) : m_engine(engine) {}
    api::GenerationResult generate(const api::GenerationRequest& request, const api::GenerateOptions& options) override
    {
        return m_engine.generate(request, options);
    }
    std::vector<std::string> warnings() const override { return m_engine.warnings(); }
    void unloadModels() override { m_engine.unloadModels(); }

private:
    api::Engine& m_engine;
};

} // namespace

std::shared_ptr<Generator> GenerationService::Impl::ensureEngine()
{
    std::lock_guard engineLock(engineMutex);
    if (!recorder && !config.catalogPath.empty())
        recorder = std::make_unique<GalleryRecorder>(config.catalogPath);
    std::shared_ptr<Generator> wanted;
    {
        std::lock_guard lock(mutex);
        wanted = config.generator;
    }
    if (wanted) {
        lastGenerator = wanted;
        localGenerator.reset(); // the local models are not needed while another generator runs
        engine.reset();
        return wanted;
    }
    if (!engine) {
        api::EngineOptions options;
        options.nameLookup = config.nameLookup;
        if (!options.nameLookup && !config.catalogPath.empty())
            options.nameLookup = catalog::catalogNameLookup(config.catalogPath);
        engine = std::make_unique<api::Engine>(std::move(options));
        localGenerator = std::make_shared<EngineGenerator>(*engine);
    }
    lastGenerator = localGenerator;
    return localGenerator;
}

void GenerationService::Impl::runJob(JobId id)
{
    api::GenerationRequest request;
    JobOptions options;
    std::shared_ptr<api::StopToken> stop;
    std::string outputFolder;
    JobEvent started;
    {
        std::lock_guard lock(mutex);
        Entry& e = jobs[id];
        e.snapshot.state = JobState::Running;
        e.startedAt = Clock::now();
        e.snapshot.queuedSeconds = std::chrono::duration<double>(e.startedAt - e.queuedAt).count();
        e.snapshot.progress.stage = api::Stage::Loading;
        request = e.snapshot.request;
        options = e.snapshot.options;
        stop = e.stop;
        outputFolder = config.outputFolder;
        started = eventFor(JobEventKind::Started, e);
    }
    emit(started);

    std::vector<std::string> serviceWarnings;
    api::ErrorCode code = api::ErrorCode::Ok;
    std::string error;
    std::shared_ptr<Generator> generator;
    try {
        generator = ensureEngine();
        // The recorder links a job's images to one generation row: with one lane it is begun here;
        // with parallel lanes each image is recorded with its own row, under the engine lock.
        const bool sharedRecorder = lanes.size() > 1;
        if (recorder && options.record && options.output.save && !sharedRecorder)
            recorder->beginJob(request);
        const int imagesInJob = request.batchCount * request.batchSize;

        api::GenerateOptions run;
        run.stop = stop.get();
        run.previewEverySteps = options.previewEverySteps;
        run.progress = [&](const api::Progress& p) {
            JobEvent ev;
            {
                std::lock_guard lock(mutex);
                Entry& e = jobs[id];
                std::optional<api::Image> lastPreview = std::move(e.snapshot.progress.preview);
                e.snapshot.progress = p;
                if (!p.preview)
                    e.snapshot.progress.preview = std::move(lastPreview);
                ev = eventFor(JobEventKind::Progress, e);
            }
            ev.progress = p;
            emit(ev);
        };
        // Each image is written and recorded the moment it is decoded: a crash or a cancel later in
        // the batch keeps every finished image.
        run.imageReady = [&](const api::GeneratedImage& generated, int index) {
            JobImage image;
            image.index = index;
            image.image = generated;
            if (options.output.save) {
                image.path = outputPathFor(options.output, outputFolder, request, generated.seed, index, imagesInJob);
                saveImage(generated.image, image.path, generated.infotext, options.output.quality);
                if (recorder && options.record) {
                    try {
                        std::unique_lock engineLock(engineMutex, std::defer_lock);
                        if (sharedRecorder) {
                            engineLock.lock();
                            recorder->beginJob(request);
                        }
                        image.catalogId = recorder->addImage(image.path, generated.seed, generated.image.width,
                                                             generated.image.height, generated.infotext);
                    } catch (const std::exception& e) { // the file is safe; only the gallery lacks it
                        serviceWarnings.push_back("saved " + image.path + " but could not add it to the gallery: " +
                                                  e.what());
                    }
                }
            }
            JobEvent ev;
            {
                std::lock_guard lock(mutex);
                Entry& e = jobs[id];
                if (e.snapshot.images.empty())
                    e.snapshot.resolvedSeed = generated.seed;
                JobImage kept = image;
                if (!options.keepPixels && options.output.save)
                    kept.image.image = {};
                e.snapshot.images.push_back(std::move(kept));
                ev = eventFor(JobEventKind::ImageSaved, e);
            }
            ev.image = std::move(image);
            emit(ev);
        };
        (void)generator->generateJob(JobContext{id, options.owner}, request, run);
    } catch (const api::Error& e) {
        code = e.code();
        error = e.what();
    } catch (const std::bad_alloc&) {
        code = api::ErrorCode::OutOfMemory;
        error = "out of memory; try a smaller size or batch, or low-memory mode";
    } catch (const std::exception& e) {
        code = api::ErrorCode::Internal;
        error = std::string("internal error: ") + e.what();
    }

    JobEvent done;
    {
        std::lock_guard lock(mutex);
        Entry& e = jobs[id];
        e.snapshot.warnings = generator ? generator->warnings() : std::vector<std::string>{};
        e.snapshot.warnings.insert(e.snapshot.warnings.end(), serviceWarnings.begin(), serviceWarnings.end());
        e.snapshot.errorCode = code;
        e.snapshot.error = error;
        e.snapshot.state = code == api::ErrorCode::Ok          ? JobState::Done
                           : code == api::ErrorCode::Cancelled ? JobState::Cancelled
                                                               : JobState::Failed;
        finishLocked(e);
        done = eventFor(JobEventKind::Finished, e);
    }
    emit(done);
}

} // namespace easel::service
