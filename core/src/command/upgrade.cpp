// retort upgrade, downgrade and stamp: online, or as an SQL script with --sql.
#include <retort/command.hpp>

#include <retort/log.hpp>

#include "command/command_scope.hpp"
#include "command/command_support.hpp"
#include "command/database_run.hpp"
#include "runtime/history_words.hpp"
#include "runtime/migration_context.hpp"
#include "runtime/run_session.hpp"
#include "util/json_writer.hpp"
#include "util/log_scope.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>

namespace retort::command {
namespace {

// --tag, for the environment; empty is none.
std::optional<std::string> tag_of(const std::string& tag) {
  if (tag.empty()) return std::nullopt;
  return tag;
}

// Where the "Running ..." lines go: the command's output, or the progress
// log when the output is a JSON document; nowhere when cfg is quiet (-q).
std::ostream& step_log(const Config& cfg, bool json) {
  if (cfg.quiet()) return null_stream();
  return json ? progress_stream() : cfg.output();
}

// In an environment of several databases, which one the lines that follow
// are about: a line of the step log, or a comment of the script.
void announce(const Config& cfg, const std::string& name, bool sql, bool json) {
  if (name.empty()) return;
  if (sql) {
    cfg.output_buffer() << "-- Database " << name << "\n\n";
    return;
  }
  step_log(cfg, json) << "Database " << name << std::endl;
}

// The --json document of upgrade, downgrade and stamp:
//   {"direction":"upgrade","target":"head","steps":[{"revision":"a1","from":[],
//    "to":["a1"],"message":"...","duration_ms":1.234,"outcome":"done"}],"status":"ok"}
// and, when the run failed, "status":"failed" and "error":"<one line>"; the
// failed step, if one had begun, is the last, with "outcome":"failed".
void write_run_json(std::ostream& out, Direction direction, const std::string& target,
                    const std::vector<StepOutcome>& outcomes, const Error& err) {
  JsonWriter json(out);
  json.begin_object();
  json.key("direction").string(to_text(direction));
  json.key("target").string(target);
  json.key("steps").begin_array();
  for (const StepOutcome& o : outcomes) {
    json.begin_object();
    json.key("revision");
    if (o.revision.empty()) {
      json.null();
    } else {
      json.string(o.revision);
    }
    json.key("from").strings(o.from_heads);
    json.key("to").strings(o.to_heads);
    json.key("message").string(o.message);
    json.key("duration_ms").number(o.duration_ms);
    json.key("outcome").string(to_text(o.failed ? StepEvent::kFailed : StepEvent::kDone));
    json.end_object();
  }
  json.end_array();
  json.key("status").string(err ? "failed" : "ok");
  if (err) {
    std::string line = err.message();
    std::replace(line.begin(), line.end(), '\n', ' ');
    json.key("error").string(line);
  }
  json.end_object();
  out << "\n";
}

// Online, the history must agree with the scripts before anything runs.
Error run_plan(const Config& cfg, const RevisionMap& map, detail::RunSession& session,
               const detail::Range& range, const RunOptions& options, bool upgrade,
               std::vector<StepOutcome>* outcomes, const detail::TargetRun& target) {
  MigrationContext& ctx = session.context();
  auto current = ctx.current_heads();
  if (!current) return current.take_error();
  if (target.from != nullptr) *target.from = *current;
  // The plan first: it names a version row the scripts do not know better.
  auto plan =
      upgrade ? map.upgrade_plan(*current, range.end) : map.downgrade_plan(*current, range.end);
  if (!plan) return plan.take_error();
  if (!options.sql) {
    auto check = session.check(*current, map);
    if (!check) return check.take_error();
    if (auto err = refuse_to_run(*check, session.checksums(), options.ignore_checksums)) return err;
  }
  ctx.set_hooks(target.hooks);
  return ctx.run(*plan, step_log(cfg, options.json), &progress_stream(), outcomes);
}

Error run_steps(const Config& cfg, const std::string& target, const RunOptions& options,
                bool upgrade, std::vector<StepOutcome>* outcomes) {
  auto range = detail::parse_range(target, options.sql, upgrade);
  if (!range) return range.take_error();
  // At the target already, the run needs no module: asked before loading any.
  LoadOptions load{options.allow_stale};
  bool nothing_to_run = false;
  std::optional<detail::DatabasePrefetch> prefetch;
  if (!options.sql) {
    prefetch.emplace(cfg, *range, options);
    load.before_loading = [&](const ScriptDirectory&, const RevisionMap& map,
                              const ModuleFiles& files) {
      return nothing_to_run =
                 detail::nothing_to_run(*prefetch, map, files, *range, options, upgrade);
    };
  }
  // Compiler progress goes to the log: with --sql, the output may be the script.
  auto env = detail::load_environment(cfg, progress_stream(), load);
  // The read-ahead's connection is closed before the run opens its own.
  prefetch.reset();
  if (!env) return env.take_error();
  if (nothing_to_run) return Error::success();
  auto dbs = detail::command_databases(cfg, env->scripts, {options.sql, tag_of(options.tag)});
  if (!dbs) return dbs.take_error();
  for (detail::NamedDatabase& named : *dbs) {
    announce(cfg, named.name, options.sql, options.json);
    detail::TargetRun run;
    run.database_name = named.name;
    if (Error err = detail::run_revisions(cfg, env->map, named.db, *range, options, upgrade,
                                          outcomes, run)) {
      return err;
    }
  }
  return Error::success();
}

Error run(const Config& cfg, const std::string& target, const RunOptions& options, bool upgrade) {
  if (options.json && options.sql) {
    return Error(ErrorCategory::kUsage, "--json cannot be combined with --sql");
  }
  std::vector<StepOutcome> outcomes;
  Error err = run_steps(cfg, target, options, upgrade, &outcomes);
  if (options.json)
    write_run_json(cfg.output(), upgrade ? Direction::kUpgrade : Direction::kDowngrade, target,
                   outcomes, err);
  return err;
}

Error stamp_rows(const RevisionMap& map, detail::RunSession& session,
                 const std::vector<std::string>& targets, const StampOptions& options,
                 std::vector<StepOutcome>* outcomes, std::ostream& log,
                 const detail::TargetRun& target) {
  MigrationContext& ctx = session.context();
  auto rows = ctx.current_heads();
  if (!rows) return rows.take_error();
  if (target.from != nullptr) *target.from = *rows;
  if (options.purge) {
    if (auto err = ctx.purge(*rows)) return err;
    rows->clear();
  }
  auto plan = map.stamp_plan(*rows, targets);
  if (!plan) return plan.take_error();
  ctx.set_hooks(target.hooks);
  return ctx.run(*plan, log, &progress_stream(), outcomes);
}

Error run_stamp(const Config& cfg, const std::vector<std::string>& revisions,
                const StampOptions& options, std::vector<StepOutcome>* outcomes) {
  auto request = detail::parse_stamp(revisions, options);
  if (!request) return request.take_error();
  // A stamp runs no revision: the graph is enough.
  auto env = detail::read_environment(cfg);
  if (!env) return env.take_error();
  auto dbs = detail::command_databases(cfg, env->scripts, {options.sql, tag_of(options.tag)});
  if (!dbs) return dbs.take_error();
  for (detail::NamedDatabase& named : *dbs) {
    announce(cfg, named.name, options.sql, options.json);
    detail::TargetRun run;
    run.database_name = named.name;
    if (Error err =
            detail::stamp_revisions(cfg, env->map, named.db, *request, options, outcomes, run)) {
      return err;
    }
  }
  return Error::success();
}

}  // namespace

Error stamp(const Config& cfg, const std::vector<std::string>& revisions,
            const StampOptions& options) {
  CommandScope scope(cfg);
  if (options.json && options.sql) {
    return Error(ErrorCategory::kUsage, "--json cannot be combined with --sql");
  }
  std::vector<StepOutcome> outcomes;
  Error err = run_stamp(cfg, revisions, options, &outcomes);
  if (options.json) {
    write_run_json(cfg.output(), Direction::kStamp, fmt::format("{}", fmt::join(revisions, " ")),
                   outcomes, err);
  }
  return err;
}

Error upgrade(const Config& cfg, const std::string& target, const RunOptions& options) {
  CommandScope scope(cfg);
  return run(cfg, target, options, /*upgrade=*/true);
}

Error downgrade(const Config& cfg, const std::string& target, const RunOptions& options) {
  CommandScope scope(cfg);
  return run(cfg, target, options, /*upgrade=*/false);
}

}  // namespace retort::command

namespace retort::detail {

Expected<Range> parse_range(const std::string& target, bool sql, bool upgrade) {
  auto colon = target.find(':');
  if (colon == std::string::npos) {
    if (sql && !upgrade) {
      return Error(ErrorCategory::kUsage, "downgrade with --sql requires <fromrev>:<torev>");
    }
    return Range{std::nullopt, target};
  }
  if (!sql) {
    return Error(ErrorCategory::kUsage, fmt::format("range revision '{}' not allowed", target),
                 "a start:end range is only for --sql scripts");
  }
  return Range{target.substr(0, colon), target.substr(colon + 1)};
}

Error run_revisions(const Config& cfg, const RevisionMap& map, const Database& db,
                    const Range& range, const command::RunOptions& options, bool upgrade,
                    std::vector<StepOutcome>* outcomes, const TargetRun& run) {
  RunSession session;
  Error err = session.open(cfg, db, map,
                           {options.sql, options.script_lock, options.lock_timeout_seconds,
                            range.start, /*checksums=*/true, run.checksums, run.database_name});
  if (!err) err = command::run_plan(cfg, map, session, range, options, upgrade, outcomes, run);
  return session.close(std::move(err));
}

Expected<StampRequest> parse_stamp(const std::vector<std::string>& revisions,
                                   const command::StampOptions& options) {
  if (options.sql && options.purge) {
    return Error(ErrorCategory::kUsage, "Can't use --purge with --sql mode");
  }
  // With --sql, each target may carry the one starting revision: start:rev.
  StampRequest request;
  for (const std::string& r : revisions) {
    auto colon = r.find(':');
    if (colon == std::string::npos) {
      request.targets.push_back(r);
      continue;
    }
    if (!options.sql) {
      return Error(ErrorCategory::kUsage, fmt::format("range revision '{}' not allowed", r),
                   "a start:end range is only for --sql scripts");
    }
    std::string s = r.substr(0, colon);
    if (request.start && *request.start != s) {
      return Error(ErrorCategory::kUsage,
                   "Stamp operation with --sql only supports a single starting revision at a time");
    }
    request.start = s;
    request.targets.push_back(r.substr(colon + 1));
  }
  return request;
}

Error stamp_revisions(const Config& cfg, const RevisionMap& map, const Database& db,
                      const StampRequest& request, const command::StampOptions& options,
                      std::vector<StepOutcome>* outcomes, const TargetRun& run) {
  RunSession session;
  Error err = session.open(cfg, db, map,
                           {options.sql, options.script_lock, options.lock_timeout_seconds,
                            request.start, /*checksums=*/false, nullptr, run.database_name});
  if (!err) {
    err = command::stamp_rows(map, session, request.targets, options, outcomes,
                              command::step_log(cfg, options.json), run);
  }
  return session.close(std::move(err));
}

}  // namespace retort::detail
