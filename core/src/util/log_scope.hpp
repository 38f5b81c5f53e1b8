// The log sink of the command running on this thread: a command installs its
// Config's sink for as long as it runs, and threads it starts inherit it.
//
//   LogScope scope(cfg.log_sink());          // at a command's entry
//   const LogRoute* route = LogScope::current();
//   std::thread t([route] { LogScope inherit(route); ... });
#ifndef RETORT_UTIL_LOG_SCOPE_HPP
#define RETORT_UTIL_LOG_SCOPE_HPP

#include <retort/log.hpp>

#include <iosfwd>
#include <memory>
#include <string_view>

namespace retort {

// Where one command's log goes; shared by the threads of the command, which
// call the sink one at a time.
struct LogRoute;

class LogScope {
 public:
  // Installs `sink` on this thread; an empty sink means stderr.
  explicit LogScope(const LogSink& sink);
  // Installs another thread's route (nullptr: stderr), for a worker thread.
  explicit LogScope(const LogRoute* route);
  ~LogScope();
  LogScope(const LogScope&) = delete;
  LogScope& operator=(const LogScope&) = delete;

  // This thread's route, nullptr when none is installed.
  static const LogRoute* current();

 private:
  std::shared_ptr<LogRoute> owned_;
  const LogRoute* previous_;
};

// Text already shaped for a terminal (a compiler's diagnostics): to the
// sink at `level`, one call, trailing newline removed; else to stderr as it
// is. Written whatever the threshold.
void log_text(LogLevel level, std::string_view text);

// A stream that discards everything.
std::ostream& null_stream();

}  // namespace retort

#endif  // RETORT_UTIL_LOG_SCOPE_HPP
