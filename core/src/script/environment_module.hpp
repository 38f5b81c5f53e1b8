// The environment module: env.cpp in script_location, Alembic's env.py
// compiled (sdk/include/retort/environment.hpp). It is compiled like the
// model when its module is missing or older, loaded, and its configure
// function run once per command that touches a database; what it decides
// is an EnvironmentSettings that the command's run then follows.
#ifndef RETORT_ENVIRONMENT_MODULE_HPP
#define RETORT_ENVIRONMENT_MODULE_HPP

#include <retort/config.hpp>
#include <retort/error.hpp>

#include "config/environment_settings.hpp"

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace retort {

// What the command tells the environment about itself.
struct EnvironmentRequest {
  bool offline = false;            // --sql
  std::optional<std::string> tag;  // --tag
};

// <script_location>/env.cpp, absolute, when it exists and declares an
// environment; nullopt when not. As revisions are read from their text, the
// file is not compiled to tell: it declares one when RETORT_ENVIRONMENT
// stands in it outside comments and literals (the generic template's has
// it commented out until the environment is wanted).
std::optional<std::string> find_environment(const std::string& script_location);

// The environment a command runs: env.cpp, compiled when its module is
// missing or older, or in a prebuilt deploy the env.so its manifest names,
// loaded as it is.
struct EnvironmentFile {
  std::string path;
  bool prebuilt = false;  // a deploy's env.so
};
// find_environment's env.cpp, else, when `script_location` is a prebuilt
// deploy, its env.so (the sha256 checked against the manifest, an error
// when it differs); nullopt when there is no environment.
Expected<std::optional<EnvironmentFile>> command_environment(const std::string& script_location);
// Whether C++ source `text` names RETORT_ENVIRONMENT outside comments and
// literals.
bool declares_environment(std::string_view text);

// Builds (when stale) and loads the environment `file` and runs its
// configure; -x keys it reads count as read in `cfg`.
Expected<std::shared_ptr<const EnvironmentSettings>> configure_environment(
    const Config& cfg, const EnvironmentFile& file, const EnvironmentRequest& request,
    std::ostream& progress);

// The same with the application's environment function
// (Config::attributes().set_environment), which must be set.
Expected<std::shared_ptr<const EnvironmentSettings>> configure_application_environment(
    const Config& cfg, const EnvironmentRequest& request);

}  // namespace retort

#endif  // RETORT_ENVIRONMENT_MODULE_HPP
