#include "commands.hpp"

#include <retort/command.hpp>
#include <retort/fleet.hpp>

#include <fmt/format.h>
#include <boost/program_options.hpp>

#include <atomic>
#include <csignal>
#include <functional>
#include <iostream>
#include <map>
#include <optional>

#include <unistd.h>

namespace po = boost::program_options;

namespace retort::cli {
namespace {

// Prints an error, if there is one; returns the exit code.
int report(const Error& err) {
  if (!err) return kExitOk;
  std::cerr << "error: " << err.message() << "\n";
  if (!err.hint().empty()) std::cerr << "hint: " << err.hint() << "\n";
  return exit_code(err);
}

template <typename T>
int report(const Expected<T>& result) {
  return result ? kExitOk : report(result.error());
}

// "-1" is a revision, not an option: relative targets go after "--".
std::vector<std::string> relative_targets_last(const std::vector<std::string>& args) {
  std::vector<std::string> ordered, relative;
  for (const std::string& a : args) {
    bool is_relative =
        a.size() > 1 && a[0] == '-' && a.find_first_not_of("0123456789", 1) == std::string::npos;
    (is_relative ? relative : ordered).push_back(a);
  }
  if (!relative.empty()) {
    ordered.push_back("--");
    ordered.insert(ordered.end(), relative.begin(), relative.end());
  }
  return ordered;
}

class Parser {
 public:
  explicit Parser(const std::vector<std::string>& args) : args_(args), options_("options") {}

  po::options_description_easy_init add() { return options_.add_options(); }
  Parser& positional(const char* name, int count) {
    positional_.add(name, count);
    return *this;
  }
  po::variables_map parse() {
    po::variables_map vm;
    po::store(po::command_line_parser(relative_targets_last(args_))
                  .options(options_)
                  .positional(positional_)
                  .run(),
              vm);
    po::notify(vm);
    return vm;
  }

 private:
  std::vector<std::string> args_;
  po::options_description options_;
  po::positional_options_description positional_;
};

using Strings = std::vector<std::string>;
template <typename T>
T get(const po::variables_map& vm, const char* key, T fallback = {}) {
  return vm.count(key) ? vm[key].as<T>() : fallback;
}

// --targets FILE [-j N] [--fail-fast] [--shard K/M]: the command runs over a
// fleet of databases (retort/fleet.hpp).
void add_fleet_options(Parser& p) {
  p.add()("targets", po::value<std::string>(), "")("jobs,j", po::value<int>(), "")(
      "fail-fast", po::bool_switch(), "")("shard", po::value<std::string>(), "");
}

std::atomic<bool> g_stop{false};

// The first SIGINT or SIGTERM stops starting targets; a second one kills.
extern "C" void stop_fleet(int signal) {
  g_stop = true;
  std::signal(signal, SIG_DFL);
}

struct Fleet {
  std::vector<FleetTarget> targets;
  FleetOptions options;
};

// The fleet the arguments name, or none without --targets; an error when
// the targets file is bad.
Expected<std::optional<Fleet>> fleet_from(const po::variables_map& vm) {
  if (!vm.count("targets")) {
    if (vm.count("jobs") || vm.count("shard") || get<bool>(vm, "fail-fast")) {
      throw UsageError{"-j, --shard and --fail-fast are for a fleet run: add --targets FILE"};
    }
    return std::optional<Fleet>();
  }
  Fleet fleet;
  auto targets = read_targets(get<std::string>(vm, "targets"));
  if (!targets) return targets.take_error();
  fleet.targets = std::move(*targets);
  if (vm.count("shard")) {
    auto shard = parse_shard(get<std::string>(vm, "shard"));
    if (!shard) throw UsageError{shard.error().message()};
    fleet.targets = select_shard(fleet.targets, *shard);
  }
  fleet.options.jobs = get<int>(vm, "jobs", 1);
  fleet.options.fail_fast = get<bool>(vm, "fail-fast");
  if (isatty(STDERR_FILENO)) fleet.options.live = &std::cerr;
  fleet.options.stop = &g_stop;
  std::signal(SIGINT, stop_fleet);
  std::signal(SIGTERM, stop_fleet);
  return std::optional<Fleet>(std::move(fleet));
}

// Prints a fleet's report: the JSON document, or each target's script
// (--sql) and then the table on stderr, or the table.
int report(const Expected<FleetReport>& result, const Config& cfg, bool json, bool sql) {
  if (!result) return report(result.error());
  // Under live lines the targets' log lines waited for the end.
  if (isatty(STDERR_FILENO) && !sql) {
    for (const TargetResult& t : result->targets) {
      for (const std::string& line : t.log) std::cerr << t.name << ": " << line << "\n";
    }
  }
  if (json) {
    write_fleet_json(cfg.output(), *result);
    return result->exit_code();
  }
  if (sql) {
    for (const TargetResult& t : result->targets) {
      if (t.output.empty()) continue;
      cfg.output() << "-- target: " << t.name << "\n\n" << t.output;
    }
    write_fleet_table(std::cerr, *result);
    return result->exit_code();
  }
  write_fleet_table(cfg.output(), *result);
  return result->exit_code();
}

int init(const Strings& args, Config& cfg) {
  Parser p(args);
  p.add()("directory", po::value<std::string>()->required(), "")(
      "template,t", po::value<std::string>()->default_value("generic"), "");
  auto vm = p.positional("directory", 1).parse();
  return report(
      command::init(cfg, get<std::string>(vm, "directory"), get<std::string>(vm, "template")));
}

int revision(const Strings& args, Config& cfg) {
  Parser p(args);
  p.add()("message,m", po::value<std::string>(), "")("rev-id", po::value<std::string>(), "")(
      "head", po::value<std::string>(), "")("splice", po::bool_switch(), "")(
      "branch-label", po::value<Strings>(), "")("depends-on", po::value<Strings>(), "")(
      "version-path", po::value<std::string>(), "")("autogenerate", po::bool_switch(), "");
  auto vm = p.parse();
  command::RevisionOptions o;
  o.message = get<std::string>(vm, "message");
  o.rev_id = get<std::string>(vm, "rev-id");
  o.head = get<std::string>(vm, "head", "head");
  o.splice = get<bool>(vm, "splice");
  o.branch_labels = get<Strings>(vm, "branch-label");
  o.depends_on = get<Strings>(vm, "depends-on");
  o.version_path = get<std::string>(vm, "version-path");
  o.autogenerate = get<bool>(vm, "autogenerate");
  return report(command::revision(cfg, o));
}

int merge(const Strings& args, Config& cfg) {
  Parser p(args);
  p.add()("revisions", po::value<Strings>()->required(), "")(
      "message,m", po::value<std::string>(), "")("rev-id", po::value<std::string>(), "")(
      "branch-label", po::value<Strings>(), "");
  auto vm = p.positional("revisions", -1).parse();
  command::MergeOptions o{get<std::string>(vm, "message"), get<std::string>(vm, "rev-id"),
                          get<Strings>(vm, "branch-label")};
  return report(command::merge(cfg, get<Strings>(vm, "revisions"), o));
}

int upgrade_or_downgrade(const Strings& args, Config& cfg, bool upgrade) {
  Parser p(args);
  p.add()("revision", po::value<std::string>()->required(), "")("sql", po::bool_switch(), "")(
      "json", po::bool_switch(), "")(
      "lock-timeout", po::value<double>()->default_value(command::kDefaultLockTimeoutSeconds), "")(
      "lock", po::bool_switch(), "")("ignore-checksums", po::bool_switch(), "")(
      "allow-stale", po::bool_switch(), "")("tag", po::value<std::string>(), "");
  add_fleet_options(p);
  auto vm = p.positional("revision", 1).parse();
  command::RunOptions o{.sql = get<bool>(vm, "sql"),
                        .json = get<bool>(vm, "json"),
                        .lock_timeout_seconds = get<double>(vm, "lock-timeout"),
                        .script_lock = get<bool>(vm, "lock"),
                        .ignore_checksums = get<bool>(vm, "ignore-checksums"),
                        .allow_stale = get<bool>(vm, "allow-stale"),
                        .tag = get<std::string>(vm, "tag")};
  if (o.script_lock && !o.sql)
    throw UsageError{"--lock is for --sql scripts; online the lock is always taken"};
  const std::string target = get<std::string>(vm, "revision");
  auto fleet = fleet_from(vm);
  if (!fleet) return report(fleet.error());
  if (*fleet) {
    if (o.json && o.sql) throw UsageError{"--json cannot be combined with --sql"};
    return report(
        upgrade ? command::upgrade_targets(cfg, (*fleet)->targets, target, o, (*fleet)->options)
                : command::downgrade_targets(cfg, (*fleet)->targets, target, o, (*fleet)->options),
        cfg, o.json, o.sql);
  }
  return report(upgrade ? command::upgrade(cfg, target, o) : command::downgrade(cfg, target, o));
}

int stamp(const Strings& args, Config& cfg) {
  Parser p(args);
  p.add()("revisions", po::value<Strings>()->required(), "")("sql", po::bool_switch(), "")(
      "purge", po::bool_switch(), "")("json", po::bool_switch(), "")(
      "lock-timeout", po::value<double>()->default_value(command::kDefaultLockTimeoutSeconds), "")(
      "lock", po::bool_switch(), "")("tag", po::value<std::string>(), "");
  add_fleet_options(p);
  auto vm = p.positional("revisions", -1).parse();
  command::StampOptions o{.sql = get<bool>(vm, "sql"),
                          .purge = get<bool>(vm, "purge"),
                          .json = get<bool>(vm, "json"),
                          .lock_timeout_seconds = get<double>(vm, "lock-timeout"),
                          .script_lock = get<bool>(vm, "lock"),
                          .tag = get<std::string>(vm, "tag")};
  if (o.script_lock && !o.sql)
    throw UsageError{"--lock is for --sql scripts; online the lock is always taken"};
  auto fleet = fleet_from(vm);
  if (!fleet) return report(fleet.error());
  if (*fleet) {
    if (o.json && o.sql) throw UsageError{"--json cannot be combined with --sql"};
    return report(command::stamp_targets(cfg, (*fleet)->targets, get<Strings>(vm, "revisions"), o,
                                         (*fleet)->options),
                  cfg, o.json, o.sql);
  }
  return report(command::stamp(cfg, get<Strings>(vm, "revisions"), o));
}

int current(const Strings& args, Config& cfg) {
  Parser p(args);
  p.add()("verbose,v", po::bool_switch(), "")("check-heads", po::bool_switch(), "")(
      "json", po::bool_switch(), "");
  add_fleet_options(p);
  auto vm = p.parse();
  auto fleet = fleet_from(vm);
  if (!fleet) return report(fleet.error());
  if (*fleet) {
    return report(command::current_targets(cfg, (*fleet)->targets, (*fleet)->options), cfg,
                  get<bool>(vm, "json"), false);
  }
  return report(command::current(cfg, {.verbose = get<bool>(vm, "verbose"),
                                       .check_heads = get<bool>(vm, "check-heads"),
                                       .json = get<bool>(vm, "json")}));
}

int history(const Strings& args, Config& cfg) {
  Parser p(args);
  p.add()("rev-range,r", po::value<std::string>(), "")("verbose,v", po::bool_switch(), "")(
      "indicate-current,i", po::bool_switch(), "")("json", po::bool_switch(), "");
  auto vm = p.parse();
  return report(command::history(cfg, {.range = get<std::string>(vm, "rev-range"),
                                       .verbose = get<bool>(vm, "verbose"),
                                       .indicate_current = get<bool>(vm, "indicate-current"),
                                       .json = get<bool>(vm, "json")}));
}

int check(const Strings& args, Config& cfg) {
  Parser p(args);
  p.add()("json", po::bool_switch(), "");
  add_fleet_options(p);
  auto vm = p.parse();
  auto fleet = fleet_from(vm);
  if (!fleet) return report(fleet.error());
  if (*fleet) {
    return report(command::check_targets(cfg, (*fleet)->targets, (*fleet)->options), cfg,
                  get<bool>(vm, "json"), false);
  }
  return report(command::check(cfg, {.json = get<bool>(vm, "json")}));
}

int log(const Strings& args, Config& cfg) {
  Parser p(args);
  p.add()("json", po::bool_switch(), "");
  auto vm = p.parse();
  return report(command::log(cfg, {.json = get<bool>(vm, "json")}));
}

int resolve(const Strings& args, Config& cfg) {
  Parser p(args);
  p.add()("revision", po::value<std::string>()->required(), "")("applied", po::bool_switch(), "")(
      "rolled-back", po::bool_switch(), "")(
      "lock-timeout", po::value<double>()->default_value(command::kDefaultLockTimeoutSeconds), "");
  auto vm = p.positional("revision", 1).parse();
  const bool applied = get<bool>(vm, "applied");
  if (applied == get<bool>(vm, "rolled-back")) {
    throw UsageError{
        "resolve needs one of --applied (finished by hand) or --rolled-back (undone by hand)"};
  }
  return report(command::resolve(
      cfg, get<std::string>(vm, "revision"),
      {.applied = applied, .lock_timeout_seconds = get<double>(vm, "lock-timeout")}));
}

int heads(const Strings& args, Config& cfg) {
  Parser p(args);
  p.add()("verbose,v", po::bool_switch(), "")("resolve-dependencies", po::bool_switch(), "")(
      "json", po::bool_switch(), "");
  auto vm = p.parse();
  return report(command::heads(cfg, {.verbose = get<bool>(vm, "verbose"),
                                     .resolve_dependencies = get<bool>(vm, "resolve-dependencies"),
                                     .json = get<bool>(vm, "json")}));
}

int branches(const Strings& args, Config& cfg) {
  Parser p(args);
  p.add()("verbose,v", po::bool_switch(), "");
  auto vm = p.parse();
  return report(command::branches(cfg, get<bool>(vm, "verbose")));
}

int show(const Strings& args, Config& cfg) {
  Parser p(args);
  p.add()("rev", po::value<std::string>()->required(), "");
  auto vm = p.positional("rev", 1).parse();
  return report(command::show(cfg, get<std::string>(vm, "rev")));
}

int build(const Strings& args, Config& cfg) {
  Parser p(args);
  p.add()("deploy", po::value<std::string>(), "");
  auto vm = p.parse();
  return report(command::build(cfg, {.deploy_dir = get<std::string>(vm, "deploy")}));
}

int without_arguments(const Strings& args, Config& cfg, Error (*fn)(const Config&)) {
  Parser(args).parse();
  return report(fn(cfg));
}

}  // namespace

int run_command(const std::string& command, const std::vector<std::string>& args, Config& cfg) {
  using Handler = std::function<int(const Strings&, Config&)>;
  static const std::map<std::string, Handler> handlers = {
      {"init", init},
      {"list_templates",
       [](const Strings& a, Config& c) {
         return without_arguments(a, c, command::list_templates);
       }},
      {"list_dialects",
       [](const Strings& a, Config& c) { return without_arguments(a, c, command::list_dialects); }},
      {"revision", revision},
      {"merge", merge},
      {"build", build},
      {"upgrade", [](const Strings& a, Config& c) { return upgrade_or_downgrade(a, c, true); }},
      {"downgrade", [](const Strings& a, Config& c) { return upgrade_or_downgrade(a, c, false); }},
      {"stamp", stamp},
      {"current", current},
      {"check", check},
      {"log", log},
      {"resolve", resolve},
      {"history", history},
      {"heads", heads},
      {"branches", branches},
      {"show", show},
  };
  auto it = handlers.find(command);
  if (it == handlers.end()) throw UsageError{fmt::format("unknown command '{}'", command)};
  try {
    return it->second(args, cfg);
  } catch (const po::required_option& e) {
    // Boost names the positional argument as if it were an option.
    std::string name = e.get_option_name();
    name.erase(0, name.find_first_not_of('-'));
    throw UsageError{fmt::format("'{}' needs its <{}> argument", command, name)};
  }
}

}  // namespace retort::cli
