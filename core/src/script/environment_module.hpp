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

namespace retort {

// What the command tells the environment about itself.
struct EnvironmentRequest {
  bool offline = false;            // --sql
  std::optional<std::string> tag;  // --tag
};

// <script_location>/env.cpp when it exists, absolute; nullopt when not.
std::optional<std::string> find_environment(const std::string& script_location);

// Builds (when stale) and loads the environment at `source` and runs its
// configure; -x keys it reads count as read in `cfg`.
Expected<std::shared_ptr<const EnvironmentSettings>> configure_environment(
    const Config& cfg, const std::string& source, const EnvironmentRequest& request,
    std::ostream& progress);

}  // namespace retort

#endif  // RETORT_ENVIRONMENT_MODULE_HPP
