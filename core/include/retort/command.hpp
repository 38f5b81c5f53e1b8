// The commands, callable from an application as the CLI calls them:
//
//   retort::Config cfg{"retort.ini"};
//   if (auto err = retort::command::upgrade(cfg, "head")) { ... err.message() ... }
//
// What a command prints goes to cfg.output().
#ifndef RETORT_COMMAND_HPP
#define RETORT_COMMAND_HPP

#include <retort/config.hpp>
#include <retort/error.hpp>

#include <string>
#include <vector>

namespace retort::command {

// Creates an environment in `directory` from a template in scaffold/, and
// retort.ini beside it (in the directory of cfg's file, else the current one).
Error init(const Config& cfg, const std::string& directory, const std::string& template_name = "generic");
Error list_templates(const Config& cfg);

struct RevisionOptions {
  std::string message;
  std::string rev_id;  // empty: a new random 12-digit hex id
};
// Writes a new revision source; returns its path.
Expected<std::string> revision(const Config& cfg, const RevisionOptions& options);

// Compiles revision sources whose module is missing or older than the source.
Error build(const Config& cfg);

struct RunOptions {
  bool sql = false;  // print the SQL script instead of connecting
};
Error upgrade(const Config& cfg, const std::string& target, const RunOptions& options = {});
Error downgrade(const Config& cfg, const std::string& target, const RunOptions& options = {});

Error current(const Config& cfg, bool verbose = false);
Error history(const Config& cfg, bool verbose = false);
Error heads(const Config& cfg, bool verbose = false);

// For an application's start-up check: the revisions the database is at
// (empty when it has none) and the script directory's heads.
Expected<std::vector<std::string>> current_revisions(const Config& cfg);
Expected<std::vector<std::string>> head_revisions(const Config& cfg);

}  // namespace retort::command

#endif  // RETORT_COMMAND_HPP
