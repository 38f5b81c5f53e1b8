#include "script/deploy_manifest.hpp"

#include "util/file_io.hpp"
#include "util/json_writer.hpp"

#include "util/sha256.hpp"

#include <retort/abi.h>
#include <retort/shorten.hpp>
#include <retort/version.hpp>

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
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

constexpr const char* kRebuildHint = "rebuild the deploy with 'retort build --deploy'";

// The modules a deploy may hold beside the revision modules: the manifest's
// key for each, its file and where its sha256 goes.
struct Extra {
  const char* key;
  const char* file;
  std::optional<std::string> DeployManifest::*sha256;
};
constexpr Extra kExtras[] = {
    {"model", kDeployModelFile, &DeployManifest::model_sha256},
    {"environment", kDeployEnvironmentFile, &DeployManifest::environment_sha256},
};

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

// "modules/<name>.so", with nothing that could leave the deploy, and no
// NUL or other control character: a NUL would cut the name short for every
// system call, so the file checked would not be the file named.
bool valid_module_file(const std::string& file) {
  const std::string prefix = std::string(kDeployModuleDir) + "/";
  if (!file.starts_with(prefix) || !file.ends_with(".so")) return false;
  const bool control = std::any_of(file.begin(), file.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
  std::string name = file.substr(prefix.size());
  return !control && name.size() > 3 && name.find('/') == std::string::npos && name != ".." &&
         name[0] != '.';
}

bool valid_sha256(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

uint16_t abi_number(const Poco::JSON::Object::Ptr& abi, const char* key) {
  int n = abi->getValue<int>(key);
  if (n < 0 || n > 0xffff) throw Poco::DataFormatException(fmt::format("ABI {} out of range", key));
  return static_cast<uint16_t>(n);
}

Poco::JSON::Object::Ptr object(const Poco::JSON::Object::Ptr& parent, const char* key) {
  auto child = parent->getObject(key);
  if (child.isNull()) throw Poco::DataFormatException(fmt::format("no object '{}'", key));
  return child;
}

Poco::JSON::Array::Ptr array(const Poco::JSON::Object::Ptr& parent, const char* key) {
  auto child = parent->getArray(key);
  if (child.isNull()) throw Poco::DataFormatException(fmt::format("no array '{}'", key));
  return child;
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

Expected<DeployManifest> manifest_from_json(const std::string& text, const std::string& path) {
  auto malformed = [&](const std::string& why) {
    return Error(ErrorCategory::kConfig,
                 fmt::format("deploy manifest '{}' is malformed: {}", path, shorten(why)),
                 kRebuildHint);
  };
  DeployManifest m;
  try {
    Poco::JSON::Parser parser;
    auto root = parser.parse(text).extract<Poco::JSON::Object::Ptr>();
    if (root.isNull()) return malformed("not a JSON object");
    m.format = root->getValue<int>("format");
    if (m.format != kManifestFormat) {
      return Error(ErrorCategory::kConfig,
                   fmt::format("deploy manifest '{}' has format {}; this retort reads format {}",
                               path, m.format, kManifestFormat),
                   kRebuildHint);
    }
    m.retort_version = root->getValue<std::string>("retort_version");
    auto abi = object(root, "abi");
    m.abi_major = abi_number(abi, "major");
    m.abi_minor = abi_number(abi, "minor");
    auto modules = array(root, "modules");
    std::set<std::string> files;
    for (size_t i = 0; i < modules->size(); ++i) {
      auto mod = modules->getObject(static_cast<unsigned>(i));
      if (mod.isNull()) return malformed(fmt::format("module {} is not an object", i));
      ManifestModule entry;
      entry.file = mod->getValue<std::string>("file");
      if (!valid_module_file(entry.file)) {
        return malformed(
            fmt::format("module file '{}' is not 'modules/<name>.so'", shorten(entry.file)));
      }
      if (!files.insert(entry.file).second) {
        return malformed(fmt::format("module file '{}' is named twice", entry.file));
      }
      entry.sha256 = mod->getValue<std::string>("sha256");
      if (!valid_sha256(entry.sha256)) {
        return malformed(
            fmt::format("the sha256 of '{}' is not 64 lower-case hex digits", entry.file));
      }
      auto mod_abi = object(mod, "abi");
      entry.abi_major = abi_number(mod_abi, "major");
      entry.abi_minor = abi_number(mod_abi, "minor");
      auto revisions = array(mod, "revisions");
      for (size_t j = 0; j < revisions->size(); ++j) {
        auto rev = revisions->getObject(static_cast<unsigned>(j));
        if (rev.isNull())
          return malformed(fmt::format("revision {} of '{}' is not an object", j, entry.file));
        ManifestRevision r;
        r.id = rev->getValue<std::string>("id");
        auto downs = array(rev, "down_revisions");
        for (size_t k = 0; k < downs->size(); ++k) {
          r.down_revisions.push_back(downs->getElement<std::string>(static_cast<unsigned>(k)));
        }
        if (!rev->has("message")) {
          entry.has_metadata = false;
        } else {
          r.message = rev->getValue<std::string>("message");
          r.create_date = rev->optValue<std::string>("create_date", "");
          for (const char* key : {"branch_labels", "depends_on"}) {
            auto list = rev->getArray(key);
            if (list.isNull()) continue;
            auto& out = std::string_view(key) == "branch_labels" ? r.branch_labels : r.depends_on;
            for (size_t k = 0; k < list->size(); ++k) {
              out.push_back(list->getElement<std::string>(static_cast<unsigned>(k)));
            }
          }
        }
        entry.revisions.push_back(std::move(r));
      }
      m.modules.push_back(std::move(entry));
    }
    for (const Extra& extra : kExtras) {
      if (!root->has(extra.key)) continue;
      auto entry = object(root, extra.key);
      if (entry->getValue<std::string>("file") != extra.file) {
        return malformed(fmt::format("the {}'s file is not '{}'", extra.key, extra.file));
      }
      auto& sha = m.*extra.sha256;
      sha = entry->getValue<std::string>("sha256");
      if (!valid_sha256(*sha)) {
        return malformed(
            fmt::format("the sha256 of the {} is not 64 lower-case hex digits", extra.key));
      }
    }
  } catch (const Poco::Exception& e) {
    return malformed(e.displayText());
  } catch (const std::exception& e) {
    return malformed(e.what());
  }
  return m;
}

Expected<DeployManifest> read_manifest(const std::string& path) {
  auto text = read_file(path);
  if (!text) {
    return Error(ErrorCategory::kIo, fmt::format("cannot read deploy manifest '{}'", path));
  }
  return manifest_from_json(*text, path);
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
