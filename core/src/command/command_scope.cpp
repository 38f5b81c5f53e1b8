#include "command/command_scope.hpp"

namespace retort {

CommandScope::CommandScope(const Config& cfg) : log_(cfg.log_sink()) {}

}  // namespace retort
