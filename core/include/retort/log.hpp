// retort's log on stderr: one threshold for the process, set by the CLI's
// --log-level and -q. Messages below it are dropped; errors are always
// printed by the caller, whatever the level.
//
//   retort::set_log_level(retort::LogLevel::kWarning);   // retort -q
//   retort::log(retort::LogLevel::kDebug, "connected to sqlite:///app.db");
#ifndef RETORT_LOG_HPP
#define RETORT_LOG_HPP

#include <iosfwd>
#include <optional>
#include <string_view>

namespace retort {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// The threshold; kInfo unless RETORT_DEBUG is set in the environment (kDebug).
LogLevel log_level();
void set_log_level(LogLevel level);
bool log_enabled(LogLevel level);

// "debug|info|warning|error"; nullopt for anything else.
std::optional<LogLevel> parse_log_level(std::string_view name);

// Writes "<level>: <message>" to stderr when `level` is enabled.
void log(LogLevel level, std::string_view message);

// Where progress goes (compiler output, "done in" lines): stderr at kInfo
// and below, else a stream that discards everything.
std::ostream& progress_stream();

}  // namespace retort

#endif  // RETORT_LOG_HPP
