#include "command/command_support.hpp"

#include <fmt/format.h>

namespace retort::detail {

Expected<Environment> read_environment(const Config& cfg) {
  if (auto err = cfg.load_error()) return err;
  auto scripts = ScriptDirectory::from_config(cfg);
  if (!scripts) return scripts.take_error();
  auto map = scripts->read_revisions();
  if (!map) return map.take_error();
  return Environment{std::move(*scripts), std::move(*map)};
}

Expected<Environment> load_environment(const Config& cfg, std::ostream& progress,
                                       const LoadOptions& options) {
  if (auto err = cfg.load_error()) return err;
  auto scripts = ScriptDirectory::from_config(cfg);
  if (!scripts) return scripts.take_error();
  auto map = scripts->load_revisions(progress, options);
  if (!map) return map.take_error();
  return Environment{std::move(*scripts), std::move(*map)};
}

}  // namespace retort::detail
