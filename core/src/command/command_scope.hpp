// What every public command holds while it runs: its Config's log sink,
// installed on the thread running it.
//
//   Error upgrade(const Config& cfg, ...) {
//     CommandScope scope(cfg);
//     ...
//   }
#ifndef RETORT_COMMAND_SCOPE_HPP
#define RETORT_COMMAND_SCOPE_HPP

#include <retort/config.hpp>

#include "util/log_scope.hpp"

namespace retort {

class CommandScope {
 public:
  explicit CommandScope(const Config& cfg);
  CommandScope(const CommandScope&) = delete;
  CommandScope& operator=(const CommandScope&) = delete;

 private:
  LogScope log_;
};

}  // namespace retort

#endif  // RETORT_COMMAND_SCOPE_HPP
