// retort upgrade, downgrade and stamp: online, or as an SQL script with --sql.
#include <retort/command.hpp>

#include <retort/log.hpp>

#include "command_support.hpp"
#include "json_writer.hpp"
#include "migration_lock.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <iostream>

namespace retort::command {
namespace {

struct Range {
  std::optional<std::string> start;
  std::string end;
};

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

// The version rows an offline script starts from.
Expected<std::vector<std::string>> starting_heads(const RevisionMap& map,
                                                  const std::optional<std::string>& start) {
  if (!start || start->empty() || *start == "base") return std::vector<std::string>{};
  auto rev = map.resolve(*start);
  if (!rev) return rev.take_error();
  if (*rev == nullptr) return std::vector<std::string>{};
  return std::vector<std::string>{(*rev)->id};
}

// An online context, or an offline one writing to cfg.output() from `start`.
Expected<MigrationContext> open_context(const Config& cfg, const detail::Database& db,
                                        const RevisionMap& map, bool sql,
                                        const std::optional<std::string>& start) {
  if (!sql) return MigrationContext::connect(db.dialect, db.url, detail::version_table(cfg));
  auto heads = starting_heads(map, start);
  if (!heads) return heads.take_error();
  return MigrationContext::offline(db.dialect, cfg.output(), detail::version_table(cfg),
                                   std::move(*heads));
}

// Online, the migration lock, taken before the version table is read and
// held until the command ends; nullopt offline or when the dialect has none.
Expected<std::optional<MigrationLock>> take_lock(const Config& cfg, const detail::Database& db,
                                                 bool sql, double timeout_seconds) {
  if (sql) return std::optional<MigrationLock>();
  if (!(timeout_seconds >= 0)) {
    return Error(ErrorCategory::kUsage, "--lock-timeout must be a number of seconds, 0 or more");
  }
  const auto timeout = std::chrono::milliseconds(static_cast<long long>(timeout_seconds * 1000));
  auto lock = MigrationLock::acquire(db.dialect, db.url,
                                     migration_lock_name(db.url, detail::version_table(cfg)),
                                     timeout, progress_stream());
  if (lock && !*lock) {
    log(LogLevel::kDebug, fmt::format("dialect '{}' has no migration lock; runners are not "
                                      "serialized", db.dialect.name()));
  }
  return lock;
}

// Where the "Running ..." lines go: the command's output, or stderr when
// the output is a JSON document; nowhere below the info log level (-q).
std::ostream& step_log(const Config& cfg, bool json) {
  if (!log_enabled(LogLevel::kInfo)) return progress_stream();
  return json ? std::cerr : cfg.output();
}

// The --json document of upgrade, downgrade and stamp:
//   {"direction":"upgrade","target":"head","steps":[{"revision":"a1","from":[],
//    "to":["a1"],"message":"...","duration_ms":1.234,"outcome":"done"}],"status":"ok"}
// and, when the run failed, "status":"failed" and "error":"<one line>"; the
// failed step, if one had begun, is the last, with "outcome":"failed".
void write_run_json(std::ostream& out, const char* direction, const std::string& target,
                    const std::vector<StepOutcome>& outcomes, const Error& err) {
  JsonWriter json(out);
  json.begin_object();
  json.key("direction").string(direction);
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
    json.key("outcome").string(o.failed ? "failed" : "done");
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

Error run_steps(const Config& cfg, const std::string& target, const RunOptions& options,
                bool upgrade, std::vector<StepOutcome>* outcomes) {
  auto range = parse_range(target, options.sql, upgrade);
  if (!range) return range.take_error();
  // Compiler progress goes to stderr: with --sql, stdout is the script.
  auto env = detail::load_environment(cfg, progress_stream());
  if (!env) return env.take_error();
  auto db = detail::database(cfg);
  if (!db) return db.take_error();

  auto lock = take_lock(cfg, *db, options.sql, options.lock_timeout_seconds);
  if (!lock) return lock.take_error();
  auto ctx = open_context(cfg, *db, env->map, options.sql, range->start);
  if (!ctx) return ctx.take_error();
  auto current = ctx->current_heads();
  if (!current) return current.take_error();
  auto plan = upgrade ? env->map.upgrade_plan(*current, range->end)
                      : env->map.downgrade_plan(*current, range->end);
  if (!plan) return plan.take_error();
  return ctx->run(*plan, step_log(cfg, options.json), &progress_stream(), outcomes);
}

Error run(const Config& cfg, const std::string& target, const RunOptions& options, bool upgrade) {
  if (options.json && options.sql) {
    return Error(ErrorCategory::kUsage, "--json cannot be combined with --sql");
  }
  std::vector<StepOutcome> outcomes;
  Error err = run_steps(cfg, target, options, upgrade, &outcomes);
  if (options.json) write_run_json(cfg.output(), upgrade ? "upgrade" : "downgrade", target, outcomes, err);
  return err;
}

Error run_stamp(const Config& cfg, const std::vector<std::string>& revisions,
                const StampOptions& options, std::vector<StepOutcome>* outcomes) {
  if (options.sql && options.purge) {
    return Error(ErrorCategory::kUsage, "Can't use --purge with --sql mode");
  }
  // With --sql, each target may carry the one starting revision: start:rev.
  std::optional<std::string> start;
  std::vector<std::string> targets;
  for (const std::string& r : revisions) {
    auto colon = r.find(':');
    if (colon == std::string::npos) {
      targets.push_back(r);
      continue;
    }
    if (!options.sql) {
      return Error(ErrorCategory::kUsage, fmt::format("range revision '{}' not allowed", r),
                   "a start:end range is only for --sql scripts");
    }
    std::string s = r.substr(0, colon);
    if (start && *start != s) {
      return Error(ErrorCategory::kUsage,
                   "Stamp operation with --sql only supports a single starting revision at a time");
    }
    start = s;
    targets.push_back(r.substr(colon + 1));
  }
  auto env = detail::load_environment(cfg, progress_stream());
  if (!env) return env.take_error();
  auto db = detail::database(cfg);
  if (!db) return db.take_error();
  auto lock = take_lock(cfg, *db, options.sql, options.lock_timeout_seconds);
  if (!lock) return lock.take_error();
  auto ctx = open_context(cfg, *db, env->map, options.sql, start);
  if (!ctx) return ctx.take_error();
  auto rows = ctx->current_heads();
  if (!rows) return rows.take_error();
  if (options.purge) {
    if (auto err = ctx->purge(*rows)) return err;
    rows->clear();
  }
  auto plan = env->map.stamp_plan(*rows, targets);
  if (!plan) return plan.take_error();
  return ctx->run(*plan, step_log(cfg, options.json), &progress_stream(), outcomes);
}

}  // namespace

Error stamp(const Config& cfg, const std::vector<std::string>& revisions, const StampOptions& options) {
  if (options.json && options.sql) {
    return Error(ErrorCategory::kUsage, "--json cannot be combined with --sql");
  }
  std::vector<StepOutcome> outcomes;
  Error err = run_stamp(cfg, revisions, options, &outcomes);
  if (options.json) {
    write_run_json(cfg.output(), "stamp", fmt::format("{}", fmt::join(revisions, " ")), outcomes, err);
  }
  return err;
}

Error upgrade(const Config& cfg, const std::string& target, const RunOptions& options) {
  return run(cfg, target, options, /*upgrade=*/true);
}

Error downgrade(const Config& cfg, const std::string& target, const RunOptions& options) {
  return run(cfg, target, options, /*upgrade=*/false);
}

}  // namespace retort::command
