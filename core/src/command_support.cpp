#include "command_support.hpp"

#include <fmt/format.h>

namespace retort::detail {

Expected<Environment> load_environment(const Config& cfg, std::ostream& progress) {
  if (auto err = cfg.load_error()) return err;
  auto scripts = ScriptDirectory::from_config(cfg);
  if (!scripts) return scripts.take_error();
  auto map = scripts->load_revisions(progress);
  if (!map) return map.take_error();
  return Environment{std::move(*scripts), std::move(*map)};
}

Expected<Database> database(const Config& cfg) {
  if (auto err = cfg.load_error()) return err;
  auto url = cfg.main_option("url");
  if (!url) return url.take_error();
  if (url->empty()) {
    return Error(ErrorCategory::kConfig,
                 fmt::format("no 'url' key in section [{}] of '{}'", cfg.config_ini_section(),
                             cfg.config_file_name().empty() ? "the configuration"
                                                            : cfg.config_file_name()),
                 "set url, e.g. url = sqlite:///%(here)s/app.db");
  }
  auto dialect = Dialect::for_url(*url, cfg);
  if (!dialect) return dialect.take_error();
  return Database{std::move(*url), std::move(*dialect)};
}

std::string version_table(const Config& cfg) {
  std::string table = cfg.get_main_option("version_table", "");
  return table.empty() ? "retort_version" : table;
}

}  // namespace retort::detail
