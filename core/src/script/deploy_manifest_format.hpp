// What the deploy manifest's writer and reader share (deploy_manifest.cpp,
// deploy_manifest_read.cpp).
#ifndef RETORT_DEPLOY_MANIFEST_FORMAT_HPP
#define RETORT_DEPLOY_MANIFEST_FORMAT_HPP

#include "script/deploy_manifest.hpp"

#include <optional>
#include <string>

namespace retort {

inline constexpr const char* kRebuildHint = "rebuild the deploy with 'retort build --deploy'";

// The modules a deploy may hold beside the revision modules: the manifest's
// key for each, its file and where its sha256 goes.
struct ManifestExtra {
  const char* key;
  const char* file;
  std::optional<std::string> DeployManifest::*sha256;
};
inline constexpr ManifestExtra kManifestExtras[] = {
    {"model", kDeployModelFile, &DeployManifest::model_sha256},
    {"environment", kDeployEnvironmentFile, &DeployManifest::environment_sha256},
};

}  // namespace retort

#endif  // RETORT_DEPLOY_MANIFEST_FORMAT_HPP
