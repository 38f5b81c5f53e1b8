#include "script/script_directory.hpp"

#include "script/deploy_manifest.hpp"
#include "script/metadata_cache.hpp"
#include "script/module_builder.hpp"
#include "script/revision_module.hpp"
#include "util/install_paths.hpp"
#include "util/log_scope.hpp"
#include "util/sha256.hpp"

#include <dirent.h>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_map>

namespace fs = std::filesystem;

namespace retort {
namespace {

// Where the module of versions/<stem>.cpp is looked for when it was built
// one module per source (CMake's retort_add_revisions without PACK).
constexpr const char* kModuleDir = "build";

std::vector<std::string> split_list(const std::string& value) {
  std::vector<std::string> out;
  std::string current;
  for (char c : value) {
    if (c == ' ' || c == ',' || c == '\t' || c == '\n') {
      if (!current.empty()) out.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

std::string absolute(const std::string& path, const std::string& base) {
  fs::path p(path);
  if (p.is_relative()) p = fs::path(base) / p;
  return p.lexically_normal().string();
}

bool newer(const std::string& a, const std::string& b) {
  std::error_code ec1, ec2;
  auto ta = fs::last_write_time(a, ec1);
  auto tb = fs::last_write_time(b, ec2);
  return !ec1 && !ec2 && ta > tb;
}

using Source = SourceDeclarations;

// Every source's RETORT_REVISIONs (through each location's metadata cache),
// and the modules beside them; a source that declares none is an error,
// since it could never run.
Expected<LocationContents> read_sources(LocationScan& scan) {
  auto found = scan.contents();
  if (!found) return found.take_error();
  for (const Source& s : found->sources) {
    if (s.declared.empty()) {
      return Error(ErrorCategory::kRevision,
                   fmt::format("revision source '{}' declares no revision", s.path),
                   "declare it with RETORT_REVISION(...), as 'retort revision' writes, or move "
                   "the file out of the version locations");
    }
  }
  return found;
}

Expected<LocationContents> read_sources(const std::vector<std::string>& locations) {
  LocationScan scan(locations);
  return read_sources(scan);
}

// The module files: those the revision_modules key names when it is set,
// else `listed` (the *.so directly in the locations) and the *.so in each
// <loc>/build; sorted, no duplicates.
std::vector<std::string> module_files(const std::vector<std::string>& locations,
                                      const std::vector<std::string>& extra,
                                      const std::vector<std::string>& listed) {
  std::set<std::string> files(extra.begin(), extra.end());
  if (!files.empty()) return {files.begin(), files.end()};
  for (const std::string& file : listed) files.insert(fs::path(file).lexically_normal().string());
  for (const std::string& location : locations) {
    const fs::path dir = fs::path(location) / kModuleDir;
    DIR* listing = ::opendir(dir.c_str());
    if (listing == nullptr) continue;
    while (const dirent* e = ::readdir(listing)) {
      const std::string_view name = e->d_name;
      if (name.size() <= 3 || !name.ends_with(".so")) continue;
      const fs::path file = dir / name;
      std::error_code ec;
      const bool regular =
          e->d_type == DT_REG ||
          ((e->d_type == DT_UNKNOWN || e->d_type == DT_LNK) && fs::is_regular_file(file, ec));
      if (regular) files.insert(file.lexically_normal().string());
    }
    ::closedir(listing);
  }
  return {files.begin(), files.end()};
}

// <loc>/build/<stem>.so beside <loc>/<stem>.cpp: the module of that source alone.
std::string source_of_module(const std::string& module) {
  fs::path p(module);
  if (p.parent_path().filename() != kModuleDir) return "";
  fs::path source = p.parent_path().parent_path() / p.stem();
  source += ".cpp";
  std::error_code ec;
  return fs::exists(source, ec) ? source.string() : "";
}

// Where each revision is declared, and by which source.
class Declarations {
 public:
  explicit Declarations(const std::vector<Source>& sources) {
    for (size_t i = 0; i < sources.size(); ++i) {
      for (const Revision& r : sources[i].declared) by_id_.emplace(r.id, std::make_pair(i, &r));
    }
  }
  // The source index and declaration of `id`, or nullptr.
  const std::pair<size_t, const Revision*>* find(const std::string& id) const {
    auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : &it->second;
  }

 private:
  std::unordered_multimap<std::string, std::pair<size_t, const Revision*>> by_id_;
};

// The manifest's view of a module: its ABI and revisions.
ManifestModule manifest_entry(const RevisionModule& module) {
  ManifestModule entry;
  entry.abi_major = module.abi_major;
  entry.abi_minor = module.abi_minor;
  for (const Revision& r : module.revisions) {
    entry.revisions.push_back(
        {r.id, r.down_revisions, r.branch_labels, r.depends_on, r.message, r.create_date});
  }
  return entry;
}

Error disagreement(const std::string& module, const std::string& source, const std::string& id,
                   const std::string& difference) {
  return Error(ErrorCategory::kPlugin,
               fmt::format("revision module '{}' and its source '{}' disagree about revision "
                           "'{}': {}",
                           module, source, id, difference),
               "rebuild the module from its source, or remove the module");
}

Error provided_twice(const std::string& id, const std::string& first, const std::string& second) {
  return Error(
      ErrorCategory::kRevision,
      fmt::format("revision '{}' is provided twice: by '{}' and by '{}'", id, first, second),
      "keep one of them: remove a module or a source, or build the pack without it");
}

}  // namespace

struct ScriptDirectory::Loaded {
  std::vector<Source> sources;
  std::vector<RevisionModule> modules;  // every module in use
  size_t compiled = 0;                  // sources compiled on the way
  // Units whose module also holds old code of sources rebuilt elsewhere.
  std::vector<BuildUnit> superseded;
  // The graph without modules, when options.before_loading found nothing
  // to run: then nothing above is loaded.
  std::optional<RevisionMap> unloaded;
};

namespace {

// The loaded revisions in the order the sources declare them (by path, then
// within each file), then those that only modules declare, in module order.
// RevisionMap breaks ties in Alembic's orderings by this order, and the
// sources' order is the one every machine and every build agrees on.
std::vector<Revision> in_source_order(const std::vector<Source>& sources,
                                      std::vector<RevisionModule>& modules) {
  std::unordered_map<std::string, Revision*> by_id;
  for (RevisionModule& m : modules) {
    for (Revision& r : m.revisions) by_id.emplace(r.id, &r);
  }
  std::vector<Revision> out;
  out.reserve(by_id.size());
  for (const Source& s : sources) {
    for (const Revision& d : s.declared) {
      auto it = by_id.find(d.id);
      if (it == by_id.end() || it->second == nullptr) continue;
      out.push_back(std::move(*it->second));
      it->second = nullptr;
    }
  }
  for (RevisionModule& m : modules) {
    for (Revision& r : m.revisions) {
      auto it = by_id.find(r.id);
      if (it != by_id.end() && it->second == &r) out.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace

Expected<ScriptDirectory> ScriptDirectory::from_config(const Config& cfg) {
  auto location = cfg.main_option("script_location");
  if (!location) return location.take_error();
  if (location->empty()) {
    return Error(
        ErrorCategory::kConfig,
        fmt::format("no 'script_location' key in section [{}] of '{}'", cfg.config_ini_section(),
                    cfg.config_file_name().empty() ? "the configuration" : cfg.config_file_name()),
        "run 'retort init DIR' to create an environment, or set script_location");
  }
  ScriptDirectory sd;
  sd.dir_ = absolute(*location, cfg.here());
  std::error_code ec;
  if (!fs::is_directory(sd.dir_, ec)) {
    return Error(ErrorCategory::kConfig,
                 fmt::format("script_location '{}' is not a directory", sd.dir_),
                 "run 'retort init DIR' to create the environment");
  }
  // A deploy has no version locations: its modules are listed in the manifest.
  if (is_deploy_dir(sd.dir_)) {
    sd.deploy_ = true;
    return sd;
  }
  // A deploy that lost its manifest must not pass for an empty environment.
  const fs::path manifest = fs::path(sd.dir_) / kManifestFile;
  if (fs::exists(fs::symlink_status(manifest, ec)) ||
      fs::is_directory(fs::path(sd.dir_) / kDeployModuleDir, ec)) {
    return Error(ErrorCategory::kConfig,
                 fmt::format("script_location '{}' holds a deploy's {}/ but no readable {}",
                             sd.dir_, kDeployModuleDir, manifest.string()),
                 "copy the deploy whole, manifest.json with it, or write it again with 'retort "
                 "build --deploy'");
  }
  auto locations = cfg.main_option("version_locations", "");
  if (!locations) return locations.take_error();
  for (const std::string& l : split_list(*locations)) {
    sd.version_locations_.push_back(absolute(l, cfg.here()));
  }
  if (sd.version_locations_.empty()) {
    sd.version_locations_.push_back((fs::path(sd.dir_) / "versions").string());
  }
  auto modules = cfg.main_option("revision_modules", "");
  if (!modules) return modules.take_error();
  for (const std::string& m : split_list(*modules)) {
    std::string path = absolute(m, cfg.here());
    if (!fs::is_regular_file(path, ec)) {
      return Error(ErrorCategory::kConfig,
                   fmt::format("revision_modules names '{}', which is not a file", path),
                   "build it first (e.g. retort_add_revisions(... PACK) in CMake), or fix the "
                   "path, which is relative to the ini file's directory");
    }
    sd.extra_modules_.push_back(std::move(path));
  }
  auto batch = cfg.main_option("build_batch_size", "");
  if (!batch) return batch.take_error();
  sd.batch_size_ = kDefaultBatchSize;
  if (!batch->empty()) {
    size_t used = 0;
    unsigned long n = 0;
    try {
      n = std::stoul(*batch, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != batch->size() || n == 0 || n > 100000) {
      return Error(ErrorCategory::kConfig,
                   fmt::format("build_batch_size '{}' is not a number from 1 to 100000", *batch),
                   "set the most revision sources compiled into one module, e.g. "
                   "build_batch_size = 100; 1 builds one module per source");
    }
    sd.batch_size_ = n;
  }
  // Needed only to compile; a missing SDK is an error only then.
  auto sdk = find_sdk_include(cfg);
  if (sdk) {
    sd.sdk_include_ = std::move(*sdk);
  } else {
    sd.sdk_error_ = sdk.take_error();
  }
  return sd;
}

std::vector<std::string> ScriptDirectory::module_dirs() const {
  if (deploy_) return {(fs::path(dir_) / kDeployModuleDir).string()};
  std::vector<std::string> dirs;
  for (const std::string& location : version_locations_) {
    dirs.push_back(location);
    dirs.push_back((fs::path(location) / kModuleDir).string());
    dirs.push_back(units_dir(location));
  }
  for (const std::string& module : extra_modules_) {
    dirs.push_back(fs::path(module).parent_path().string());
  }
  return dirs;
}

std::string ScriptDirectory::revision_template() const {
  return (fs::path(dir_) / "script.cpp.tmpl").string();
}

std::vector<std::string> ScriptDirectory::sources() const {
  std::vector<std::string> out;
  for (const std::string& location : version_locations_) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(location, ec)) {
      if (entry.path().extension() == ".cpp" && entry.is_regular_file(ec)) {
        out.push_back(entry.path().string());
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

Error ScriptDirectory::refuse_in_deploy(const std::string& command) const {
  if (!deploy_) return Error::success();
  return Error(ErrorCategory::kConfig,
               fmt::format("'retort {}' cannot run in '{}': it is a prebuilt deploy, with modules "
                           "and no revision sources",
                           command, dir_),
               "run it where the revision sources are, then 'retort build --deploy' again");
}

Expected<RevisionMap> ScriptDirectory::read_revisions() const {
  if (deploy_) return read_deploy(/*load_modules=*/false);
  LocationScan scan(version_locations_);
  // Usually no source changed since the caches were written: the map is
  // built from them while the sources are statted, and kept when they
  // prove current and no module must be loaded for revisions that no
  // source declares.
  std::vector<Revision> cached;
  if (scan.take_cached(cached)) {
    auto map = RevisionMap::build(std::move(cached));
    if (scan.cache_current()) {
      const auto files = module_files(version_locations_, extra_modules_, scan.modules());
      if (std::all_of(files.begin(), files.end(),
                      [](const std::string& f) { return !source_of_module(f).empty(); })) {
        return map;
      }
    }
  }
  auto found = read_sources(scan);
  if (!found) return found.take_error();
  std::vector<Source>& sources = found->sources;
  std::vector<Revision> revisions;
  std::vector<Revision> only_in_modules;
  // Modules whose revisions no source declares: only they describe them.
  std::vector<RevisionModule> modules;
  for (const std::string& file : module_files(version_locations_, extra_modules_, found->modules)) {
    if (!source_of_module(file).empty()) continue;
    auto module = load_revision_module(file);
    if (!module) return module.take_error();
    modules.push_back(std::move(*module));
  }
  if (!modules.empty()) {
    Declarations declared(sources);
    std::map<std::string, std::string> provided;  // by a module without sources
    for (RevisionModule& module : modules) {
      for (Revision& r : module.revisions) {
        if (const auto* d = declared.find(r.id)) {
          const std::string diff = metadata_difference(r, *d->second);
          if (!diff.empty()) return disagreement(module.path, sources[d->first].path, r.id, diff);
          continue;
        }
        auto [it, fresh] = provided.emplace(r.id, module.path);
        if (!fresh) return provided_twice(r.id, it->second, module.path);
        only_in_modules.push_back(std::move(r));
      }
    }
  }
  // The sources' order first, as load_revisions gives it.
  revisions.reserve(sources.size() + only_in_modules.size());
  for (Source& s : sources) {
    for (Revision& r : s.declared) revisions.push_back(std::move(r));
  }
  for (Revision& r : only_in_modules) revisions.push_back(std::move(r));
  return RevisionMap::build(std::move(revisions));
}

Expected<ScriptDirectory::Loaded> ScriptDirectory::load(std::ostream& progress,
                                                        const LoadOptions& options) const {
  Loaded loaded;
  auto found = read_sources(version_locations_);
  if (!found) return found.take_error();
  loaded.sources = std::move(found->sources);
  const std::vector<Source>& srcs = loaded.sources;
  std::map<std::string, std::string> provider;  // revision id -> module
  std::vector<bool> covered(srcs.size(), false);

  // Modules built outside retort (packs, one module per source): used as
  // they are, if they agree with the sources.
  const std::vector<std::string> foreign =
      module_files(version_locations_, extra_modules_, found->modules);
  // Where each source's revisions are declared: for the modules above only.
  std::optional<Declarations> declarations;
  if (!foreign.empty()) declarations.emplace(srcs);
  for (const std::string& file : foreign) {
    const Declarations& declared = *declarations;
    const std::string own_source = source_of_module(file);
    // A module of one source that is older than it is rebuilt below.
    if (!own_source.empty() && newer(own_source, file)) continue;
    auto module = load_revision_module(file);
    if (!module) return module.take_error();
    for (Revision& r : module->revisions) {
      auto [it, fresh] = provider.emplace(r.id, file);
      if (!fresh) return provided_twice(r.id, it->second, file);
      const auto* d = declared.find(r.id);
      if (d == nullptr) continue;
      const Source& s = srcs[d->first];
      const std::string diff = metadata_difference(r, *d->second);
      if (!diff.empty()) return disagreement(file, s.path, r.id, diff);
      r.path = s.path;
      covered[d->first] = true;
      if (newer(s.path, file)) {
        if (!options.allow_stale) {
          return Error(ErrorCategory::kBuild,
                       fmt::format("revision module '{}' is older than the source '{}' of its "
                                   "revision '{}'",
                                   file, s.path, r.id),
                       "rebuild the module (e.g. cmake --build), or pass --allow-stale to run it "
                       "as it is");
        }
        log(LogLevel::kWarning,
            fmt::format("running '{}', which is older than its source '{}'", file, s.path));
      }
    }
    loaded.modules.push_back(std::move(*module));
  }
  for (size_t i = 0; i < srcs.size(); ++i) {
    if (!covered[i]) continue;
    for (const Revision& r : srcs[i].declared) {
      if (provider.count(r.id) == 0) {
        return Error(ErrorCategory::kRevision,
                     fmt::format("revision source '{}' declares revision '{}', which the module "
                                 "'{}' providing its other revisions lacks",
                                 srcs[i].path, r.id, provider.at(srcs[i].declared[0].id)),
                     "rebuild that module from the same sources");
      }
    }
  }

  // The rest are retort's own units. A unit serves the sources it lists
  // that are unchanged since it was built; the others are rebuilt, each
  // stale source alone when it is the only one, so one edit recompiles one
  // source even when it was built in a batch.
  std::unordered_map<std::string_view, size_t> index;  // source path -> srcs index
  index.reserve(srcs.size());
  for (size_t i = 0; i < srcs.size(); ++i) index.emplace(srcs[i].path, i);
  SourceTimes unserved;
  unserved.reserve(srcs.size());
  for (size_t i = 0; i < srcs.size(); ++i) {
    if (!covered[i]) unserved.emplace(srcs[i].path, srcs[i].mtime_ns);
  }
  std::vector<ServingUnit> serving;
  for (const std::string& location : version_locations_) {
    for (ServingUnit& s : serving_units(location, unserved)) serving.push_back(std::move(s));
  }
  std::map<std::string, std::vector<std::string>> to_build;  // location -> sources
  for (size_t i = 0; i < srcs.size(); ++i) {
    if (!covered[i] && unserved.count(srcs[i].path) != 0)
      to_build[std::string(srcs[i].location())].push_back(srcs[i].path);
  }
  std::vector<BuildUnit> units;
  if (!to_build.empty()) {
    auto compiler = find_compiler();
    if (!compiler) {
      // Without a compiler, a stale unit may still run with --allow-stale.
      for (const auto& [location, paths] : to_build) {
        for (const std::string& path : paths) {
          auto old = std::find_if(serving.begin(), serving.end(), [&](const ServingUnit& s) {
            return std::find(s.unit.sources.begin(), s.unit.sources.end(), path) !=
                   s.unit.sources.end();
          });
          if (old == serving.end() || !options.allow_stale) {
            return Error(ErrorCategory::kBuild,
                         fmt::format("revision source '{}' {} and no C++ compiler was found", path,
                                     old == serving.end() ? "was never compiled"
                                                          : "is newer than its module"),
                         old == serving.end()
                             ? "install a C++ compiler or set CXX, or deploy modules built "
                               "elsewhere ('retort build --deploy')"
                             : "install a C++ compiler or set CXX, or pass --allow-stale to run "
                               "the module built before the source changed");
          }
          log(LogLevel::kWarning, fmt::format("running '{}', which is older than its source '{}'",
                                              old->unit.module, path));
          old->current.push_back(path);
        }
      }
    } else {
      if (sdk_include_.empty())
        return Error(sdk_error_.category(), sdk_error_.message(), sdk_error_.hint());
      const Toolchain toolchain{*compiler, sdk_include_, batch_size_};
      for (const auto& [location, paths] : to_build) {
        auto built = build_units(location, paths, toolchain, progress);
        if (!built) return built.take_error();
        loaded.compiled += paths.size();
        for (BuildUnit& u : *built) units.push_back(std::move(u));
      }
      // Units now serve fewer sources, or none.
      for (ServingUnit& s : serving) {
        if (s.current.size() == s.unit.sources.size()) continue;
        const bool rebuilt = std::any_of(units.begin(), units.end(), [&](const BuildUnit& u) {
          return u.module == s.unit.module;
        });
        if (rebuilt) continue;
        if (s.current.empty()) {
          remove_unit(s.unit);
        } else if (auto err = record_unit({s.unit.module, s.current})) {
          return err;
        }
      }
    }
  }
  for (ServingUnit& s : serving) {
    if (s.current.empty()) continue;
    std::sort(s.current.begin(), s.current.end());
    units.push_back({s.unit.module, std::move(s.current)});
  }

  // Not needed past here: freed before the command may wait for its database.
  serving = {};
  unserved = {};

  // Nothing loaded or built so far: the command may need no module at all.
  if (options.before_loading && loaded.modules.empty() && to_build.empty()) {
    std::vector<std::string_view> module_of(srcs.size());  // by source
    for (const BuildUnit& unit : units) {
      for (const std::string& s : unit.sources) module_of[index.at(s)] = unit.module;
    }
    // The sources' revisions are lent to the map, not copied, and taken
    // back for the usual way. With no module loaded, the sources declare
    // the whole graph: an error in it is the command's error.
    ModuleFiles files;
    std::vector<Revision> revisions;
    files.reserve(srcs.size());
    revisions.reserve(srcs.size());
    for (size_t i = 0; i < srcs.size(); ++i) {
      for (Revision& r : loaded.sources[i].declared) {
        files.push_back(module_of[i]);
        revisions.push_back(std::move(r));
      }
    }
    auto map = RevisionMap::build(std::move(revisions));
    if (!map) return map.take_error();
    if (options.before_loading(*this, *map, files)) {
      loaded.unloaded = std::move(*map);
      return loaded;
    }
    revisions = std::move(*map).release();
    auto back = std::make_move_iterator(revisions.begin());
    for (Source& s : loaded.sources) {
      for (Revision& r : s.declared) r = *back++;
    }
  }

  // Every unit must declare its sources' revisions as they do; what else it
  // holds (the old code of sources since rebuilt elsewhere) is not used.
  for (const BuildUnit& unit : units) {
    auto module = load_revision_module(unit.module);
    if (!module) return module.take_error();
    std::set<std::string> expected;
    std::map<std::string, size_t> source_of;  // revision id -> srcs index
    for (const std::string& s : unit.sources) {
      for (const Revision& r : srcs[index.at(s)].declared) {
        expected.insert(r.id);
        source_of.emplace(r.id, index.at(s));
      }
    }
    std::vector<Revision> used;
    for (Revision& r : module->revisions) {
      if (expected.erase(r.id) == 0) continue;
      const Source& src = srcs[source_of.at(r.id)];
      const Revision& d = *std::find_if(src.declared.begin(), src.declared.end(),
                                        [&](const Revision& x) { return x.id == r.id; });
      const std::string diff = metadata_difference(r, d);
      if (!diff.empty()) return disagreement(unit.module, src.path, r.id, diff);
      auto [it, fresh] = provider.emplace(r.id, unit.module);
      if (!fresh) return provided_twice(r.id, it->second, src.path);
      r.path = src.path;
      used.push_back(std::move(r));
    }
    if (!expected.empty()) {
      return Error(ErrorCategory::kPlugin,
                   fmt::format("revision module '{}' lacks revision '{}' that its sources declare",
                               unit.module, *expected.begin()),
                   "delete the module; the next command rebuilds it");
    }
    if (used.size() != module->revisions.size()) loaded.superseded.push_back(unit);
    module->revisions = std::move(used);
    loaded.modules.push_back(std::move(*module));
  }
  return loaded;
}

Expected<RevisionMap> ScriptDirectory::load_revisions(std::ostream& progress,
                                                      const LoadOptions& options) const {
  if (deploy_) return read_deploy(/*load_modules=*/true, options);
  auto loaded = load(progress, options);
  if (!loaded) return loaded.take_error();
  if (loaded->unloaded) return std::move(*loaded->unloaded);
  return RevisionMap::build(in_source_order(loaded->sources, loaded->modules));
}

Expected<size_t> ScriptDirectory::build(std::ostream& progress) const {
  auto loaded = load(progress, {});
  if (!loaded) return loaded.take_error();
  auto map = RevisionMap::build(in_source_order(loaded->sources, loaded->modules));
  if (!map) return map.take_error();
  return loaded->compiled;
}

Expected<RevisionMap> ScriptDirectory::read_deploy(bool load_modules,
                                                   const LoadOptions& options) const {
  const fs::path dir(dir_);
  auto manifest = read_manifest((dir / kManifestFile).string());
  if (!manifest) return manifest.take_error();
  if (manifest->abi_major != RETORT_ABI_MAJOR) {
    return Error(ErrorCategory::kPlugin,
                 fmt::format("the deploy in '{}' was built by retort {} for ABI {}.{}; this retort "
                             "supports {}.x",
                             dir_, manifest->retort_version, manifest->abi_major,
                             manifest->abi_minor, RETORT_ABI_MAJOR),
                 "rebuild the deploy with this retort's 'retort build --deploy'");
  }
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir / kDeployModuleDir, ec)) {
    if (entry.path().extension() != ".so") continue;
    files.push_back(fmt::format("{}/{}", kDeployModuleDir, entry.path().filename().string()));
  }
  std::sort(files.begin(), files.end());
  if (auto err = check_deploy_files(*manifest, files)) return err;
  std::vector<Revision> revisions;
  // The manifest describes the graph; an older one without the metadata
  // needs the modules loaded.
  const bool described = std::all_of(manifest->modules.begin(), manifest->modules.end(),
                                     [](const ManifestModule& m) { return m.has_metadata; });
  if ((!load_modules || options.before_loading) && described) {
    ModuleFiles files;
    std::vector<std::string> paths;  // of the modules, for `files` to point into
    paths.reserve(manifest->modules.size());
    for (const ManifestModule& m : manifest->modules) {
      paths.push_back((dir / m.file).string());
      for (const ManifestRevision& r : m.revisions) {
        Revision rev;
        rev.id = r.id;
        rev.down_revisions = r.down_revisions;
        rev.branch_labels = r.branch_labels;
        rev.depends_on = r.depends_on;
        rev.message = r.message;
        rev.create_date = r.create_date;
        rev.path = paths.back();
        if (load_modules) files.push_back(paths.back());
        revisions.push_back(std::move(rev));
      }
    }
    auto map = RevisionMap::build(std::move(revisions));
    if (!load_modules || (map && options.before_loading(*this, *map, files))) return map;
    revisions.clear();
  }
  // Every file is checked before any is loaded: loading runs its code.
  for (const ManifestModule& m : manifest->modules) {
    auto sha = sha256_file((dir / m.file).string());
    if (!sha) return sha.take_error();
    if (auto err = check_deploy_hash(m, *sha)) return err;
  }
  for (const ManifestModule& m : manifest->modules) {
    auto module = load_revision_module((dir / m.file).string());
    if (!module) return module.take_error();
    if (auto err = check_deploy_descriptor(m, manifest_entry(*module))) return err;
    for (Revision& r : module->revisions) revisions.push_back(std::move(r));
  }
  return RevisionMap::build(std::move(revisions));
}

Error ScriptDirectory::write_deploy(const std::string& dir, std::ostream& progress,
                                    const std::string& model,
                                    const std::string& environment) const {
  auto loaded = load(progress, {});
  if (!loaded) return loaded.take_error();
  // A deploy's modules hold exactly what its manifest lists: units that
  // also hold superseded code are rebuilt first.
  if (!loaded->superseded.empty()) {
    for (const BuildUnit& unit : loaded->superseded) remove_unit(unit);
    loaded = load(progress, {});
    if (!loaded) return loaded.take_error();
  }
  std::vector<DeployModule> modules;
  for (const RevisionModule& m : loaded->modules) modules.push_back({m.path, manifest_entry(m)});
  std::vector<Revision> revisions = in_source_order(loaded->sources, loaded->modules);
  // A deploy of a broken graph would only fail on the machine it goes to.
  auto map = RevisionMap::build(std::move(revisions));
  if (!map) return map.take_error();
  const size_t count = modules.size();
  if (auto err = retort::write_deploy(dir, std::move(modules), model, environment)) return err;
  progress << fmt::format("wrote deploy '{}': {} revision module{}{}{} and {}\n", dir, count,
                          count == 1 ? "" : "s", model.empty() ? "" : ", the model",
                          environment.empty() ? "" : ", the environment", kManifestFile);
  return Error::success();
}

}  // namespace retort
