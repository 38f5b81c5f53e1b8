// retort's log: one threshold for the process, set by the CLI's --log-level
// and -q. Messages below it are dropped; errors are always returned to the
// caller, whatever the level.
//
//   retort::set_log_level(retort::LogLevel::kWarning);   // retort -q
//   retort::log(retort::LogLevel::kDebug, "connected to sqlite:///app.db");
//
// Where the log goes: to the log sink of the Config whose command is running
// on this thread (Config::set_log_sink), else to stderr. An application that
// sets a sink gets every line the library would write to stderr (the log,
// lock waits, compiler output, "done in" lines) and the library writes
// nothing to std::cerr itself.
#ifndef RETORT_LOG_HPP
#define RETORT_LOG_HPP

#include <functional>
#include <iosfwd>
#include <optional>
#include <string_view>

namespace retort {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// Receives one message at a time, without a trailing newline and without the
// "<level>: " prefix stderr shows. Only messages at or above the threshold
// reach it; progress lines (compiler output, lock waits, "done in") come at
// kInfo, a failing compiler's output at kError. It is called on the thread
// running the command, and on the command's compiler threads one call at a
// time, never on two threads at once for one command.
using LogSink = std::function<void(LogLevel level, std::string_view message)>;

// The threshold; kInfo unless RETORT_DEBUG is set in the environment (kDebug).
LogLevel log_level();
void set_log_level(LogLevel level);
bool log_enabled(LogLevel level);

// "debug|info|warning|error"; nullopt for anything else.
std::optional<LogLevel> parse_log_level(std::string_view name);

// When `level` is enabled: to the running command's sink, else
// "<level>: <message>" to stderr.
void log(LogLevel level, std::string_view message);

// Where progress goes (compiler output, "done in" lines): at kInfo and below,
// the running command's sink line by line, else stderr; above kInfo, a
// stream that discards everything.
std::ostream& progress_stream();

}  // namespace retort

#endif  // RETORT_LOG_HPP
