// What a run reads from the config: the database (its URL and the dialect
// serving it) and the names of the version and history tables.
#ifndef RETORT_RUN_CONFIG_HPP
#define RETORT_RUN_CONFIG_HPP

#include <retort/config.hpp>
#include <retort/error.hpp>

#include "plugin/host_dialect.hpp"

#include <string>

namespace retort::detail {

// The database: its URL, its dialect.
struct Database {
  std::string url;
  Dialect dialect;
};
Expected<Database> database(const Config& cfg);

// The version_table option, default "retort_version".
std::string version_table(const Config& cfg);
// The history_table option, default "retort_history": a plain lower-case
// word, as the host reads the table with SQL of its own.
Expected<std::string> history_table(const Config& cfg);

}  // namespace retort::detail

#endif  // RETORT_RUN_CONFIG_HPP
