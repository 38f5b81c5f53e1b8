#include "script/script_directory.hpp"

#include "plugin/plugin_loader.hpp"
#include "util/sha256.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <iostream>

namespace fs = std::filesystem;

namespace retort {
namespace {

// The size of ABI 1.0's retort_revision: later plugins may hand out more.
constexpr size_t kRevisionV1Size = offsetof(retort_revision, downgrade) + sizeof(retort_migrate_fn);

// Where the module of versions/<stem>.cpp is built.
constexpr const char* kModuleDir = "build";

std::vector<std::string> split_locations(const std::string& value) {
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

std::vector<std::string> c_list(const char* const* list) {
  std::vector<std::string> out;
  for (; list != nullptr && *list != nullptr; ++list) out.emplace_back(*list);
  return out;
}

std::string absolute(const std::string& path, const std::string& base) {
  fs::path p(path);
  if (p.is_relative()) p = fs::path(base) / p;
  return p.lexically_normal().string();
}

// What a revision module holds, as its descriptor says.
struct ModuleContents {
  uint16_t abi_major = 0;
  uint16_t abi_minor = 0;
  std::vector<Revision> revisions;
};

// Loads `module`; its revisions say they come from `origin` (the source, or
// the module itself in a deploy).
Expected<ModuleContents> load_module(const std::string& module, const std::string& origin) {
  auto plugin = load_plugin(module, RETORT_KIND_REVISIONS);
  if (!plugin) return plugin.take_error();
  ModuleContents contents;
  contents.abi_major = plugin->descriptor.abi_major;
  contents.abi_minor = plugin->descriptor.abi_minor;
  retort_revision_module table{};
  const auto* raw = static_cast<const retort_revision_module*>(plugin->descriptor.table);
  std::memcpy(&table, raw, std::min<size_t>(raw->struct_size, sizeof table));
  for (size_t i = 0; i < table.revision_count; ++i) {
    const retort_revision* r = table.revisions[i];
    if (r == nullptr || r->struct_size < kRevisionV1Size || r->id == nullptr) {
      return Error(
          ErrorCategory::kPlugin,
          fmt::format("cannot load '{}': revision {} of the module is malformed", module, i));
    }
    Revision rev;
    rev.id = r->id;
    rev.down_revisions = c_list(r->down_revisions);
    rev.branch_labels = c_list(r->branch_labels);
    rev.depends_on = c_list(r->depends_on);
    rev.message = r->message != nullptr ? r->message : "";
    rev.create_date = r->create_date != nullptr ? r->create_date : "";
    rev.path = origin;
    rev.module = r;
    contents.revisions.push_back(std::move(rev));
  }
  return contents;
}

// The manifest's view of a module: its ABI and revisions.
ManifestModule manifest_entry(const ModuleContents& contents) {
  ManifestModule entry;
  entry.abi_major = contents.abi_major;
  entry.abi_minor = contents.abi_minor;
  for (const Revision& r : contents.revisions) entry.revisions.push_back({r.id, r.down_revisions});
  return entry;
}

}  // namespace

Expected<ScriptDirectory> ScriptDirectory::from_config(const Config& cfg) {
  auto location = cfg.main_option("script_location");
  if (!location) return location.take_error();
  if (location->empty()) {
    return Error(ErrorCategory::kConfig,
                 fmt::format("no 'script_location' key in section [{}] of '{}'",
                             cfg.config_ini_section(),
                             cfg.config_file_name().empty() ? "the configuration"
                                                            : cfg.config_file_name()),
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
  auto locations = cfg.main_option("version_locations", "");
  if (!locations) return locations.take_error();
  for (const std::string& l : split_locations(*locations)) {
    sd.version_locations_.push_back(absolute(l, cfg.here()));
  }
  if (sd.version_locations_.empty()) {
    sd.version_locations_.push_back((fs::path(sd.dir_) / "versions").string());
  }
  return sd;
}

std::string ScriptDirectory::revision_template() const {
  return (fs::path(dir_) / "script.cpp.tmpl").string();
}

std::vector<RevisionSource> ScriptDirectory::sources() const {
  std::vector<RevisionSource> out;
  for (const std::string& location : version_locations_) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(location, ec)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".cpp") continue;
      const fs::path& p = entry.path();
      out.push_back({p.string(), (p.parent_path() / kModuleDir / p.stem()).string() + ".so"});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const RevisionSource& a, const RevisionSource& b) { return a.source < b.source; });
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

Error ScriptDirectory::build(std::ostream& progress, bool required) const {
  if (deploy_) return Error::success();
  std::vector<RevisionSource> stale;
  for (RevisionSource& s : sources()) {
    if (s.stale()) stale.push_back(std::move(s));
  }
  if (stale.empty()) return Error::success();
  auto compiler = find_compiler();
  if (compiler) return build_modules(stale, *compiler, progress);
  std::error_code ec;
  for (const RevisionSource& s : stale) {
    if (required || !fs::exists(s.module, ec)) {
      return Error(ErrorCategory::kBuild,
                   fmt::format("revision '{}' needs to be compiled and no C++ compiler was found",
                               s.source),
                   "install a C++ compiler or set CXX, or deploy modules built elsewhere");
    }
    std::cerr << fmt::format("warning: using '{}', which is older than its source '{}'\n",
                             s.module, s.source);
  }
  return Error::success();
}

Expected<RevisionMap> ScriptDirectory::load_revisions(std::ostream& progress) const {
  if (deploy_) return load_deploy();
  if (auto err = build(progress, /*required=*/false)) return err;
  std::vector<Revision> revisions;
  for (const RevisionSource& s : sources()) {
    auto contents = load_module(s.module, s.source);
    if (!contents) return contents.take_error();
    for (Revision& r : contents->revisions) revisions.push_back(std::move(r));
  }
  return RevisionMap::build(std::move(revisions));
}

Expected<RevisionMap> ScriptDirectory::load_deploy() const {
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
  // Every file is checked before any is loaded: loading runs its code.
  for (const ManifestModule& m : manifest->modules) {
    auto sha = sha256_file((dir / m.file).string());
    if (!sha) return sha.take_error();
    if (auto err = check_deploy_hash(m, *sha)) return err;
  }
  std::vector<Revision> revisions;
  for (const ManifestModule& m : manifest->modules) {
    const std::string path = (dir / m.file).string();
    auto contents = load_module(path, path);
    if (!contents) return contents.take_error();
    if (auto err = check_deploy_descriptor(m, manifest_entry(*contents))) return err;
    for (Revision& r : contents->revisions) revisions.push_back(std::move(r));
  }
  return RevisionMap::build(std::move(revisions));
}

Error ScriptDirectory::write_deploy(const std::string& dir, std::ostream& progress) const {
  std::vector<DeployModule> modules;
  std::vector<Revision> revisions;
  for (const RevisionSource& s : sources()) {
    auto contents = load_module(s.module, s.source);
    if (!contents) return contents.take_error();
    modules.push_back({s.module, manifest_entry(*contents)});
    for (Revision& r : contents->revisions) revisions.push_back(std::move(r));
  }
  // A deploy of a broken graph would only fail on the machine it goes to.
  auto map = RevisionMap::build(std::move(revisions));
  if (!map) return map.take_error();
  const size_t count = modules.size();
  if (auto err = retort::write_deploy(dir, std::move(modules))) return err;
  progress << fmt::format("wrote deploy '{}': {} revision module{} and {}\n", dir, count,
                          count == 1 ? "" : "s", kManifestFile);
  return Error::success();
}

}  // namespace retort
