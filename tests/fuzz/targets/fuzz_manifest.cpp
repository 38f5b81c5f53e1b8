// fuzz_manifest: reading a deploy's manifest.json (core/src/script/
// deploy_manifest.cpp, manifest_from_json).
//
// The input is the manifest's text. Checks:
//   - an accepted manifest names each module as "modules/<name>.so", with no
//     control byte, no '/' in the name and no name starting with '.', at
//     most once, with a sha256 of 64 lower-case hex digits;
//   - written again (manifest_to_json) it reads back the same, and the
//     files it names pass check_deploy_files;
//   - every error and hint is one line of bounded length.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"
#include "script/deploy_manifest.hpp"

namespace {

using retort_fuzz::check;

const std::string kPath = "deploy/manifest.json";

void check_module(const retort::ManifestModule& m) {
  const std::string_view file = m.file;
  check(file.starts_with("modules/") && file.ends_with(".so"), "a module file not modules/*.so",
        file);
  const std::string_view name = file.substr(8);
  check(name.size() > 3 && name[0] != '.' && name.find('/') == std::string_view::npos,
        "a module file name that leaves modules/", file);
  for (char c : file) {
    const auto u = static_cast<unsigned char>(c);
    check(u >= 0x20 && u != 0x7f, "a module file name holds a control byte", file);
  }
  check(
      m.sha256.size() == 64 && m.sha256.find_first_not_of("0123456789abcdef") == std::string::npos,
      "a sha256 that is not 64 lower-case hex digits", m.sha256);
}

bool same(const retort::DeployManifest& a, const retort::DeployManifest& b) {
  if (a.format != b.format || a.retort_version != b.retort_version || a.abi_major != b.abi_major ||
      a.abi_minor != b.abi_minor || a.modules.size() != b.modules.size()) {
    return false;
  }
  for (size_t i = 0; i < a.modules.size(); ++i) {
    const retort::ManifestModule& x = a.modules[i];
    const retort::ManifestModule& y = b.modules[i];
    if (x.file != y.file || x.sha256 != y.sha256 || x.abi_major != y.abi_major ||
        x.abi_minor != y.abi_minor || x.revisions != y.revisions) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(retort_fuzz::as_text(data, size));
  auto manifest = retort::manifest_from_json(text, kPath);
  if (!manifest) {
    retort_fuzz::check_message(manifest.error().message(), "manifest_from_json");
    retort_fuzz::check_message(manifest.error().hint(), "manifest_from_json");
    return 0;
  }
  std::set<std::string> files;
  for (const retort::ManifestModule& m : manifest->modules) {
    check_module(m);
    check(files.insert(m.file).second, "a module file named twice", m.file);
  }

  const std::string json = retort::manifest_to_json(*manifest);
  auto again = retort::manifest_from_json(json, kPath);
  check(static_cast<bool>(again), "a manifest written again cannot be read",
        again ? json : again.error().message());
  check(same(*manifest, *again), "a manifest written again reads differently", json);

  const std::vector<std::string> listed(files.begin(), files.end());
  const retort::Error err = retort::check_deploy_files(*manifest, listed);
  check(!err, "check_deploy_files refuses the files the manifest names", err.message());
  return 0;
}
