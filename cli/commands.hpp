// Each command's own arguments: parsed here, then handed to retort::command.
#ifndef RETORT_CLI_COMMANDS_HPP
#define RETORT_CLI_COMMANDS_HPP

#include <retort/config.hpp>
#include <retort/exit_codes.hpp>  // kExitOk, kExitFailure, kExitUsage, ...

#include <string>
#include <vector>

namespace retort::cli {

// Thrown for an unknown command; Boost.Program_options throws its own
// po::error for bad options.
struct UsageError {
  std::string message;
};

// Runs `command` with its arguments; returns the exit code.
int run_command(const std::string& command, const std::vector<std::string>& args, Config& cfg);

}  // namespace retort::cli

#endif  // RETORT_CLI_COMMANDS_HPP
