// The prebuilt deploy's pieces: a file's SHA-256 (the NIST vectors are in
// sha256_test.cpp), the manifest's JSON written and read back, and each
// refusal's exact message.
#include "script/deploy_manifest.hpp"
#include "util/sha256.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace retort;

namespace {

// A manifest of two modules, one of them a merge, written out in full.
DeployManifest two_modules() {
  DeployManifest m;
  m.retort_version = "0.1.0";
  m.abi_major = 1;
  m.abi_minor = 1;
  m.modules.push_back(
      {"modules/aaaa0001_create_account.so", std::string(64, 'a'), 1, 1, {{"aaaa0001", {}}}});
  m.modules.push_back({"modules/pack.so",
                       std::string(64, '0'),
                       1,
                       0,
                       {{"b1", {"aaaa0001"}}, {"b2", {"aaaa0001"}}, {"m3", {"b1", "b2"}}}});
  return m;
}

struct TempDir {
  TempDir() {
    std::random_device rd;
    path = fs::temp_directory_path() / ("retort-manifest-" + std::to_string(rd()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path path;
};

}  // namespace

TEST_CASE("sha256 of a file is the sha256 of its bytes", "[deploy_manifest][sha256]") {
  TempDir dir;
  std::string bytes("abc\0\xff", 5);
  std::ofstream(dir.path / "f", std::ios::binary) << bytes;
  auto sha = sha256_file((dir.path / "f").string());
  REQUIRE(sha);
  CHECK(*sha == sha256_hex(bytes));
  CHECK_FALSE(sha256_file((dir.path / "absent").string()));
}

TEST_CASE("deploy manifest survives a write and a read", "[deploy_manifest]") {
  TempDir dir;
  const DeployManifest written = two_modules();
  const std::string path = (dir.path / kManifestFile).string();
  REQUIRE_FALSE(write_manifest(written, path));
  CHECK(is_deploy_dir(dir.path.string()));
  // Only the manifest is left: the temporary file was renamed.
  CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()) == 1);

  auto read = read_manifest(path);
  INFO(read.error().message());
  REQUIRE(read);
  CHECK(read->format == 1);
  CHECK(read->retort_version == "0.1.0");
  CHECK(read->abi_major == 1);
  CHECK(read->abi_minor == 1);
  REQUIRE(read->modules.size() == 2);
  for (size_t i = 0; i < 2; ++i) {
    CHECK(read->modules[i].file == written.modules[i].file);
    CHECK(read->modules[i].sha256 == written.modules[i].sha256);
    CHECK(read->modules[i].abi_major == written.modules[i].abi_major);
    CHECK(read->modules[i].abi_minor == written.modules[i].abi_minor);
    CHECK(read->modules[i].revisions == written.modules[i].revisions);
  }
  CHECK(manifest_to_json(*read) == manifest_to_json(written));
}

TEST_CASE("a manifest written before revision metadata is read as ids and parents only",
          "[deploy_manifest]") {
  const std::string sha(64, 'a');
  const std::string text =
      R"({"format":1,"retort_version":"0.1.0","abi":{"major":1,"minor":1},"modules":[)"
      R"({"file":"modules/a.so","sha256":")" +
      sha +
      R"(","abi":{"major":1,"minor":1},)"
      R"("revisions":[{"id":"a1","down_revisions":[]}]}]})";
  auto old = manifest_from_json(text, "d/manifest.json");
  INFO(old.error().message());
  REQUIRE(old);
  REQUIRE(old->modules.size() == 1);
  CHECK_FALSE(old->modules[0].has_metadata);
  // The module's descriptor carries a message the old manifest never had.
  ManifestModule found = old->modules[0];
  found.revisions[0].message = "create a";
  CHECK_FALSE(check_deploy_descriptor(old->modules[0], found));
  // A manifest with the metadata compares it.
  ManifestModule described = old->modules[0];
  described.has_metadata = true;
  CHECK(check_deploy_descriptor(described, found));
}

TEST_CASE("deploy manifest refuses what it cannot trust", "[deploy_manifest]") {
  auto refusal = [](const std::string& text) {
    auto m = manifest_from_json(text, "d/manifest.json");
    REQUIRE_FALSE(m);
    return m.error().message();
  };
  CHECK(refusal("{\"format\": 2}") ==
        "deploy manifest 'd/manifest.json' has format 2; this retort reads format 1");
  CHECK_THAT(refusal("not json"),
             Catch::StartsWith("deploy manifest 'd/manifest.json' is malformed: "));
  std::string json = manifest_to_json(two_modules());
  std::string escaping = json;
  escaping.replace(escaping.find("modules/pack.so"), 15, "modules/../x.so");
  CHECK(refusal(escaping) ==
        "deploy manifest 'd/manifest.json' is malformed: module file 'modules/../x.so' is not "
        "'modules/<name>.so'");
  std::string short_sha = json;
  short_sha.replace(short_sha.find(std::string(64, '0')), 64, "00");
  CHECK(refusal(short_sha) ==
        "deploy manifest 'd/manifest.json' is malformed: the sha256 of 'modules/pack.so' is not 64 "
        "lower-case hex digits");
}

TEST_CASE("deploy manifest refuses a module file name holding a NUL or another control character",
          "[deploy_manifest]") {
  auto refusal = [](const std::string& text) {
    auto m = manifest_from_json(text, "d/manifest.json");
    REQUIRE_FALSE(m);
    return m.error().message();
  };
  // What the fuzzer found: "modules/a\u0000.so" names modules/a for every
  // system call.
  const std::string nul =
      R"({"format":1,"retort_version":"0.1.0","abi":{"major":1,"minor":2},"modules":[)"
      R"({"file":"modules/a\u0000.so","sha256":")" +
      std::string(64, '4') + R"(","abi":{"major":1,"minor":2},"revisions":[]}]})";
  CHECK(refusal(nul) ==
        "deploy manifest 'd/manifest.json' is malformed: module file 'modules/a\\x00.so' is not "
        "'modules/<name>.so'");
  std::string json = manifest_to_json(two_modules());
  for (const char* name :
       {"modules/pa\\nck.so", "modules/pa\\u001bck.so", "modules/pack\\u007f.so"}) {
    std::string control = json;
    control.replace(control.find("modules/pack.so"), 15, name);
    INFO(name);
    CHECK_THAT(refusal(control),
               Catch::StartsWith("deploy manifest 'd/manifest.json' is malformed: module file "
                                 "'modules/pa") &&
                   Catch::EndsWith("' is not 'modules/<name>.so'"));
  }
}

TEST_CASE("deploy files must be exactly the manifest's modules", "[deploy_manifest]") {
  const DeployManifest m = two_modules();
  CHECK_FALSE(check_deploy_files(m, {"modules/aaaa0001_create_account.so", "modules/pack.so"}));

  Error missing = check_deploy_files(m, {"modules/pack.so"});
  CHECK(missing.message() ==
        "module 'modules/aaaa0001_create_account.so' named in the deploy manifest is missing");
  CHECK(missing.hint() == "rebuild the deploy with 'retort build --deploy'");

  Error extra = check_deploy_files(
      m, {"modules/aaaa0001_create_account.so", "modules/other.so", "modules/pack.so"});
  CHECK(extra.message() == "module 'modules/other.so' is not in the deploy manifest");
}

TEST_CASE("a deploy module that differs from its manifest entry is named with what differs",
          "[deploy_manifest]") {
  const ManifestModule expected = two_modules().modules[1];
  CHECK_FALSE(check_deploy_hash(expected, std::string(64, '0')));
  Error hash = check_deploy_hash(expected, std::string(64, '1'));
  CHECK(hash.message() ==
        "module 'modules/pack.so' does not match the deploy manifest: sha256 differs");
  CHECK(hash.hint() == "rebuild the deploy with 'retort build --deploy'");

  ManifestModule found = expected;
  CHECK_FALSE(check_deploy_descriptor(expected, found));
  found.abi_minor = 1;
  CHECK(check_deploy_descriptor(expected, found).message() ==
        "module 'modules/pack.so' does not match the deploy manifest: its descriptor declares ABI "
        "1.1, the manifest 1.0");
  found = expected;
  found.revisions.pop_back();
  CHECK(check_deploy_descriptor(expected, found).message() ==
        "module 'modules/pack.so' does not match the deploy manifest: it holds revisions "
        "b1 (aaaa0001), b2 (aaaa0001), the manifest b1 (aaaa0001), b2 (aaaa0001), m3 (b1 b2)");
}

TEST_CASE("write_deploy replaces a deploy whole and refuses a folder that is not one",
          "[deploy_manifest]") {
  TempDir dir;
  const fs::path built = dir.path / "built.so";
  std::ofstream(built, std::ios::binary) << "module bytes";
  DeployModule module{built.string(), {"", "", 1, 1, {{"aaaa0001", {}}}}};
  const fs::path deploy = dir.path / "deploy";

  REQUIRE_FALSE(write_deploy(deploy.string(), {module}));
  auto first = read_manifest((deploy / kManifestFile).string());
  REQUIRE(first);
  REQUIRE(first->modules.size() == 1);
  CHECK(first->modules[0].file == "modules/built.so");
  CHECK(first->modules[0].sha256 == sha256_hex("module bytes"));
  CHECK_FALSE(fs::exists(dir.path / "deploy.tmp"));

  // A stray file in the old deploy does not survive the new one.
  std::ofstream(deploy / "modules" / "stray.so") << "x";
  REQUIRE_FALSE(write_deploy(deploy.string(), {module}));
  CHECK_FALSE(fs::exists(deploy / "modules" / "stray.so"));
  CHECK(fs::exists(deploy / "modules" / "built.so"));

  const fs::path other = dir.path / "other";
  fs::create_directories(other);
  std::ofstream(other / "keep.txt") << "mine";
  Error refused = write_deploy(other.string(), {module});
  CHECK(refused.message() ==
        "'" + other.string() + "' exists and is not a deploy; refusing to replace it");
  CHECK(fs::exists(other / "keep.txt"));
}

TEST_CASE("a deploy carries the model as model.so checked against its sha256 before use",
          "[deploy_manifest]") {
  TempDir dir;
  const fs::path built = dir.path / "built.so";
  std::ofstream(built, std::ios::binary) << "module bytes";
  const fs::path model = dir.path / "model_unit.so";
  std::ofstream(model, std::ios::binary) << "model bytes";
  DeployModule module{built.string(), {"", "", 1, 1, {{"aaaa0001", {}}}}};
  const fs::path deploy = dir.path / "deploy";

  REQUIRE_FALSE(write_deploy(deploy.string(), {module}, model.string()));
  auto manifest = read_manifest((deploy / kManifestFile).string());
  INFO(manifest.error().message());
  REQUIRE(manifest);
  CHECK(manifest->model_sha256 == sha256_hex("model bytes"));
  CHECK_THAT(manifest_to_json(*manifest), Catch::EndsWith(",\"model\":{\"file\":\"model.so\","
                                                          "\"sha256\":\"" +
                                                          sha256_hex("model bytes") + "\"}}\n"));
  auto found = deploy_model(deploy.string());
  REQUIRE(found);
  CHECK(*found == (deploy / "model.so").string());

  std::ofstream(deploy / "model.so", std::ios::binary) << "other bytes";
  auto changed = deploy_model(deploy.string());
  REQUIRE_FALSE(changed);
  CHECK(changed.error().message() ==
        "module 'model.so' does not match the deploy manifest: sha256 differs");

  // Without a model: none, and the manifest says nothing of one.
  REQUIRE_FALSE(write_deploy(deploy.string(), {module}));
  auto none = deploy_model(deploy.string());
  REQUIRE(none);
  CHECK_FALSE(*none);
  auto plain = read_manifest((deploy / kManifestFile).string());
  REQUIRE(plain);
  CHECK_FALSE(plain->model_sha256);
  CHECK(manifest_to_json(*plain).find("\"model\"") == std::string::npos);
}

TEST_CASE("a deploy carries the environment as env.so checked against its sha256 before use",
          "[deploy_manifest]") {
  TempDir dir;
  const fs::path built = dir.path / "built.so";
  std::ofstream(built, std::ios::binary) << "module bytes";
  const fs::path env = dir.path / "env_unit.so";
  std::ofstream(env, std::ios::binary) << "env bytes";
  DeployModule module{built.string(), {"", "", 1, 1, {{"aaaa0001", {}}}}};
  const fs::path deploy = dir.path / "deploy";

  REQUIRE_FALSE(write_deploy(deploy.string(), {module}, "", env.string()));
  auto manifest = read_manifest((deploy / kManifestFile).string());
  INFO(manifest.error().message());
  REQUIRE(manifest);
  CHECK(manifest->environment_sha256 == sha256_hex("env bytes"));
  CHECK_FALSE(manifest->model_sha256);
  CHECK_THAT(manifest_to_json(*manifest),
             Catch::EndsWith(",\"environment\":{\"file\":\"env.so\",\"sha256\":\"" +
                             sha256_hex("env bytes") + "\"}}\n"));
  auto found = deploy_environment(deploy.string());
  REQUIRE(found);
  CHECK(*found == (deploy / "env.so").string());

  std::ofstream(deploy / "env.so", std::ios::binary) << "other bytes";
  auto changed = deploy_environment(deploy.string());
  REQUIRE_FALSE(changed);
  CHECK(changed.error().message() ==
        "module 'env.so' does not match the deploy manifest: sha256 differs");

  SECTION("a manifest that names another file for it is malformed") {
    std::string text = manifest_to_json(*manifest);
    text.replace(text.find("\"env.so\""), 8, "\"x.so\"");
    auto bad = manifest_from_json(text, "manifest.json");
    REQUIRE_FALSE(bad);
    CHECK_THAT(bad.error().message(), Catch::EndsWith("the environment's file is not 'env.so'"));
  }
}

// The manifest is read as a stream of events, not as a document: what it
// must hold is still required, in the kind it must be, and what a later
// format adds is skipped.
TEST_CASE("deploy manifest requires each revision's id and parents and skips keys it does not know",
          "[deploy_manifest]") {
  auto refusal = [](const std::string& text) {
    auto m = manifest_from_json(text, "d/manifest.json");
    REQUIRE_FALSE(m);
    return m.error().message();
  };
  const std::string json = manifest_to_json(two_modules());
  const std::string prefix = "deploy manifest 'd/manifest.json' is malformed: ";
  auto replaced = [&json](const std::string& what, const std::string& with) {
    std::string out = json;
    const size_t at = out.find(what);
    REQUIRE(at != std::string::npos);
    return out.replace(at, what.size(), with);
  };
  CHECK_THAT(refusal(replaced("\"down_revisions\"", "\"parents\"")),
             Catch::StartsWith(prefix + "revision 0 of '") &&
                 Catch::EndsWith("' has no array 'down_revisions'"));
  CHECK_THAT(refusal(replaced("\"id\"", "\"name\"")),
             Catch::StartsWith(prefix + "revision 0 of '") && Catch::EndsWith("' has no 'id'"));
  CHECK_THAT(refusal(replaced("\"down_revisions\":[", "\"down_revisions\":[7,")),
             Catch::EndsWith("holds something other than a string"));
  CHECK_THAT(
      refusal(replaced("\"revisions\":[", "\"revisions\":[\"x\",")),
      Catch::StartsWith(prefix + "revision 0 of '") && Catch::EndsWith("' is not an object"));
  CHECK(refusal(replaced("\"modules\":[", "\"modules\":[1,")) ==
        prefix + "module 0 is not an object");
  CHECK(refusal("[1]") == prefix + "not a JSON object");
  CHECK(refusal(replaced("\"format\":1", "\"format\":1,\"model\":\"model.so\"")) ==
        prefix + "the model is not an object");

  // Keys of a later format, anywhere, change nothing.
  std::string later =
      replaced("\"format\":1", "\"format\":1,\"signed_by\":{\"keys\":[{\"k\":[1]}]}");
  const size_t id = later.find("\"id\"");
  later.insert(id, "\"tags\":[{\"x\":null}],");
  auto read = manifest_from_json(later, "d/manifest.json");
  INFO(read.error().message());
  REQUIRE(read);
  CHECK(manifest_to_json(*read) == json);
}
