#include "script_directory.hpp"

#include "plugin_loader.hpp"

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

Error ScriptDirectory::build(std::ostream& progress, bool required) const {
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
  if (auto err = build(progress, /*required=*/false)) return err;
  std::vector<Revision> revisions;
  for (const RevisionSource& s : sources()) {
    auto plugin = load_plugin(s.module, RETORT_KIND_REVISIONS);
    if (!plugin) return plugin.take_error();
    retort_revision_module table{};
    const auto* raw = static_cast<const retort_revision_module*>(plugin->descriptor.table);
    std::memcpy(&table, raw, std::min<size_t>(raw->struct_size, sizeof table));
    for (size_t i = 0; i < table.revision_count; ++i) {
      const retort_revision* r = table.revisions[i];
      if (r == nullptr || r->struct_size < kRevisionV1Size || r->id == nullptr) {
        return Error(ErrorCategory::kPlugin,
                     fmt::format("cannot load '{}': revision {} of the module is malformed",
                                 s.module, i));
      }
      Revision rev;
      rev.id = r->id;
      rev.down_revisions = c_list(r->down_revisions);
      rev.branch_labels = c_list(r->branch_labels);
      rev.depends_on = c_list(r->depends_on);
      rev.message = r->message != nullptr ? r->message : "";
      rev.create_date = r->create_date != nullptr ? r->create_date : "";
      rev.path = s.source;
      rev.module = r;
      revisions.push_back(std::move(rev));
    }
  }
  return RevisionMap::build(std::move(revisions));
}

}  // namespace retort
