// retort current, history, heads, branches, show; and the same facts for
// applications.
#include <retort/command.hpp>
#include <retort/log.hpp>

#include "command/command_scope.hpp"
#include "command/command_support.hpp"
#include "command/database_run.hpp"
#include "command/revision_format.hpp"
#include "runtime/migration_context.hpp"
#include "util/json_writer.hpp"
#include "util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <ostream>
#include <set>
#include <sstream>

namespace retort::command {
namespace {

// The version table's rows, through a connection opened for this alone.
Expected<std::vector<std::string>> database_rows(const Config& cfg, const detail::Database& db) {
  auto ctx = detail::connect(db, detail::version_table(cfg, db));
  if (!ctx) return ctx.take_error();
  return ctx->current_heads();
}

// The database's rows, and checked against the scripts, on the database the
// environment (env.cpp) chooses.
Expected<std::vector<std::string>> database_rows(const Config& cfg,
                                                 const detail::Environment& env) {
  auto db = detail::environment_database(cfg, env.scripts);
  if (!db) return db.take_error();
  return database_rows(cfg, *db);
}

Expected<std::vector<std::string>> database_heads(const Config& cfg,
                                                  const detail::Environment& env) {
  auto db = detail::environment_database(cfg, env.scripts);
  if (!db) return db.take_error();
  return detail::database_heads(cfg, env.map, *db);
}

// The database is at every head: the same set, whatever the order (a
// repeated row reads as one, as everywhere).
bool at_heads(const RevisionMap& map, const std::vector<std::string>& rows) {
  const std::vector<std::string> heads = map.heads();
  return std::set<std::string>(heads.begin(), heads.end()) ==
         std::set<std::string>(rows.begin(), rows.end());
}

bool contains(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// "current" in a history range stands for the database's revisions.
std::string replace_current(const std::string& end, const std::vector<std::string>& rows) {
  if (end != "current") return end;
  return rows.empty() ? std::string("base") : fmt::format("{}", fmt::join(rows, " "));
}

// --json: {"revisions":[{"revision":"abc","is_head":true}]}
void write_current_json(std::ostream& out, const RevisionMap& map,
                        const std::vector<std::string>& ids) {
  const std::vector<std::string> heads = map.heads();
  JsonWriter json(out);
  json.begin_object().key("revisions").begin_array();
  for (const std::string& id : ids) {
    json.begin_object();
    json.key("revision").string(id);
    json.key("is_head").boolean(contains(heads, id));
    json.end_object();
  }
  json.end_array().end_object();
  out << "\n";
}

// --json: {"heads":[{"revision":"abc","branch_labels":["x"],"message":"..."}]}
void write_heads_json(std::ostream& out, const RevisionMap& map,
                      const std::vector<std::string>& ids) {
  JsonWriter json(out);
  json.begin_object().key("heads").begin_array();
  for (const std::string& id : ids) {
    const Revision& rev = *map.find(id);
    json.begin_object();
    json.key("revision").string(rev.id);
    json.key("branch_labels").strings(map.branch_labels(rev.id));
    json.key("message").string(rev.message);
    json.end_object();
  }
  json.end_array().end_object();
  out << "\n";
}

// --json: {"revisions":[{"revision":..,"down_revisions":[..],"branch_labels":[..],
// "message":..,"is_head":..,"is_branch_point":..,"is_merge":..}]}, newest
// first, each with "current" too when `rows` is given (history -i).
void write_history_json(std::ostream& out, const RevisionMap& map,
                        const std::vector<const Revision*>& revisions,
                        const std::vector<std::string>* rows) {
  const std::vector<std::string> heads = map.heads();
  JsonWriter json(out);
  json.begin_object().key("revisions").begin_array();
  for (const Revision* rev : revisions) {
    json.begin_object();
    json.key("revision").string(rev->id);
    json.key("down_revisions").strings(rev->down_revisions);
    json.key("branch_labels").strings(map.branch_labels(rev->id));
    json.key("message").string(rev->message);
    json.key("is_head").boolean(contains(heads, rev->id));
    json.key("is_branch_point").boolean(map.is_branch_point(rev->id));
    json.key("is_merge").boolean(map.is_merge_point(rev->id));
    if (rows != nullptr) json.key("current").boolean(contains(*rows, rev->id));
    json.end_object();
  }
  json.end_array().end_object();
  out << "\n";
}

}  // namespace

namespace {

// current on one database; `name` is its name in an environment of several.
Error current_of(const Config& cfg, const detail::Environment& env, const std::string& name,
                 const detail::Database& db, const CurrentOptions& options) {
  auto rows = detail::database_heads(cfg, env.map, db);
  if (!rows) return rows.take_error();
  auto shown = env.map.current_display(*rows);
  if (!shown) return shown.take_error();

  std::ostream& out = cfg.output();
  if (options.json) {
    write_current_json(out, env.map, *shown);
  } else {
    if (!name.empty()) out << "Database " << name << "\n";
    if (options.verbose) out << "Current revision(s) for " << db.url.shown() << ":\n";
    for (const std::string& id : *shown) {
      const Revision& rev = *env.map.find(id);
      out << (options.verbose ? format_entry(env.map, rev) : format_line(env.map, rev, {})) << "\n";
    }
  }
  if (options.check_heads && !at_heads(env.map, *rows)) {
    return Error(ErrorCategory::kMigration,
                 name.empty() ? std::string("Database is not on all head revisions")
                              : fmt::format("Database {} is not on all head revisions", name),
                 "run 'retort upgrade heads'");
  }
  return Error::success();
}

}  // namespace

Error current(const Config& cfg, const CurrentOptions& options) {
  CommandScope scope(cfg);
  auto env = detail::read_environment(cfg);
  if (!env) return env.take_error();
  auto dbs = detail::command_databases(cfg, env->scripts);
  if (!dbs) return dbs.take_error();
  if (options.json && dbs->size() > 1) {
    return Error(ErrorCategory::kUsage,
                 "current --json is for one database; this environment has "
                 "several (the databases option)",
                 "run current without --json");
  }
  for (const detail::NamedDatabase& named : *dbs) {
    if (Error err = current_of(cfg, *env, named.name, named.db, options)) return err;
  }
  return Error::success();
}

Error history(const Config& cfg, const HistoryOptions& options) {
  CommandScope scope(cfg);
  auto env = detail::read_environment(cfg);
  if (!env) return env.take_error();
  std::string start, end;
  if (!options.range.empty()) {
    auto colon = options.range.find(':');
    if (colon == std::string::npos) {
      return Error(ErrorCategory::kUsage,
                   "History range requires [start]:[end], [start]:, or :[end]");
    }
    start = options.range.substr(0, colon);
    end = options.range.substr(colon + 1);
  }
  std::vector<std::string> rows;
  if (options.indicate_current || start == "current" || end == "current") {
    auto db_rows = database_heads(cfg, *env);
    if (!db_rows) return db_rows.take_error();
    rows = std::move(*db_rows);
  }
  auto revisions = env->map.history_range(replace_current(start, rows), replace_current(end, rows));
  if (!revisions) return revisions.take_error();
  if (options.json) {
    write_history_json(cfg.output(), env->map, *revisions,
                       options.indicate_current ? &rows : nullptr);
    return Error::success();
  }
  for (const Revision* rev : *revisions) {
    const bool current = options.indicate_current && contains(rows, rev->id);
    FormatOptions format{
        .include_branches = true, .include_doc = true, .include_parents = true, .current = current};
    cfg.output() << (options.verbose ? format_entry(env->map, *rev, current)
                                     : format_line(env->map, *rev, format))
                 << "\n";
  }
  return Error::success();
}

Error heads(const Config& cfg, const HeadsOptions& options) {
  CommandScope scope(cfg);
  auto env = detail::read_environment(cfg);
  if (!env) return env.take_error();
  if (options.json) {
    write_heads_json(cfg.output(), env->map, env->map.heads(options.resolve_dependencies));
    return Error::success();
  }
  for (const std::string& id : env->map.heads(options.resolve_dependencies)) {
    const Revision& rev = *env->map.find(id);
    FormatOptions format{.include_branches = true, .tree_indicators = false};
    cfg.output() << (options.verbose ? format_entry(env->map, rev)
                                     : format_line(env->map, rev, format))
                 << "\n";
  }
  return Error::success();
}

Error branches(const Config& cfg, bool verbose) {
  CommandScope scope(cfg);
  auto env = detail::read_environment(cfg);
  if (!env) return env.take_error();
  const RevisionMap& map = env->map;
  for (const Revision* rev : map.history()) {
    if (!map.is_branch_point(rev->id)) continue;
    std::ostream& out = cfg.output();
    out << (verbose ? format_entry(map, *rev) : format_line(map, *rev, {.include_branches = true}))
        << "\n";
    for (const std::string& child : map.children(rev->id)) {
      FormatOptions format{.include_branches = true, .include_doc = verbose};
      out << std::string(rev->id.size(), ' ') << " -> "
          << format_line(map, *map.find(child), format) << "\n";
    }
    out << "\n";
  }
  return Error::success();
}

Error show(const Config& cfg, const std::string& revision) {
  CommandScope scope(cfg);
  auto env = detail::read_environment(cfg);
  if (!env) return env.take_error();
  std::vector<const Revision*> revisions;
  if (revision == "current") {
    auto rows = database_heads(cfg, *env);
    if (!rows) return rows.take_error();
    auto shown = env->map.current_display(*rows);
    if (!shown) return shown.take_error();
    for (const std::string& id : *shown) revisions.push_back(env->map.find(id));
  } else {
    auto named = env->map.resolve_all(revision);
    if (!named) return named.take_error();
    revisions = std::move(*named);
  }
  for (const Revision* rev : revisions) cfg.output() << format_entry(env->map, *rev) << "\n";
  return Error::success();
}

Expected<std::vector<std::string>> current_revisions(const Config& cfg) {
  CommandScope scope(cfg);
  auto env = detail::read_environment(cfg);
  if (!env) return env.take_error();
  auto rows = database_rows(cfg, *env);
  if (!rows) return rows.take_error();
  return sorted(std::move(*rows));
}

Expected<std::vector<std::string>> head_revisions(const Config& cfg) {
  CommandScope scope(cfg);
  auto env = detail::read_environment(cfg);
  if (!env) return env.take_error();
  return sorted(env->map.heads());
}

Expected<bool> is_at_head(const Config& cfg) {
  CommandScope scope(cfg);
  auto env = detail::read_environment(cfg);
  if (!env) return env.take_error();
  auto rows = database_heads(cfg, *env);
  if (!rows) return rows.take_error();
  return at_heads(env->map, *rows);
}

}  // namespace retort::command

namespace retort::detail {

// The rows, refused when damaged as every command that reads them refuses.
Expected<std::vector<std::string>> database_heads(const Config& cfg, const RevisionMap& map,
                                                  const Database& db) {
  auto rows = command::database_rows(cfg, db);
  if (!rows) return rows.take_error();
  if (Error err = map.check_version_rows(*rows)) return err;
  return rows;
}

}  // namespace retort::detail
