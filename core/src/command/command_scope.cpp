#include "command/command_scope.hpp"

#include <retort/log.hpp>

#include <fmt/format.h>

#include <string>
#include <vector>

namespace retort {
namespace {

// Commands running on this thread, one inside another.
thread_local int tl_depth = 0;

}  // namespace

CommandScope::CommandScope(const Config& cfg)
    : cfg_(cfg), log_(cfg.log_sink()), outermost_(tl_depth == 0) {
  ++tl_depth;
}

CommandScope::~CommandScope() {
  --tl_depth;
  if (!outermost_) return;
  const std::vector<std::string> unread = cfg_.unread_x_arguments();
  if (unread.empty()) return;
  std::vector<std::string> quoted;
  for (const std::string& key : unread) quoted.push_back("'" + key + "'");
  log(LogLevel::kWarning,
      fmt::format("-x argument{} {} {} not used: only 'url' is read (it replaces the url option)",
                  unread.size() == 1 ? "" : "s", fmt::join(quoted, ", "),
                  unread.size() == 1 ? "was" : "were"));
}

}  // namespace retort
