// retort check, log and resolve: the history table, read and answered.
#include <retort/command.hpp>

#include <retort/log.hpp>

#include "command/command_scope.hpp"
#include "command/command_support.hpp"
#include "command/database_run.hpp"
#include "command/revision_autogenerate.hpp"
#include "runtime/applied_check.hpp"
#include "runtime/history_table.hpp"
#include "runtime/history_words.hpp"
#include "runtime/migration_context.hpp"
#include "runtime/run_session.hpp"
#include "util/json_writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ostream>

namespace retort::command {
namespace {

void optional_string(JsonWriter& json, const char* key, const std::optional<std::string>& value) {
  json.key(key);
  value ? json.string(*value) : json.null();
}

void optional_integer(JsonWriter& json, const char* key, const std::optional<long long>& value) {
  json.key(key);
  value ? json.integer(*value) : json.null();
}

// --json: {"status":"ok","history_table":"retort_history","revisions":[{"revision":"a1",
// "state":"ok","recorded":"v1:sha256:...","current":"v1:sha256:..."}],"problems":[]}
void write_check_json(std::ostream& out, const std::string& table, const AppliedCheck& check,
                      const std::vector<std::string>& drift, const Error& err) {
  JsonWriter json(out);
  json.begin_object();
  json.key("status").string(err ? "failed" : "ok");
  json.key("history_table").string(table);
  json.key("revisions").begin_array();
  for (const RevisionCheck& r : check.revisions) {
    json.begin_object();
    json.key("revision").string(r.revision);
    json.key("state").string(to_text(r.state));
    optional_string(json, "recorded", r.recorded);
    optional_string(json, "current", r.current);
    json.end_object();
  }
  json.end_array();
  json.key("problems").strings(check.problems);
  json.key("drift").strings(drift);
  if (err && check.problems.empty()) json.key("error").string(err.message());
  json.end_object();
  out << "\n";
}

void write_check_text(std::ostream& out, const AppliedCheck& check) {
  size_t ok = 0;
  for (const RevisionCheck& r : check.revisions) {
    if (r.state == CheckState::kOk) {
      ++ok;
      continue;
    }
    out << fmt::format("{}  {}\n", r.revision, to_text(r.state));
  }
  out << fmt::format("{} applied revision{} match{} the checksum recorded when applied\n", ok,
                     ok == 1 ? "" : "s", ok == 1 ? "es" : "");
}

Error run_check(const Config& cfg, const CheckOptions& options, std::string& table,
                AppliedCheck& out) {
  auto env = detail::load_environment(cfg, progress_stream());
  if (!env) return env.take_error();
  auto db = detail::environment_database(cfg, env->scripts);
  if (!db) return db.take_error();
  return detail::check_database(cfg, env->map, *db, options, table, out);
}

// --json: {"history_table":"retort_history","events":[{"run":"...","seq":1,...}]}
void write_log_json(std::ostream& out, const std::string& table,
                    const std::vector<HistoryEvent>& events) {
  JsonWriter json(out);
  json.begin_object();
  json.key("history_table").string(table);
  json.key("events").begin_array();
  for (const HistoryEvent& e : events) {
    json.begin_object();
    json.key("run").string(e.run);
    json.key("seq").integer(e.seq);
    json.key("revision").string(e.revision);
    json.key("direction").string(to_text(e.direction));
    json.key("event").string(to_text(e.event));
    json.key("statements_done").integer(e.statements_done);
    optional_integer(json, "statements_total", e.statements_total);
    optional_string(json, "checksum", e.checksum);
    json.key("at").string(e.at);
    optional_string(json, "started_at", e.started_at);
    optional_integer(json, "duration_ms", e.duration_ms);
    json.key("who").string(e.who);
    json.key("dialect").string(e.dialect);
    optional_string(json, "sql", e.sql);
    optional_string(json, "error", e.error);
    json.end_object();
  }
  json.end_array().end_object();
  out << "\n";
}

// 2026-11-21T09:50:12.123456Z  upgrade    k2  statement  2/3  root@host pid 42  run 1f2e...
//     CREATE TABLE kill_three (...)
void write_log_text(std::ostream& out, const std::vector<HistoryEvent>& events) {
  for (const HistoryEvent& e : events) {
    const long long of = e.statements_total.value_or(e.statements_done);
    std::string count = fmt::format("{}", e.statements_done);
    if (e.statements_total) count += fmt::format(" of {}", *e.statements_total);
    std::string took = e.duration_ms ? fmt::format("  {} ms", *e.duration_ms) : "";
    out << fmt::format("{}  {:<9}  {}  {}  {} statement{}{}  {}  run {}\n", e.at,
                       to_text(e.direction), e.revision, to_text(e.event), count,
                       of == 1 ? "" : "s", took, e.who, e.run);
    if (e.sql) out << "    " << *e.sql << "\n";
    if (e.error) out << "    error: " << *e.error << "\n";
  }
}

// The step that stopped partway for `revision`: an exact id, else what the
// scripts resolve it to.
Expected<const PartialStep*> partial_step(const AppliedCheck& check, const RevisionMap& map,
                                          const std::string& revision) {
  auto find = [&](const std::string& id) -> const PartialStep* {
    for (const PartialStep& p : check.partial) {
      if (p.last.revision == id) return &p;
    }
    return nullptr;
  };
  if (const PartialStep* p = find(revision)) return p;
  auto resolved = map.resolve(revision);
  if (!resolved) return resolved.take_error();
  if (*resolved != nullptr) {
    if (const PartialStep* p = find((*resolved)->id)) return p;
  }
  return Error(
      ErrorCategory::kMigration,
      fmt::format("revision '{}' has no step that stopped partway; nothing to resolve", revision),
      "'retort check' lists the steps that need resolving; 'retort log' shows the history");
}

// The version-table change the partial step would have made, had it finished.
Expected<MigrationStep> finished_step(const PartialStep& partial, const RevisionMap& map,
                                      const std::vector<std::string>& rows) {
  const Revision* rev = map.find(partial.last.revision);
  if (rev == nullptr) {
    return Error(ErrorCategory::kRevision,
                 fmt::format("revision '{}' is not in the scripts; it cannot be marked applied",
                             partial.last.revision),
                 "restore its script, or resolve it with --rolled-back");
  }
  MigrationStep step{rev, partial.last.direction == Direction::kUpgrade, {}, {}, false};
  auto is_row = [&](const std::string& id) {
    return std::find(rows.begin(), rows.end(), id) != rows.end();
  };
  if (step.upgrade) {
    if (is_row(rev->id))
      return Error(ErrorCategory::kMigration,
                   fmt::format("revision '{}' is already in the version table", rev->id));
    for (const std::string& down : rev->down_revisions) {
      if (is_row(down)) step.from_heads.push_back(down);
    }
    step.to_heads = {rev->id};
  } else {
    if (!is_row(rev->id))
      return Error(ErrorCategory::kMigration,
                   fmt::format("revision '{}' is not in the version table", rev->id));
    step.from_heads = {rev->id};
    step.to_heads = rev->down_revisions;
  }
  return step;
}

}  // namespace

Error check(const Config& cfg, const CheckOptions& options) {
  CommandScope scope(cfg);
  std::string table;
  AppliedCheck result;
  Error err = run_check(cfg, options, table, result);
  // With a model declared, the database compared with it (issue 13), after
  // the lock is released: nothing is written.
  std::vector<std::string> drift;
  if (!err) {
    auto found = detail::model_drift(cfg);
    if (!found) {
      err = found.take_error();
    } else if (*found && !(*found)->empty()) {
      drift = std::move(**found);
      if (!options.json) {
        for (const std::string& d : drift) cfg.output() << "drift: " << d << "\n";
      }
      err = detail::drift_error(drift.size());
    } else if (*found && !options.json) {
      cfg.output() << "the database matches the model\n";
    }
  }
  if (options.json) write_check_json(cfg.output(), table, result, drift, err);
  return err;
}

Error log(const Config& cfg, const LogOptions& options) {
  CommandScope scope(cfg);
  auto db = detail::database(cfg);
  if (!db) return db.take_error();
  auto table = detail::history_table(cfg);
  if (!table) return table.take_error();
  auto ctx = detail::connect(*db, detail::version_table(cfg));
  if (!ctx) return ctx.take_error();
  auto events = HistoryTable(db->dialect, *table).read(ctx->connection());
  if (!events) return events.take_error();
  if (options.json) {
    write_log_json(cfg.output(), *table, *events);
  } else {
    write_log_text(cfg.output(), *events);
  }
  return Error::success();
}

Error resolve(const Config& cfg, const std::string& revision, const ResolveOptions& options) {
  CommandScope scope(cfg);
  auto env = detail::load_environment(cfg, progress_stream());
  if (!env) return env.take_error();
  auto db = detail::database(cfg);
  if (!db) return db.take_error();
  detail::RunSession session;
  Error err =
      session.open(cfg, *db, env->map, {.lock_timeout_seconds = options.lock_timeout_seconds});
  auto body = [&]() -> Error {
    auto rows = session.context().current_heads();
    if (!rows) return rows.take_error();
    if (Error damaged = env->map.check_version_rows(*rows, /*unknown_allowed=*/true))
      return damaged;
    auto check = session.check(*rows, env->map);
    if (!check) return check.take_error();
    auto partial = partial_step(*check, env->map, revision);
    if (!partial) return partial.take_error();
    const PartialStep& p = **partial;
    std::optional<MigrationStep> step;
    if (options.applied) {
      auto finished = finished_step(p, env->map, *rows);
      if (!finished) return finished.take_error();
      step = std::move(*finished);
    }
    if (auto e =
            session.context().resolve(p.last, p.checksum, options.applied, step ? &*step : nullptr))
      return e;
    cfg.output() << fmt::format("Recorded the {} of revision '{}' as {}\n",
                                to_text(p.last.direction), p.last.revision,
                                options.applied ? "applied" : "rolled back");
    return Error::success();
  };
  if (!err) err = body();
  return session.close(std::move(err));
}

}  // namespace retort::command

namespace retort::detail {

Error check_database(const Config& cfg, const RevisionMap& map, const Database& db,
                     const command::CheckOptions& options, std::string& table, AppliedCheck& out,
                     const TargetRun& run) {
  auto name = history_table(cfg);
  if (!name) return name.take_error();
  table = *name;
  RunSession session;
  SessionOptions session_options;
  session_options.shared_checksums = run.checksums;
  Error err = session.open(cfg, db, map, session_options);
  if (!err) {
    auto rows = session.context().current_heads();
    if (rows && run.from != nullptr) *run.from = *rows;
    if (!rows) {
      err = rows.take_error();
    } else if (Error damaged = map.check_version_rows(*rows, /*unknown_allowed=*/true)) {
      // A row the scripts lack is reported below, as missing.
      err = std::move(damaged);
    } else if (auto check = session.check(*rows, map); !check) {
      err = check.take_error();
    } else {
      out = std::move(*check);
      if (!options.json) command::write_check_text(cfg.output(), out);
      err = refuse_to_run(out, session.checksums(), /*ignore_checksums=*/false);
    }
  }
  return session.close(std::move(err));
}

}  // namespace retort::detail
