#include "runtime/run_config.hpp"

#include <fmt/format.h>

namespace retort::detail {

Expected<Database> database(const Config& cfg) {
  if (auto err = cfg.load_error()) return err;
  // -x url=... replaces the ini's url, as Alembic's env.py idiom does.
  Expected<std::string> url = std::string();
  if (auto x_url = cfg.get_x_argument("url")) {
    url = std::move(*x_url);
  } else {
    url = cfg.main_option("url");
  }
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

Expected<std::string> history_table(const Config& cfg) {
  std::string table = cfg.get_main_option("history_table", "");
  if (table.empty()) return std::string("retort_history");
  const bool plain = (table[0] >= 'a' && table[0] <= 'z') || table[0] == '_';
  if (!plain || table.size() > 30 ||
      table.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos) {
    return Error(ErrorCategory::kConfig,
                 fmt::format("history_table '{}' is not a plain lower-case name", table),
                 "use letters a-z, digits and '_', at most 30 characters, e.g. history_table = "
                 "app_retort_history");
  }
  return table;
}

}  // namespace retort::detail
