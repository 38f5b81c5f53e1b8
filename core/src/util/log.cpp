#include <retort/log.hpp>

#include <cstdlib>
#include <iostream>
#include <ostream>

namespace retort {
namespace {

LogLevel& threshold() {
  static LogLevel level =
      std::getenv("RETORT_DEBUG") != nullptr ? LogLevel::kDebug : LogLevel::kInfo;
  return level;
}

const char* level_name(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "log";
}

}  // namespace

LogLevel log_level() { return threshold(); }
void set_log_level(LogLevel level) { threshold() = level; }
bool log_enabled(LogLevel level) { return level >= threshold(); }

std::optional<LogLevel> parse_log_level(std::string_view name) {
  for (LogLevel level : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarning, LogLevel::kError}) {
    if (name == level_name(level)) return level;
  }
  return std::nullopt;
}

void log(LogLevel level, std::string_view message) {
  if (!log_enabled(level)) return;
  std::cerr << level_name(level) << ": " << message << "\n";
}

std::ostream& progress_stream() {
  static std::ostream discard(nullptr);
  return log_enabled(LogLevel::kInfo) ? std::cerr : discard;
}

}  // namespace retort
