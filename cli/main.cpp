// The retort command: parses arguments, calls retort::command, prints errors.
//
//   retort [-c FILE] [-n SECTION] [-x KEY=VALUE]... [-q] [--log-level L] COMMAND [ARGS]
#include "commands.hpp"

#include <retort/config.hpp>
#include <retort/exit_codes.hpp>
#include <retort/log.hpp>
#include <retort/shorten.hpp>
#include <retort/url.hpp>
#include <retort/version.hpp>

#include <fmt/format.h>
#include <boost/program_options.hpp>

#include <cstdio>
#include <exception>
#include <iostream>
#include <new>
#include <optional>
#include <string>
#include <vector>

namespace po = boost::program_options;
using namespace retort::cli;
using retort::kExitFailure;
using retort::kExitOk;
using retort::kExitUsage;

namespace {

const char* const kUsage =
    R"(usage: retort [-c FILE] [-n SECTION] [-x KEY=VALUE]... [-q] [--log-level L] COMMAND [ARGS]

commands:
  init DIR [-t TEMPLATE]        create a migration environment and retort.ini
  list_templates                list the environment templates
  list_dialects                 list the dialect plugins of the search path, and files
                                that could not be loaded
  revision -m MSG [--rev-id ID] [--head REV] [--splice] [--branch-label L]...
           [--depends-on REV]... [--version-path DIR] [--autogenerate]
                                write a new revision source
  merge REV... [-m MSG] [--rev-id ID] [--branch-label L]...
                                write a revision that merges REVs (e.g. heads)
  build [--deploy DIR]          compile revision sources whose module is stale; with
                                --deploy, also write a prebuilt deploy (modules + manifest)
  upgrade TARGET [--sql [--lock] | --json] [--lock-timeout S] [--ignore-checksums] [--allow-stale]
                 [--tag TAG]    upgrade to TARGET: head, heads, an id, label@head, +N, rev+N;
                                [start:]end with --sql
  downgrade TARGET [--sql [--lock] | --json] [--lock-timeout S] [--ignore-checksums] [--allow-stale]
                   [--tag TAG]  downgrade to TARGET: base, an id, label@base, -N, rev-N;
                                start:end with --sql
  stamp REV... [--sql [--lock] | --json] [--purge] [--lock-timeout S] [--tag TAG]
                                set the version table without running revisions
  check [--json]                compare applied revisions with the scripts (checksums,
                                missing revisions, steps that stopped partway)
  log [--json]                  show the history table: what each run did
  resolve REV (--applied | --rolled-back) [--lock-timeout S]
                                record that a step that stopped partway was finished
                                or undone by hand
  current [-v] [--check-heads] [--json]
                                show the database's current revision(s)
  history [-r START:END] [-v] [-i] [--json]
                                list revisions, newest first
  heads [-v] [--resolve-dependencies] [--json]
                                show the head revisions
  branches [-v]                 show the branch points
  show REV                      show a revision in full

fleet runs (upgrade, downgrade, stamp, current, check):
  --targets FILE                run over every database FILE lists ('-': stdin): a URL,
                                NAME = URL, or an ini section name, one a line
  -j, --jobs N                  targets at once (default 1)
  --fail-fast                   start no target after one fails
  --shard K/M                   only every M-th target, starting with the K-th

options:
  -c, --config FILE    the ini file (default: $RETORT_CONFIG, else retort.ini)
  -n, --name SECTION   the ini section to read (default: retort)
  -x KEY=VALUE         an argument for the environment (repeatable); -x url=URL
                       replaces the url option; keys nothing read are warned of
  -q, --quiet          no progress or informational output on stderr; errors
                       still print (the same as --log-level warning)
  --log-level LEVEL    debug, info, warning or error (default: info)
  -h, --help           this text
  --version            the version
)";

// An exception no command turned into an Error: one line, never terminate().
int internal_error(const char* what) noexcept {
  try {
    const std::string text = retort::shorten(what);
    std::fprintf(stderr,
                 "error: internal error: %s\nhint: this is a bug in retort; please report it\n",
                 text.c_str());
  } catch (...) {
    std::fputs("error: out of memory\n", stderr);
  }
  return kExitFailure;
}

}  // namespace

int main(int argc, char** argv) {
  po::options_description global("global options");
  global.add_options()("help,h", "help")("version", "version")("config,c", po::value<std::string>(),
                                                               "ini file")(
      "name,n", po::value<std::string>()->default_value("retort"), "section")(
      "x-argument,x", po::value<std::vector<std::string>>()->composing(), "KEY=VALUE")(
      "quiet,q", "quiet")("log-level", po::value<std::string>(), "level")(
      "command", po::value<std::string>(), "command")("args", po::value<std::vector<std::string>>(),
                                                      "arguments");
  po::positional_options_description positional;
  positional.add("command", 1).add("args", -1);

  try {
    po::parsed_options parsed = po::command_line_parser(argc, argv)
                                    .options(global)
                                    .positional(positional)
                                    .allow_unregistered()
                                    .run();
    po::variables_map vm;
    po::store(parsed, vm);
    if (vm.count("help")) {
      std::cout << kUsage;
      return kExitOk;
    }
    if (vm.count("version")) {
      std::cout << "retort " << retort::version() << "\n";
      return kExitOk;
    }
    // Before the command: `-x current` takes the command as its argument.
    std::vector<std::pair<std::string, std::string>> x_args;
    if (vm.count("x-argument")) {
      for (const std::string& kv : vm["x-argument"].as<std::vector<std::string>>()) {
        auto eq = kv.find('=');
        if (eq == std::string::npos || eq == 0) {
          throw UsageError{
              fmt::format("-x '{}' has no value; write -x KEY=VALUE before the command, e.g. -x "
                          "url=sqlite:///other.db",
                          retort::shorten(retort::redact(kv)))};
        }
        x_args.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
      }
    }
    if (!vm.count("command")) {
      std::cerr << kUsage;
      return kExitUsage;
    }
    if (vm.count("quiet")) retort::set_log_level(retort::LogLevel::kWarning);
    if (vm.count("log-level")) {
      const std::string name = vm["log-level"].as<std::string>();
      std::optional<retort::LogLevel> level = retort::parse_log_level(name);
      if (!level) {
        throw UsageError{"unknown log level '" + name + "'; use debug, info, warning or error"};
      }
      retort::set_log_level(*level);
    }
    const std::string command = vm["command"].as<std::string>();
    // Everything after the command belongs to it, options included.
    std::vector<std::string> args =
        po::collect_unrecognized(parsed.options, po::include_positional);
    args.erase(args.begin());

    const std::string file =
        vm.count("config") ? vm["config"].as<std::string>() : retort::default_config_file();
    retort::Config cfg(file, vm["name"].as<std::string>());
    // -q and levels above info also leave out the "Running ..." lines.
    cfg.set_quiet(!retort::log_enabled(retort::LogLevel::kInfo));
    for (const auto& [key, value] : x_args) cfg.set_x_argument(key, value);
    const int status = run_command(command, args, cfg);
    // After a command that succeeded, the -x keys nothing read: typos, or
    // an idiom from Alembic's env.py that retort does not follow.
    if (status == kExitOk) {
      std::vector<std::string> unread = cfg.unread_x_arguments();
      for (std::string& key : unread) key = "'" + retort::shorten(key) + "'";
      if (!unread.empty()) {
        retort::log(retort::LogLevel::kWarning,
                    fmt::format("-x argument{} {} {} not used: retort reads only -x url, which "
                                "replaces the url option",
                                unread.size() == 1 ? "" : "s", fmt::join(unread, ", "),
                                unread.size() == 1 ? "was" : "were"));
      }
    }
    return status;
  } catch (const UsageError& e) {
    std::cerr << "error: " << e.message << "\nhint: run 'retort --help' for usage\n";
    return kExitUsage;
  } catch (const po::error& e) {
    std::cerr << "error: " << e.what() << "\nhint: run 'retort --help' for usage\n";
    return kExitUsage;
  } catch (const std::bad_alloc&) {
    // Nothing left to build a message with: write what needs no memory.
    std::fputs("error: out of memory\n", stderr);
    return kExitFailure;
  } catch (const std::exception& e) {
    return internal_error(e.what());
  } catch (...) {
    return internal_error("an unknown exception");
  }
}
