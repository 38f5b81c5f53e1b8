// The migration environment on disk: script_location, its version locations,
// the revision sources in them and the modules built from those sources. Or,
// when script_location holds a manifest.json, a prebuilt deploy (see
// deploy_manifest.hpp): modules only, checked against the manifest, never
// compiled.
#ifndef RETORT_SCRIPT_DIRECTORY_HPP
#define RETORT_SCRIPT_DIRECTORY_HPP

#include <retort/config.hpp>
#include <retort/error.hpp>

#include "script/deploy_manifest.hpp"
#include "script/module_builder.hpp"
#include "revision/revision_map.hpp"

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

  // True when script_location is a prebuilt deploy: there are no sources,
  // nothing to compile, and no revision can be written.
  bool is_deploy() const { return deploy_; }
  // The refusal of `command` (e.g. "revision") in a deploy; success elsewhere.
  Error refuse_in_deploy(const std::string& command) const;

  // Compiles stale sources; with `required`, a stale source and no compiler
  // is an error, else the existing module is used with a warning.
  Error build(std::ostream& progress, bool required) const;

  // Builds what is stale (when a compiler is there), loads every module and
  // returns the validated revision graph.
  // In a deploy, checks every module against the manifest (files, then
  // sha256, then each descriptor) and compiles nothing.
  Expected<RevisionMap> load_revisions(std::ostream& progress) const;

  // Writes a prebuilt deploy of the built modules to `dir` (see
  // write_deploy); call build() first.
  Error write_deploy(const std::string& dir, std::ostream& progress) const;

 private:
  Expected<RevisionMap> load_deploy() const;

  std::string dir_;
  std::vector<std::string> version_locations_;
  bool deploy_ = false;
};

}  // namespace retort

#endif  // RETORT_SCRIPT_DIRECTORY_HPP
