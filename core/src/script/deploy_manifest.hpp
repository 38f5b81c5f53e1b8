// A prebuilt deploy: a folder that `retort build --deploy DIR` writes, for
// machines without a compiler. It holds modules/<stem>.so, one per revision
// module, model.so when a model is declared (for `retort check`), env.so
// when env.cpp declares an environment, and manifest.json, which
// fingerprints each module (sha256, the ABI its descriptor declares, the
// revisions it holds), the model and the environment. A ScriptDirectory whose
// script_location holds manifest.json runs from the deploy: it checks every
// module against the manifest before loading any, and never compiles.
#ifndef RETORT_DEPLOY_MANIFEST_HPP
#define RETORT_DEPLOY_MANIFEST_HPP

#include <retort/error.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace retort {

constexpr const char* kManifestFile = "manifest.json";
constexpr const char* kDeployModuleDir = "modules";
constexpr const char* kDeployModelFile = "model.so";
constexpr const char* kDeployEnvironmentFile = "env.so";
constexpr int kManifestFormat = 1;

// A revision's metadata, so that graph commands need not load the module.
// Manifests written before the metadata was added hold only id and
// down_revisions (ManifestModule::has_metadata is then false).
struct ManifestRevision {
  std::string id;
  std::vector<std::string> down_revisions;
  std::vector<std::string> branch_labels;
  std::vector<std::string> depends_on;
  std::string message;
  std::string create_date;
  bool operator==(const ManifestRevision&) const = default;
};

struct ManifestModule {
  std::string file;        // relative to the deploy: "modules/<stem>.so"
  std::string sha256;      // 64 lower-case hex digits
  uint16_t abi_major = 0;  // as the module's descriptor declares
  uint16_t abi_minor = 0;
  std::vector<ManifestRevision> revisions;  // in the module's order
  bool has_metadata = true;                 // false: an older manifest, ids and parents only
};

struct DeployManifest {
  int format = kManifestFormat;
  std::string retort_version;  // of the retort that wrote the deploy
  uint16_t abi_major = 0;      // the ABI that retort was built with
  uint16_t abi_minor = 0;
  std::vector<ManifestModule> modules;
  // The sha256 of model.so, the model module; none when the deploy has no
  // model (and in manifests written before the model was added).
  std::optional<std::string> model_sha256;
  // The sha256 of env.so, the environment (env.cpp compiled); none when the
  // project declares no environment.
  std::optional<std::string> environment_sha256;
};

// True when `dir` holds a manifest.json.
bool is_deploy_dir(const std::string& dir);

std::string manifest_to_json(const DeployManifest& manifest);
// `path` names the manifest in error messages.
Expected<DeployManifest> manifest_from_json(const std::string& text, const std::string& path);
Expected<DeployManifest> read_manifest(const std::string& path);
// Writes to a temporary file beside `path`, then renames it into place.
Error write_manifest(const DeployManifest& manifest, const std::string& path);

// The files of the deploy's modules/ ("modules/x.so", sorted) against the
// manifest: a module it names that is absent, or a *.so it does not name,
// is refused.
Error check_deploy_files(const DeployManifest& manifest, const std::vector<std::string>& files);
// A module's file against its manifest entry; checked before it is loaded.
Error check_deploy_hash(const ManifestModule& expected, const std::string& sha256);
// A loaded module's descriptor (ABI, revisions) against its manifest entry.
Error check_deploy_descriptor(const ManifestModule& expected, const ManifestModule& found);

// One module to put into a deploy: the built file and its entry (sha256 and
// file are filled in by write_deploy).
struct DeployModule {
  std::string built;
  ManifestModule entry;
};
// Writes DIR.tmp (modules/, model.so from `model` and env.so from
// `environment` unless they are empty, manifest.json), then puts it in place
// of `dir` in one rename, so a half-written deploy is never seen. An
// existing `dir` is replaced only if it is a deploy or empty.
Error write_deploy(const std::string& dir, std::vector<DeployModule> modules,
                   const std::string& model = {}, const std::string& environment = {});

// The deploy's model module, its sha256 checked against the manifest (before
// anything loads it); nullopt when the deploy at `dir` has no model.
Expected<std::optional<std::string>> deploy_model(const std::string& dir);
// The same for its environment module.
Expected<std::optional<std::string>> deploy_environment(const std::string& dir);

}  // namespace retort

#endif  // RETORT_DEPLOY_MANIFEST_HPP
