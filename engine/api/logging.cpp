#include "engine/api/logging.h"

#include <cstdlib>
#include <filesystem>
#include <mutex>

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace easel::api {

namespace {
std::mutex g_mutex;
std::string g_logFile;
} // namespace

std::string dataDirectory()
{
    namespace fs = std::filesystem;
    if (const char* dir = std::getenv("EASEL_DATA_DIR"); dir && *dir)
        return dir;
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
        return (fs::path(xdg) / "easel").string();
    if (const char* home = std::getenv("HOME"); home && *home)
        return (fs::path(home) / ".local" / "share" / "easel").string();
    return (fs::temp_directory_path() / "easel").string();
}

std::string logFilePath()
{
    std::lock_guard lock(g_mutex);
    return g_logFile;
}

void initLogging(const LoggingOptions& options)
{
    namespace fs = std::filesystem;
    std::lock_guard lock(g_mutex);
    std::vector<spdlog::sink_ptr> sinks;
    auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    console->set_level(options.verbose ? spdlog::level::debug : spdlog::level::warn);
    sinks.push_back(console);

    g_logFile.clear();
    if (options.toFile) {
        // A log file that cannot be created (read-only home, full disk) must not stop the app.
        try {
            const fs::path dir = fs::path(dataDirectory()) / "logs";
            fs::create_directories(dir);
            const fs::path file = dir / (options.appName + ".log");
            auto rotating = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
                file.string(), 5 * 1024 * 1024, 3);
            rotating->set_level(spdlog::level::debug);
            sinks.push_back(rotating);
            g_logFile = file.string();
        } catch (const std::exception& e) {
            console->log(spdlog::details::log_msg("easel", spdlog::level::warn,
                                                  std::string("file logging disabled: ") + e.what()));
        }
    }
    auto logger = std::make_shared<spdlog::logger>(options.appName, sinks.begin(), sinks.end());
    logger->set_level(spdlog::level::debug);
    logger->flush_on(spdlog::level::warn);
    spdlog::set_default_logger(logger);
}

void logInfo(const std::string& message) { spdlog::info("{}", message); }
void logWarning(const std::string& message) { spdlog::warn("{}", message); }
void logError(const std::string& message) { spdlog::error("{}", message); }
void logDebug(const std::string& message) { spdlog::debug("{}", message); }

} // namespace easel::api
