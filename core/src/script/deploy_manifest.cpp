#include "script/deploy_manifest.hpp"
#include "script/deploy_manifest_format.hpp"

#include "util/file_io.hpp"
#include "util/json_writer.hpp"

#include "util/sha256.hpp"

#include <retort/abi.h>
#include <retort/shorten.hpp>
#include <retort/version.hpp>

#include <fcntl.h>
#include <fmt/format.h>
#include <stdio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace retort {
namespace {

using Extra = ManifestExtra;
constexpr const auto& kExtras = kManifestExtras;

Error mismatch(const std::string& file, const std::string& what) {
  return Error(ErrorCategory::kPlugin,
               fmt::format("module '{}' does not match the deploy manifest: {}", file, what),
               kRebuildHint);
}

// "aaaa0001 (<base>), bbbb0002 (aaaa0001)"
std::string describe(const std::vector<ManifestRevision>& revisions) {
  std::vector<std::string> parts;
  for (const ManifestRevision& r : revisions) {
    parts.push_back(fmt::format(
        "{} ({})", r.id,
        r.down_revisions.empty() ? "<base>" : fmt::format("{}", fmt::join(r.down_revisions, " "))));
  }
  return parts.empty() ? "none" : fmt::format("{}", fmt::join(parts, ", "));
}

Error io_error(const std::string& what, const std::string& path, const std::error_code& ec) {
  return Error(ErrorCategory::kIo, fmt::format("cannot {} '{}': {}", what, path, ec.message()));
}

// Puts `tmp` in place of `dir`: one atomic exchange where the file system
// allows it, else two renames (with a moment where `dir` is absent, never
// half-written).
Error replace_dir(const fs::path& tmp, const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    fs::rename(tmp, dir, ec);
    return ec ? io_error("move the deploy into place at", dir.string(), ec) : Error::success();
  }
  if (renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, dir.c_str(), RENAME_EXCHANGE) == 0) {
    fs::remove_all(tmp, ec);
    return Error::success();
  }
  fs::path old = dir;
  old += fmt::format(".old.{}", getpid());
  fs::rename(dir, old, ec);
  if (ec) return io_error("move the old deploy away from", dir.string(), ec);
  fs::rename(tmp, dir, ec);
  if (ec) return io_error("move the deploy into place at", dir.string(), ec);
  fs::remove_all(old, ec);
  return Error::success();
}

}  // namespace

bool is_deploy_dir(const std::string& dir) {
  std::error_code ec;
  return fs::is_regular_file(fs::path(dir) / kManifestFile, ec);
}

std::string manifest_to_json(const DeployManifest& m) {
  std::ostringstream out;
  JsonWriter json(out);
  json.begin_object();
  json.key("format").integer(m.format);
  json.key("retort_version").string(m.retort_version);
  json.key("abi")
      .begin_object()
      .key("major")
      .integer(m.abi_major)
      .key("minor")
      .integer(m.abi_minor);
  json.end_object();
  json.key("modules").begin_array();
  for (const ManifestModule& mod : m.modules) {
    json.begin_object();
    json.key("file").string(mod.file);
    json.key("sha256").string(mod.sha256);
    json.key("abi").begin_object().key("major").integer(mod.abi_major);
    json.key("minor").integer(mod.abi_minor).end_object();
    json.key("revisions").begin_array();
    for (const ManifestRevision& r : mod.revisions) {
      json.begin_object().key("id").string(r.id).key("down_revisions").strings(r.down_revisions);
      json.key("branch_labels").strings(r.branch_labels).key("depends_on").strings(r.depends_on);
      json.key("message").string(r.message).key("create_date").string(r.create_date);
      json.end_object();
    }
    json.end_array().end_object();
  }
  json.end_array();
  for (const Extra& extra : kExtras) {
    if (const auto& sha = m.*extra.sha256) {
      json.key(extra.key).begin_object().key("file").string(extra.file);
      json.key("sha256").string(*sha).end_object();
    }
  }
  json.end_object();
  out << "\n";
  return out.str();
}

Error write_manifest(const DeployManifest& manifest, const std::string& path) {
  return write_file_atomically(path, manifest_to_json(manifest));
}

Error check_deploy_files(const DeployManifest& manifest, const std::vector<std::string>& files) {
  std::set<std::string> present(files.begin(), files.end());
  std::set<std::string> named;
  for (const ManifestModule& m : manifest.modules) {
    named.insert(m.file);
    if (!present.contains(m.file)) {
      return Error(ErrorCategory::kPlugin,
                   fmt::format("module '{}' named in the deploy manifest is missing", m.file),
                   kRebuildHint);
    }
  }
  for (const std::string& f : files) {
    if (!named.contains(f)) {
      return Error(ErrorCategory::kPlugin,
                   fmt::format("module '{}' is not in the deploy manifest", f),
                   "remove it, or " + std::string(kRebuildHint));
    }
  }
  return Error::success();
}

Error check_deploy_hash(const ManifestModule& expected, const std::string& sha256) {
  if (sha256 != expected.sha256) return mismatch(expected.file, "sha256 differs");
  return Error::success();
}

Error check_deploy_descriptor(const ManifestModule& expected, const ManifestModule& found) {
  if (found.abi_major != expected.abi_major || found.abi_minor != expected.abi_minor) {
    return mismatch(
        expected.file,
        fmt::format("its descriptor declares ABI {}.{}, the manifest {}.{}", found.abi_major,
                    found.abi_minor, expected.abi_major, expected.abi_minor));
  }
  std::vector<ManifestRevision> found_revisions = found.revisions;
  if (!expected.has_metadata) {
    // An older manifest holds ids and parents only.
    for (ManifestRevision& r : found_revisions) r = {r.id, r.down_revisions, {}, {}, {}, {}};
  }
  if (found_revisions != expected.revisions) {
    return mismatch(expected.file,
                    fmt::format("it holds revisions {}, the manifest {}", describe(found_revisions),
                                describe(expected.revisions)));
  }
  return Error::success();
}

Error write_deploy(const std::string& dir_name, std::vector<DeployModule> modules,
                   const std::string& model, const std::string& environment) {
  fs::path dir = fs::absolute(dir_name).lexically_normal();
  if (!dir.has_filename()) dir = dir.parent_path();
  std::error_code ec;
  if (fs::exists(dir, ec) &&
      !(fs::is_directory(dir, ec) && (is_deploy_dir(dir.string()) || fs::is_empty(dir, ec)))) {
    return Error(
        ErrorCategory::kUsage,
        fmt::format("'{}' exists and is not a deploy; refusing to replace it", dir.string()),
        "name a new directory, an empty one, or an earlier deploy");
  }
  fs::path tmp = dir;
  tmp += ".tmp";
  fs::remove_all(tmp, ec);
  fs::create_directories(tmp / kDeployModuleDir, ec);
  if (ec) return io_error("create", (tmp / kDeployModuleDir).string(), ec);

  DeployManifest manifest;
  manifest.retort_version = version();
  manifest.abi_major = RETORT_ABI_MAJOR;
  manifest.abi_minor = RETORT_ABI_MINOR;
  std::set<std::string> files;
  for (DeployModule& m : modules) {
    m.entry.file = fmt::format("{}/{}", kDeployModuleDir, fs::path(m.built).filename().string());
    if (!files.insert(m.entry.file).second) {
      fs::remove_all(tmp, ec);
      return Error(
          ErrorCategory::kUsage,
          fmt::format("two revision modules would be '{}' in the deploy", m.entry.file),
          "rename one of the revision sources; version locations share one modules/ folder");
    }
    fs::path copy = tmp / m.entry.file;
    fs::copy_file(m.built, copy, fs::copy_options::overwrite_existing, ec);
    if (ec) return io_error(fmt::format("copy '{}' to", m.built), copy.string(), ec);
    auto sha = sha256_file(copy.string());
    if (!sha) return sha.take_error();
    m.entry.sha256 = *sha;
    manifest.modules.push_back(m.entry);
  }
  const std::string* built[] = {&model, &environment};  // as kExtras
  for (size_t i = 0; i < std::size(kExtras); ++i) {
    const std::string& from = *built[i];
    if (from.empty()) continue;
    const fs::path copy = tmp / kExtras[i].file;
    fs::copy_file(from, copy, fs::copy_options::overwrite_existing, ec);
    if (ec) return io_error(fmt::format("copy '{}' to", from), copy.string(), ec);
    auto sha = sha256_file(copy.string());
    if (!sha) return sha.take_error();
    manifest.*kExtras[i].sha256 = *sha;
  }
  if (auto err = write_manifest(manifest, (tmp / kManifestFile).string())) return err;
  return replace_dir(tmp, dir);
}

namespace {

// A module beside the revision modules, its sha256 checked before anything
// loads it; nullopt when the deploy has none.
Expected<std::optional<std::string>> deploy_extra(const std::string& dir, const Extra& extra) {
  using Path = std::optional<std::string>;
  const std::string manifest_path = (fs::path(dir) / kManifestFile).string();
  auto text = read_file(manifest_path);
  if (!text) {
    return Error(ErrorCategory::kIo,
                 fmt::format("cannot read deploy manifest '{}'", manifest_path));
  }
  // Most deploys have neither, which the text tells without parsing it (a
  // manifest of 10,000 revisions takes tens of milliseconds to parse): the
  // key cannot be written without its quotes around it.
  if (text->find(fmt::format("\"{}\"", extra.key)) == std::string::npos) return Path();
  auto manifest = manifest_from_json(*text, manifest_path);
  if (!manifest) return manifest.take_error();
  const auto& expected = *manifest.*extra.sha256;
  if (!expected) return Path();
  const std::string path = (fs::absolute(dir) / extra.file).lexically_normal().string();
  auto sha = sha256_file(path);
  if (!sha) return sha.take_error();
  if (*sha != *expected) return mismatch(extra.file, "sha256 differs");
  return Path(path);
}

}  // namespace

Expected<std::optional<std::string>> deploy_model(const std::string& dir) {
  return deploy_extra(dir, kExtras[0]);
}

Expected<std::optional<std::string>> deploy_environment(const std::string& dir) {
  return deploy_extra(dir, kExtras[1]);
}

}  // namespace retort
