// easel-server: AUTOMATIC1111's /sdapi/v1 API and Easel's /easel/v1 jobs API on the Easel engine.
// SIGTERM/SIGINT drain: the running and queued jobs finish, new work gets 503, then exit 0.

#include <atomic>
#include <csignal>
#include <iostream>
#include <thread>

#include "app/cli/args.h"
#include "app/server/easel_server.h"
#include "engine/api/error.h"
#include "engine/api/logging.h"

namespace {

std::atomic<bool> g_stopRequested{false};
extern "C" void onStopSignal(int) { g_stopRequested.store(true); }

} // namespace

int main(int argc, char** argv)
{
    using namespace easel;
    server::ServerOptions options;
    try {
        options = server::parseServerOptions(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const cli::HelpRequested&) {
        std::cout << server::serverUsage();
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "easel-server: " << e.what() << "\n(see easel-server --help)\n";
        return 2;
    }
    api::LoggingOptions logging;
    logging.verbose = options.verbose;
    logging.appName = "easel-server";
    api::initLogging(logging);
    try {
        server::EaselServer server(options);
        server.bind();
        std::signal(SIGTERM, onStopSignal);
        std::signal(SIGINT, onStopSignal);
        std::signal(SIGPIPE, SIG_IGN);
        // A signal handler may only set an atomic: this thread turns it into a drain.
        std::thread watcher([&server] {
            while (!g_stopRequested.load())
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            std::cerr << "easel-server: draining (running and queued jobs finish, new work gets 503)\n";
            server.drain();
        });
        std::cout << "easel-server listening on " << server.url() << std::endl;
        server.serve();
        g_stopRequested = true;
        watcher.join();
        std::cerr << "easel-server: stopped\n";
        return 0;
    } catch (const api::Error& e) {
        std::cerr << "easel-server: " << e.message() << (e.path().empty() ? "" : " (" + e.path() + ")") << "\n";
    } catch (const std::exception& e) {
        std::cerr << "easel-server: " << e.what() << "\n";
    }
    return 1;
}
