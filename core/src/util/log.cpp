#include <retort/log.hpp>

#include <cstdlib>
#include <iostream>
#include <mutex>
#include <ostream>
#include <streambuf>
#include <string>

#include "util/log_scope.hpp"

namespace retort {

struct LogRoute {
  LogSink sink;
  mutable std::mutex mutex;  // the command's threads call the sink one at a time
};

namespace {

thread_local const LogRoute* tl_route = nullptr;

// The sink is the application's code: what it throws must not unwind
// through the library, which may be releasing a lock or a transaction.
void emit(const LogRoute& route, LogLevel level, std::string_view message) {
  std::lock_guard<std::mutex> lock(route.mutex);
  try {
    route.sink(level, message);
  } catch (...) {
  }
}

// Progress written to a stream, handed to the route a line at a time.
class ProgressBuf : public std::streambuf {
 public:
  // A worker thread of the command may be writing to this buffer: a scope
  // that installs the route already in place leaves it untouched.
  void set_route(const LogRoute* route) {
    if (route == route_) return;
    flush_line();
    route_ = route;
  }

 protected:
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    const char ch = traits_type::to_char_type(c);
    if (ch == '\n') {
      flush_line();
    } else if (ch != '\r') {
      line_ += ch;
    }
    return c;
  }

 private:
  void flush_line() {
    if (route_ != nullptr && !line_.empty()) emit(*route_, LogLevel::kInfo, line_);
    line_.clear();
  }

  const LogRoute* route_ = nullptr;
  std::string line_;
};

struct ProgressStream {
  ProgressBuf buf;
  std::ostream stream{&buf};
};

ProgressStream& thread_progress() {
  thread_local ProgressStream progress;
  return progress;
}

void install(const LogRoute* route) {
  tl_route = route;
  thread_progress().buf.set_route(route);
}

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
  if (tl_route != nullptr) return emit(*tl_route, level, message);
  std::cerr << level_name(level) << ": " << message << "\n";
}

std::ostream& progress_stream() {
  if (!log_enabled(LogLevel::kInfo)) return null_stream();
  return tl_route != nullptr ? thread_progress().stream : std::cerr;
}

LogScope::LogScope(const LogSink& sink) : previous_(tl_route) {
  if (sink) {
    owned_ = std::make_shared<LogRoute>();
    owned_->sink = sink;
  }
  install(owned_.get());
}

LogScope::LogScope(const LogRoute* route) : previous_(tl_route) { install(route); }

LogScope::~LogScope() { install(previous_); }

const LogRoute* LogScope::current() { return tl_route; }

void log_text(LogLevel level, std::string_view text) {
  if (tl_route == nullptr) {
    std::cerr << text;
    return;
  }
  while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  if (!text.empty()) emit(*tl_route, level, text);
}

std::ostream& null_stream() {
  thread_local std::ostream discard(nullptr);
  return discard;
}

}  // namespace retort
