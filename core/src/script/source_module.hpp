// A single-source module of script_location, the model (model.cpp) or the
// environment (env.cpp): compiled like the revisions when its module is
// missing or older than the source, into the source's directory's
// build/.retort/units/ (module_builder.hpp), alone in its module.
#ifndef RETORT_SOURCE_MODULE_HPP
#define RETORT_SOURCE_MODULE_HPP

#include <retort/config.hpp>
#include <retort/error.hpp>

#include <iosfwd>
#include <string>

namespace retort {

// The module built from the .cpp `source`, compiled first when needed;
// `what` names it in errors ("model", "environment"). Compiler progress goes
// to `progress`.
Expected<std::string> source_module(const Config& cfg, const std::string& source,
                                    const std::string& what, std::ostream& progress);

}  // namespace retort

#endif  // RETORT_SOURCE_MODULE_HPP
