// The migration environment on disk: script_location, its version locations,
// the revision sources in them and the modules built from those sources.
#ifndef RETORT_SCRIPT_DIRECTORY_HPP
#define RETORT_SCRIPT_DIRECTORY_HPP

#include <retort/config.hpp>
#include <retort/error.hpp>

#include "module_builder.hpp"
#include "revision_map.hpp"

#include <iosfwd>
#include <string>
#include <vector>

namespace retort {

class ScriptDirectory {
 public:
  // Reads script_location (required) and version_locations (space- or
  // comma-separated; default <script_location>/versions).
  static Expected<ScriptDirectory> from_config(const Config& cfg);

  const std::string& dir() const { return dir_; }
  const std::vector<std::string>& version_locations() const { return version_locations_; }
  // The revision template of this environment.
  std::string revision_template() const;

  // Every *.cpp in the version locations, sorted by path, with its module.
  std::vector<RevisionSource> sources() const;

  // Compiles stale sources; with `required`, a stale source and no compiler
  // is an error, else the existing module is used with a warning.
  Error build(std::ostream& progress, bool required) const;

  // Builds what is stale (when a compiler is there), loads every module and
  // returns the validated revision graph.
  Expected<RevisionMap> load_revisions(std::ostream& progress) const;

 private:
  std::string dir_;
  std::vector<std::string> version_locations_;
};

}  // namespace retort

#endif  // RETORT_SCRIPT_DIRECTORY_HPP
