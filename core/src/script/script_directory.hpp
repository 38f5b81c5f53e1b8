// The migration environment on disk: script_location, its version locations,
// the revision sources in them and the modules that run them. Or, when
// script_location holds a manifest.json, a prebuilt deploy (see
// deploy_manifest.hpp): modules only, checked against the manifest, never
// compiled.
//
// The graph comes from the sources: each RETORT_REVISION(...) is read as text
// (revision_source.hpp), so the commands that only show or extend the graph
// never compile and never load a revision module. Only the commands that run
// or render revisions load modules, after building what is stale; every
// module must then declare exactly what its sources declare.
//
// Where modules come from, for the sources of a version location <loc>:
//   - a module in <loc> or <loc>/build whose revisions a source declares
//     (a pack built by CMake's retort_add_revisions, or one module per
//     source, <loc>/build/<stem>.so): used as it is;
//   - else the units retort builds itself, in <loc>/build/.retort
//     (module_builder.hpp).
// The revision_modules key, when set, names the modules instead: none is
// looked for in the version locations. A module with no source behind it
// (a pack from elsewhere) is loaded by every command, since nothing else
// describes its revisions.
#ifndef RETORT_SCRIPT_DIRECTORY_HPP
#define RETORT_SCRIPT_DIRECTORY_HPP

#include <retort/config.hpp>
#include <retort/error.hpp>

#include "revision/revision_map.hpp"

#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace retort {

inline namespace internal {
class ScriptDirectory;
}  // namespace internal

// The file of the module that holds each revision's code, by the revision's
// index in the map (the order the map was built in); views into what the
// ScriptDirectory read, valid while before_loading runs.
using ModuleFiles = std::vector<std::string_view>;

struct LoadOptions {
  // Run a module older than its source, with a warning, when no compiler
  // can rebuild it (else that is an error).
  bool allow_stale = false;
  // Asked before any module is loaded, when nothing needs building and
  // every module is one whose revisions are known without loading it (a
  // unit retort built from unchanged sources, or a deploy's module): with
  // the graph from the sources or the manifest, whose revisions have no
  // module, and the file of each revision's module. When it answers true,
  // load_revisions returns that graph and loads nothing: the command found
  // it has nothing to run (an upgrade at head).
  std::function<bool(const ScriptDirectory& scripts, const RevisionMap& map,
                     const ModuleFiles& files)>
      before_loading;
};

// internal: see revision/revision_map.hpp.
inline namespace internal {

class ScriptDirectory {
 public:
  // Reads script_location (required), version_locations (space- or
  // comma-separated; default <script_location>/versions) and
  // revision_modules (module files, relative to the ini file's directory)
  // and build_batch_size (the most sources compiled into one module); finds
  // the SDK headers (sdk_include, RETORT_SDK_INCLUDE, the install).
  static Expected<ScriptDirectory> from_config(const Config& cfg);

  const std::string& dir() const { return dir_; }
  const std::vector<std::string>& version_locations() const { return version_locations_; }
  // Where its modules may lie: a deploy's modules/; else each version
  // location, its build/ and the units retort builds there, and the
  // folders of the modules the revision_modules key names.
  std::vector<std::string> module_dirs() const;
  // The revision template of this environment.
  std::string revision_template() const;

  // Every *.cpp in the version locations, sorted by path.
  std::vector<std::string> sources() const;

  // True when script_location is a prebuilt deploy: there are no sources,
  // nothing to compile, and no revision can be written.
  bool is_deploy() const { return deploy_; }
  // The refusal of `command` (e.g. "revision") in a deploy; success elsewhere.
  Error refuse_in_deploy(const std::string& command) const;

  // The revision graph as the sources (or a deploy's manifest) declare it.
  // Compiles nothing; the revisions have no module unless they come from a
  // module without sources.
  Expected<RevisionMap> read_revisions() const;

  // Builds what is stale, loads every module, checks each against its
  // sources and returns the graph whose revisions can run. In a deploy,
  // checks every module against the manifest (files, then sha256, then each
  // descriptor) and compiles nothing.
  Expected<RevisionMap> load_revisions(std::ostream& progress,
                                       const LoadOptions& options = {}) const;

  // For `retort build`: builds what is stale and loads every module as
  // load_revisions does; returns how many sources were compiled.
  Expected<size_t> build(std::ostream& progress) const;

  // Builds and loads (load_revisions), then writes a prebuilt deploy of the
  // modules to `dir` (see write_deploy in deploy_manifest.hpp), with the
  // built model module `model` and environment module `environment` unless
  // they are empty.
  Error write_deploy(const std::string& dir, std::ostream& progress, const std::string& model = {},
                     const std::string& environment = {}) const;

 private:
  struct Loaded;
  Expected<Loaded> load(std::ostream& progress, const LoadOptions& options) const;
  Expected<RevisionMap> read_deploy(bool load_modules, const LoadOptions& options = {}) const;

  std::string dir_;
  std::vector<std::string> version_locations_;
  std::vector<std::string> extra_modules_;
  std::string sdk_include_;
  Error sdk_error_;  // why sdk_include_ is empty
  size_t batch_size_ = 0;
  bool deploy_ = false;
};

}  // namespace internal

}  // namespace retort

#endif  // RETORT_SCRIPT_DIRECTORY_HPP
