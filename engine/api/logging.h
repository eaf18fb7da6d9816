#pragma once
/// Logging set-up shared by easel and easel-cli (spdlog under the hood). Main thread, once.

#include <string>

namespace easel::api {

struct LoggingOptions {
    bool verbose = false;       ///< debug level on the console
    bool toFile = true;         ///< rotating file in dataDirectory()/logs
    std::string appName = "easel";
};

/// Installs the default logger: console (stderr) + rotating file. Safe to call twice.
void initLogging(const LoggingOptions& options);

/// The user's data directory: $EASEL_DATA_DIR, else $XDG_DATA_HOME/easel, else ~/.local/share/easel.
std::string dataDirectory();

/// Path of the current log file (empty when file logging is off).
std::string logFilePath();

void logInfo(const std::string& message);
void logWarning(const std::string& message);
void logError(const std::string& message);
void logDebug(const std::string& message);

} // namespace easel::api
