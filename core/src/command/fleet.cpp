// The commands over a fleet of databases (retort/fleet.hpp): the scripts are
// loaded once, each target gets its own Config (its URL, its section's
// options, its own output) and runs the single-target code of
// command/database_run.hpp on a thread of the fleet runner.
//
// What the threads share, and why that is safe:
// - the RevisionMap and its loaded modules: read only once loaded; a
//   revision's upgrade() writes only to the operations it is handed;
// - the dialect plugins: the ABI has one instance per plugin and process
//   (render takes no instance), so there is no per-target instance to make;
//   abi.h's threading rule (beside retort_dialect) lets the host call it
//   from several threads at once, and requires a dialect to be reentrant.
//   Online rendering of the built-in dialects keeps no state between calls
//   but SQLite's table model, which is guarded by a mutex and consulted only
//   offline; a dialect's queries go through a thread_local sink. Offline
//   rendering is what carries state across a script, so it is never run
//   concurrently: --sql runs one target at a time, and each dialect's
//   checksums are rendered (or read from the cache) once, under the lock of
//   SharedLoads, with RevisionChecksums::find rendering under its own mutex;
// - the plugin loader (its own mutex) and the host services (they only log);
// - ODBC: every connection allocates its own environment handle;
// - the log (retort/log.hpp): each target's Config has a log sink of its
//   own, installed on the worker thread while the target runs (CommandScope),
//   so a target's log lines, lock waits included, are its own (FleetLog);
//   its command output goes to its own buffer.
#include <retort/attributes.hpp>
#include <retort/fleet.hpp>
#include <retort/log.hpp>
#include <retort/url.hpp>

#include "command/command_scope.hpp"
#include "command/command_support.hpp"
#include "command/database_run.hpp"
#include "command/revision_autogenerate.hpp"
#include "fleet/fleet_runner.hpp"
#include "script/environment_module.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>

namespace retort::command {
namespace {

enum class Kind { kUpgrade, kDowngrade, kStamp, kCurrent, kCheck };

const char* kind_name(Kind kind) {
  switch (kind) {
    case Kind::kUpgrade:
      return "upgrade";
    case Kind::kDowngrade:
      return "downgrade";
    case Kind::kStamp:
      return "stamp";
    case Kind::kCurrent:
      return "current";
    case Kind::kCheck:
      return "check";
  }
  return "";
}

// What a fleet command asks of each target.
struct Request {
  Kind kind = Kind::kUpgrade;
  detail::Range range;         // upgrade, downgrade
  RunOptions run;              // upgrade, downgrade
  detail::StampRequest stamp;  // stamp
  StampOptions stamp_options;  // stamp
  bool sql() const { return kind == Kind::kStamp ? stamp_options.sql : run.sql; }
  // What the environment is told of the command.
  EnvironmentRequest environment() const {
    const std::string& tag = kind == Kind::kStamp ? stamp_options.tag : run.tag;
    return {sql(), tag.empty() ? std::nullopt : std::optional<std::string>(tag)};
  }
};

// A Config value is interpolated on read: a literal % is written %%.
std::string escape_percent(const std::string& value) {
  std::string out;
  for (char c : value) {
    out += c;
    if (c == '%') out += '%';
  }
  return out;
}

// The target's own Config: the fleet's, with the target's URL, or its
// section's url and other options over the main section's.
Expected<Config> target_config(const Config& cfg, const FleetTarget& target, std::string& url) {
  Config out = cfg;
  if (target.section.empty()) {
    out.set_main_option("url", escape_percent(target.url));
    url = target.url;
    return out;
  }
  const std::vector<std::string> sections = cfg.sections();
  if (std::find(sections.begin(), sections.end(), target.section) == sections.end()) {
    return Error(
        ErrorCategory::kConfig,
        fmt::format("{}: no section [{}] in '{}'", target.origin, target.section,
                    cfg.config_file_name().empty() ? "the configuration" : cfg.config_file_name()),
        "add the section with its url, or write the target as name = URL");
  }
  auto section_url = cfg.get_section_option(target.section, "url");
  if (!section_url || section_url->empty()) {
    return Error(ErrorCategory::kConfig,
                 fmt::format("{}: section [{}] has no 'url' key", target.origin, target.section),
                 "set url in the section, e.g. url = postgresql://host/db");
  }
  for (const auto& [key, value] : cfg.get_section(target.section)) {
    if (key != "here") out.set_main_option(key, escape_percent(value));
  }
  url = *section_url;
  return out;
}

// What the fleet loads once and its targets share: the dialects, by what
// picks one, and the checksums of the revisions, by dialect. Both are built
// by the first target that needs them, under the lock. And the environment,
// which each target runs for itself.
class SharedLoads {
 public:
  explicit SharedLoads(std::optional<EnvironmentFile> environment)
      : environment_(std::move(environment)) {}

  // What the environment (the application's function, else env.cpp or a
  // deploy's env.so) decides for the target of `cfg`; none without one. It
  // runs for one target at a time: it is the user's code, and env.cpp may
  // have to be compiled first.
  Expected<std::shared_ptr<const EnvironmentSettings>> environment(
      const Config& cfg, const EnvironmentRequest& request) {
    std::lock_guard<std::mutex> lock(environment_mutex_);
    if (cfg.attributes().environment() != nullptr) {
      return configure_application_environment(cfg, request);
    }
    if (!environment_) return std::shared_ptr<const EnvironmentSettings>();
    return configure_environment(cfg, *environment_, request, progress_stream());
  }

  Expected<detail::Database> database(const Config& cfg,
                                      std::shared_ptr<const EnvironmentSettings> env) {
    // The environment's own URL replaces the target's.
    auto text = env && env->url ? Expected<std::string>(*env->url) : cfg.main_option("url");
    if (!text) return text.take_error();
    auto url = DatabaseUrl::parse(std::move(*text));
    if (!url) return detail::database(cfg, std::move(env));  // which reports it
    // By the scheme whose dialect renders: odbc:// URLs name theirs.
    const std::string key =
        fmt::format("{}\n{}\n{}", url->dialect_scheme(), cfg.get_main_option("plugin_path", ""),
                    cfg.get_main_option("dialect", ""));
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = dialects_.find(key);
    if (it == dialects_.end()) {
      auto dialect = Dialect::for_url(*url, cfg);
      if (!dialect) return dialect.take_error();
      it = dialects_.emplace(key, std::move(*dialect)).first;
    }
    detail::Database db = detail::database_at(std::move(*url), it->second);
    db.env = std::move(env);
    return db;
  }

  const RevisionChecksums* checksums(const Dialect& dialect, const RevisionMap& map) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto& slot = checksums_[dialect.path()];
    if (!slot) slot = std::make_unique<RevisionChecksums>(RevisionChecksums::compute(dialect, map));
    return slot.get();
  }

 private:
  std::mutex mutex_;
  std::map<std::string, Dialect> dialects_;
  std::map<std::string, std::unique_ptr<RevisionChecksums>> checksums_;
  std::mutex environment_mutex_;
  std::optional<EnvironmentFile> environment_;
};

const char* level_name(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "log";
}

// Where the targets' log lines meet: each is kept in its target's result
// and, without live lines, passed on at once as "NAME: level: message" to
// the fleet Config's sink, else stderr, one line at a time.
class FleetLog {
 public:
  FleetLog(LogSink fleet_sink, bool forward) : sink_(std::move(fleet_sink)), forward_(forward) {}

  LogSink for_target(TargetResult& result) {
    return [this, &result](LogLevel level, std::string_view message) {
      std::string line = fmt::format("{}: {}", level_name(level), message);
      std::lock_guard<std::mutex> lock(mutex_);
      result.log.push_back(line);
      if (!forward_) return;
      if (sink_) {
        sink_(level, fmt::format("{}: {}", result.name, message));
      } else {
        std::cerr << result.name << ": " << line << "\n";
      }
    };
  }

 private:
  std::mutex mutex_;
  LogSink sink_;
  bool forward_;
};

// The version rows after the steps that completed, from the rows before.
std::vector<std::string> rows_after(std::vector<std::string> rows,
                                    const std::vector<StepOutcome>& outcomes) {
  for (const StepOutcome& o : outcomes) {
    if (o.failed) break;
    std::erase_if(rows, [&](const std::string& id) {
      return std::find(o.from_heads.begin(), o.from_heads.end(), id) != o.from_heads.end();
    });
    for (const std::string& id : o.to_heads) {
      if (std::find(rows.begin(), rows.end(), id) == rows.end()) rows.push_back(id);
    }
  }
  return rows;
}

bool interrupted(const FleetOptions& fleet, const Error& err) {
  return err && fleet.stop != nullptr && fleet.stop->load() &&
         err.message().rfind("interrupted before", 0) == 0;
}

// The target's database compared with the model, as `retort check` does:
// the drift in its output and its result, and exit 6.
Error check_drift(const Config& cfg, const detail::Database& db, const autogenerate::Schema& model,
                  TargetResult& result) {
  auto drift = detail::drift_from(cfg, db, model);
  if (!drift) return drift.take_error();
  if (drift->empty()) return Error::success();
  for (const std::string& d : *drift) cfg.output() << "drift: " << d << "\n";
  result.drift = std::move(*drift);
  return detail::drift_error(result.drift.size());
}

// One target's run, through the single-target code.
// check: the target's database against `model` too, when one is declared.
void run_target(const Request& request, const RevisionMap& map, const autogenerate::Schema* model,
                Config cfg, SharedLoads& shared, FleetLog& fleet_log, const FleetOptions& fleet,
                TargetResult& result, const fleet::StatusFn& status) {
  const auto started = std::chrono::steady_clock::now();
  std::ostringstream output;
  cfg.set_output(output);
  cfg.set_output_buffer(output);
  // The lock's waiting line also shows in the target's live line.
  cfg.set_log_sink(
      [sink = fleet_log.for_target(result), &status](LogLevel level, std::string_view message) {
        if (message.rfind("waiting for the migration lock", 0) == 0) {
          status("waiting for the migration lock");
        }
        sink(level, message);
      });
  CommandScope scope(cfg);  // this thread's log goes to the target's sink
  std::vector<StepOutcome> outcomes;
  detail::TargetRun run;
  run.from = &result.from;
  run.hooks.stop = fleet.stop;
  run.hooks.on_step = [&status](size_t index, size_t total, const MigrationStep& step) {
    status(fmt::format("running revision {} of {}{}", index + 1, total,
                       step.revision != nullptr ? " (" + step.revision->id + ")" : std::string()));
  };
  Error err;
  auto settings = shared.environment(cfg, request.environment());
  auto db = settings ? shared.database(cfg, std::move(*settings))
                     : Expected<detail::Database>(settings.take_error());
  if (!db) {
    err = db.take_error();
  } else {
    result.url = db->url.shown();
    const bool needs_checksums =
        !request.sql() && (request.kind == Kind::kUpgrade || request.kind == Kind::kDowngrade ||
                           request.kind == Kind::kCheck);
    if (needs_checksums) run.checksums = shared.checksums(db->dialect, map);
    switch (request.kind) {
      case Kind::kUpgrade:
      case Kind::kDowngrade:
        err = detail::run_revisions(cfg, map, *db, request.range, request.run,
                                    request.kind == Kind::kUpgrade, &outcomes, run);
        break;
      case Kind::kStamp:
        err = detail::stamp_revisions(cfg, map, *db, request.stamp, request.stamp_options,
                                      &outcomes, run);
        break;
      case Kind::kCurrent: {
        auto rows = detail::database_heads(cfg, map, *db);
        if (rows) {
          result.from = *rows;
        } else {
          err = rows.take_error();
        }
        break;
      }
      case Kind::kCheck: {
        std::string table;
        AppliedCheck check;
        err = detail::check_database(cfg, map, *db, {}, table, check, run);
        if (!err && model != nullptr) err = check_drift(cfg, *db, *model, result);
        break;
      }
    }
  }
  if (result.from) result.to = rows_after(*result.from, outcomes);
  result.steps = static_cast<size_t>(std::count_if(outcomes.begin(), outcomes.end(),
                                                   [](const StepOutcome& o) { return !o.failed; }));
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  result.output = output.str();
  const bool runs_steps = request.kind != Kind::kCurrent && request.kind != Kind::kCheck;
  if (interrupted(fleet, err)) {
    result.outcome = TargetOutcome::kInterrupted;
  } else if (err.category() == ErrorCategory::kDrift) {
    result.outcome = TargetOutcome::kDrifted;
  } else if (err) {
    result.outcome = TargetOutcome::kFailed;
  } else if (runs_steps && result.steps == 0 && !request.sql()) {
    result.outcome = TargetOutcome::kNothingToDo;
  } else {
    result.outcome = TargetOutcome::kDone;
  }
  result.error = std::move(err);
}

Expected<FleetReport> run_fleet_command(const Config& cfg, const std::vector<FleetTarget>& targets,
                                        const Request& request, FleetOptions fleet) {
  CommandScope scope(cfg);
  if (fleet.jobs < 1) {
    return Error(ErrorCategory::kUsage, fmt::format("-j {} is not a number of jobs", fleet.jobs),
                 "give -j 1 or more");
  }
  // Every target's Config first: a missing section stops the fleet before
  // anything runs.
  std::vector<Config> configs;
  std::vector<TargetResult> results;
  for (const FleetTarget& t : targets) {
    std::string url;
    auto tcfg = target_config(cfg, t, url);
    if (!tcfg) return tcfg.take_error();
    configs.push_back(std::move(*tcfg));
    TargetResult r;
    r.name = t.name;
    r.url = redact(url);
    results.push_back(std::move(r));
  }
  // The scripts, once for the fleet; compiler progress goes to the log.
  const bool runs_revisions = request.kind == Kind::kUpgrade || request.kind == Kind::kDowngrade ||
                              request.kind == Kind::kCheck;
  auto env = runs_revisions
                 ? detail::load_environment(cfg, progress_stream(), {request.run.allow_stale})
                 : detail::read_environment(cfg);
  if (!env) return env.take_error();
  // Each target runs the environment, with its own URL: what it sets (the
  // version table, above all) applies to every target.
  auto environment = command_environment(env->scripts.dir());
  if (!environment) return environment.take_error();
  // check: the model, when one is declared, loaded once for every target.
  std::optional<autogenerate::Schema> model;
  if (request.kind == Kind::kCheck) {
    auto declared = detail::declared_model(cfg);
    if (!declared) return declared.take_error();
    model = std::move(*declared);
  }
  // An offline script renders through the dialect's one instance, whose
  // model of the tables spans a script (SQLite's): one target at a time.
  if (request.sql()) {
    fleet.jobs = 1;
    fleet.live = nullptr;
  }
  SharedLoads shared(std::move(*environment));
  FleetLog fleet_log(cfg.log_sink(), /*forward=*/fleet.live == nullptr);
  FleetReport report;
  report.command = kind_name(request.kind);
  report.targets =
      fleet::run_fleet(std::move(results), fleet,
                       [&](size_t i, TargetResult& result, const fleet::StatusFn& status) {
                         run_target(request, env->map, model ? &*model : nullptr, configs[i],
                                    shared, fleet_log, fleet, result, status);
                       });
  return report;
}

}  // namespace

Expected<FleetReport> upgrade_targets(const Config& cfg, const std::vector<FleetTarget>& targets,
                                      const std::string& revision, const RunOptions& options,
                                      const FleetOptions& fleet) {
  Request request;
  request.kind = Kind::kUpgrade;
  auto range = detail::parse_range(revision, options.sql, /*upgrade=*/true);
  if (!range) return range.take_error();
  request.range = std::move(*range);
  request.run = options;
  request.run.json = false;  // the fleet's report is the document
  return run_fleet_command(cfg, targets, request, fleet);
}

Expected<FleetReport> downgrade_targets(const Config& cfg, const std::vector<FleetTarget>& targets,
                                        const std::string& revision, const RunOptions& options,
                                        const FleetOptions& fleet) {
  Request request;
  request.kind = Kind::kDowngrade;
  auto range = detail::parse_range(revision, options.sql, /*upgrade=*/false);
  if (!range) return range.take_error();
  request.range = std::move(*range);
  request.run = options;
  request.run.json = false;
  return run_fleet_command(cfg, targets, request, fleet);
}

Expected<FleetReport> stamp_targets(const Config& cfg, const std::vector<FleetTarget>& targets,
                                    const std::vector<std::string>& revisions,
                                    const StampOptions& options, const FleetOptions& fleet) {
  Request request;
  request.kind = Kind::kStamp;
  auto stamp = detail::parse_stamp(revisions, options);
  if (!stamp) return stamp.take_error();
  request.stamp = std::move(*stamp);
  request.stamp_options = options;
  request.stamp_options.json = false;
  return run_fleet_command(cfg, targets, request, fleet);
}

Expected<FleetReport> current_targets(const Config& cfg, const std::vector<FleetTarget>& targets,
                                      const FleetOptions& fleet) {
  Request request;
  request.kind = Kind::kCurrent;
  return run_fleet_command(cfg, targets, request, fleet);
}

Expected<FleetReport> check_targets(const Config& cfg, const std::vector<FleetTarget>& targets,
                                    const FleetOptions& fleet) {
  Request request;
  request.kind = Kind::kCheck;
  return run_fleet_command(cfg, targets, request, fleet);
}

}  // namespace retort::command
