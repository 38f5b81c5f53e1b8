#include "fleet/fleet_runner.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <ostream>
#include <thread>

namespace retort::fleet {
namespace {

// The live lines: one per target, redrawn in place with ANSI cursor moves.
class LiveBoard {
 public:
  LiveBoard(std::ostream* out, const std::vector<TargetResult>& targets) : out_(out) {
    if (out_ == nullptr) return;
    for (const TargetResult& t : targets) {
      names_.push_back(t.name);
      lines_.push_back("waiting");
    }
    width_ = 0;
    for (const std::string& n : names_) width_ = std::max(width_, n.size());
    std::lock_guard<std::mutex> lock(mutex_);
    draw();
  }

  void set(size_t index, const std::string& text) {
    if (out_ == nullptr) return;
    std::lock_guard<std::mutex> lock(mutex_);
    lines_[index] = text;
    draw();
  }

 private:
  void draw() {
    std::ostream& out = *out_;
    if (drawn_ > 0) out << "\x1b[" << drawn_ << "F";
    for (size_t i = 0; i < lines_.size(); ++i) {
      out << "\x1b[2K" << names_[i] << std::string(width_ - names_[i].size() + 2, ' ') << lines_[i]
          << "\n";
    }
    drawn_ = lines_.size();
    out.flush();
  }

  std::ostream* out_;
  std::mutex mutex_;
  std::vector<std::string> names_;
  std::vector<std::string> lines_;
  size_t width_ = 0;
  size_t drawn_ = 0;
};

bool stopping(const FleetOptions& options) {
  return options.stop != nullptr && options.stop->load();
}

}  // namespace

std::vector<TargetResult> run_fleet(std::vector<TargetResult> targets, const FleetOptions& options,
                                    const TargetFn& run) {
  LiveBoard board(options.live, targets);
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  auto worker = [&] {
    for (;;) {
      if (stopping(options) || (options.fail_fast && failed.load())) return;
      const size_t i = next.fetch_add(1);
      if (i >= targets.size()) return;
      TargetResult& result = targets[i];
      board.set(i, "running");
      try {
        run(i, result, [&board, i](const std::string& text) { board.set(i, text); });
      } catch (const std::exception& e) {
        result.outcome = TargetOutcome::kFailed;
        result.error = Error(ErrorCategory::kMigration, std::string("internal error: ") + e.what(),
                             "this is a bug in retort; please report it");
      }
      const bool ok =
          result.outcome == TargetOutcome::kDone || result.outcome == TargetOutcome::kNothingToDo;
      if (!ok) failed = true;
      board.set(i, ok ? outcome_name(result.outcome)
                      : std::string(outcome_name(result.outcome)) + ": " + result.error.message());
    }
  };
  const size_t threads = std::min(targets.size(), static_cast<size_t>(std::max(1, options.jobs)));
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
  if (threads > 0) worker();
  for (std::thread& t : pool) t.join();
  if (stopping(options) || (options.fail_fast && failed.load())) {
    for (size_t i = 0; i < targets.size(); ++i) {
      if (targets[i].outcome == TargetOutcome::kNotStarted) board.set(i, "not started");
    }
  }
  return targets;
}

}  // namespace retort::fleet
