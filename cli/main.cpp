// The retort command: parses arguments, calls retort::command, prints errors.
//
//   retort [-c FILE] [-n SECTION] [-x KEY=VALUE]... COMMAND [ARGS]
#include <retort/command.hpp>
#include <retort/config.hpp>
#include <retort/version.hpp>

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <vector>

namespace po = boost::program_options;

namespace {

// Exit codes.
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;  // the command ran and failed
constexpr int kExitUsage = 2;    // bad arguments

const char* const kUsage = R"(usage: retort [-c FILE] [-n SECTION] [-x KEY=VALUE]... COMMAND [ARGS]

commands:
  init DIR [-t TEMPLATE]        create a migration environment and retort.ini
  list_templates                list the environment templates
  revision -m MSG [--rev-id ID] write a new revision source
  build                         compile revision sources whose module is stale
  upgrade TARGET [--sql]        upgrade to TARGET (head, an id, +N, rev+N; start:end with --sql)
  downgrade TARGET [--sql]      downgrade to TARGET (base, an id, -N, rev-N; start:end with --sql)
  current [-v]                  show the database's current revision
  history [-v]                  list revisions, newest first
  heads [-v]                    show the head revisions

options:
  -c, --config FILE    the ini file (default: $RETORT_CONFIG, else retort.ini)
  -n, --name SECTION   the ini section to read (default: retort)
  -x KEY=VALUE         an argument for the environment (repeatable)
  -h, --help           this text
  --version            the version
)";

struct UsageError {
  std::string message;
};

// Prints an error, if there is one; returns the exit code.
int print_error(const retort::Error& err) {
  if (!err) return kExitOk;
  std::cerr << "error: " << err.message() << "\n";
  if (!err.hint().empty()) std::cerr << "hint: " << err.hint() << "\n";
  return err.category() == retort::ErrorCategory::kUsage ? kExitUsage : kExitFailure;
}

// Parses one command's own arguments.
po::variables_map parse_command(const std::vector<std::string>& args,
                                 const po::options_description& options,
                                 const po::positional_options_description& positional = {}) {
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
  po::notify(vm);
  return vm;
}

int run_command(const std::string& command, const std::vector<std::string>& args, retort::Config& cfg) {
  using namespace retort;
  po::options_description verbose("options");
  verbose.add_options()("verbose,v", po::bool_switch(), "show full entries");

  if (command == "init") {
    po::options_description o("options");
    o.add_options()("directory", po::value<std::string>()->required(), "directory")(
        "template,t", po::value<std::string>()->default_value("generic"), "template");
    po::positional_options_description p;
    p.add("directory", 1);
    auto vm = parse_command(args, o, p);
    return print_error(command::init(cfg, vm["directory"].as<std::string>(),
                                     vm["template"].as<std::string>()));
  }
  if (command == "list_templates") {
    parse_command(args, po::options_description());
    return print_error(command::list_templates(cfg));
  }
  if (command == "revision") {
    po::options_description o("options");
    o.add_options()("message,m", po::value<std::string>()->default_value(""), "message")(
        "rev-id", po::value<std::string>()->default_value(""), "revision id");
    auto vm = parse_command(args, o);
    auto path = command::revision(
        cfg, {vm["message"].as<std::string>(), vm["rev-id"].as<std::string>()});
    return path ? kExitOk : print_error(path.error());
  }
  if (command == "build") {
    parse_command(args, po::options_description());
    return print_error(command::build(cfg));
  }
  if (command == "upgrade" || command == "downgrade") {
    po::options_description o("options");
    o.add_options()("revision", po::value<std::string>()->required(), "target")(
        "sql", po::bool_switch(), "print the SQL script instead of running it");
    po::positional_options_description p;
    p.add("revision", 1);
    // "-1" is a target, not an option: put relative targets after "--".
    std::vector<std::string> ordered;
    std::vector<std::string> relative;
    for (const std::string& a : args) {
      bool is_relative = a.size() > 1 && a[0] == '-' && a.find_first_not_of("0123456789", 1) == std::string::npos;
      (is_relative ? relative : ordered).push_back(a);
    }
    if (!relative.empty()) {
      ordered.push_back("--");
      ordered.insert(ordered.end(), relative.begin(), relative.end());
    }
    auto vm = parse_command(ordered, o, p);
    command::RunOptions options;
    options.sql = vm["sql"].as<bool>();
    const std::string& target = vm["revision"].as<std::string>();
    return print_error(command == "upgrade" ? command::upgrade(cfg, target, options)
                                            : command::downgrade(cfg, target, options));
  }
  using Inspect = Error (*)(const Config&, bool);
  const std::map<std::string, Inspect> inspect = {
      {"current", &command::current}, {"history", &command::history}, {"heads", &command::heads}};
  if (auto it = inspect.find(command); it != inspect.end()) {
    auto vm = parse_command(args, verbose);
    return print_error(it->second(cfg, vm["verbose"].as<bool>()));
  }
  throw UsageError{fmt::format("unknown command '{}'", command)};
}

}  // namespace

int main(int argc, char** argv) {
  po::options_description global("global options");
  global.add_options()("help,h", "help")("version", "version")(
      "config,c", po::value<std::string>(), "ini file")(
      "name,n", po::value<std::string>()->default_value("retort"), "section")(
      "x-argument,x", po::value<std::vector<std::string>>()->composing(), "KEY=VALUE")(
      "command", po::value<std::string>(), "command")(
      "args", po::value<std::vector<std::string>>(), "arguments");
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
    if (!vm.count("command")) {
      std::cerr << kUsage;
      return kExitUsage;
    }
    const std::string command = vm["command"].as<std::string>();
    // Everything after the command belongs to it, options included.
    std::vector<std::string> args = po::collect_unrecognized(parsed.options, po::include_positional);
    args.erase(args.begin());

    const std::string file = vm.count("config") ? vm["config"].as<std::string>()
                                                : retort::default_config_file();
    retort::Config cfg(file, vm["name"].as<std::string>());
    if (vm.count("x-argument")) {
      for (const std::string& kv : vm["x-argument"].as<std::vector<std::string>>()) {
        auto eq = kv.find('=');
        cfg.set_x_argument(kv.substr(0, eq), eq == std::string::npos ? "" : kv.substr(eq + 1));
      }
    }
    return run_command(command, args, cfg);
  } catch (const UsageError& e) {
    std::cerr << "error: " << e.message << "\nhint: run 'retort --help' for the commands\n";
  } catch (const po::error& e) {
    std::cerr << "error: " << e.what() << "\nhint: run 'retort --help' for usage\n";
  }
  return kExitUsage;
}
