// Reading a deploy's manifest.json. The manifest of 10,000 revisions is a
// megabyte and a half, and every command in a deploy reads it: it is read
// as a stream of JSON events straight into a DeployManifest (a document
// tree of it took four times as long), then checked.
#include "script/deploy_manifest.hpp"
#include "script/deploy_manifest_format.hpp"

#include "util/file_io.hpp"

#include <retort/shorten.hpp>

#include <Poco/Exception.h>
#include <Poco/JSON/Handler.h>
#include <Poco/JSON/Parser.h>
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>
#include <stdexcept>
#include <string_view>

namespace retort {
namespace {

// What makes a manifest malformed, found while it is read.
struct Malformed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

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

// A module as read, before it is checked.
struct ReadModule {
  std::optional<std::string> file, sha256;
  std::optional<long long> abi_major, abi_minor;
  bool revisions = false;  // the array was there
  ManifestModule entry;
};

// The manifest's JSON events, each put where its place in the document
// says: `path_` holds the key of every open object or array ("" for an
// element of an array), `key_` the key of the value to come. What the
// manifest does not know is skipped (a later format's keys); a value of
// the wrong kind where the manifest expects one is refused.
class ManifestHandler : public Poco::JSON::Handler {
 public:
  std::optional<long long> format, abi_major, abi_minor;
  std::optional<std::string> retort_version;
  bool modules = false;  // the array was there
  std::vector<ReadModule> read;
  std::optional<std::string> extra_file[std::size(kManifestExtras)];
  std::optional<std::string> extra_sha256[std::size(kManifestExtras)];
  bool extra_seen[std::size(kManifestExtras)] = {};

  bool root_object() const { return root_; }

  void reset() override {}

  void startObject() override {
    if (path_.empty()) {
      root_ = true;
    } else if (at({"modules"})) {
      read.emplace_back();
    } else if (at({"modules", "", "revisions"})) {
      read.back().entry.revisions.emplace_back();
      id_ = downs_ = message_ = false;
    } else {
      refuse_in_lists();
      if (at({})) see_extra();
    }
    open(/*array=*/false);
  }
  void endObject() override {
    if (at({"modules", "", "revisions", ""})) {
      const ReadModule& m = read.back();
      const std::string which =
          fmt::format("revision {} of '{}'", m.entry.revisions.size() - 1, m.file.value_or("?"));
      if (!id_) throw Malformed(which + " has no 'id'");
      if (!downs_) throw Malformed(which + " has no array 'down_revisions'");
      if (!message_) read.back().entry.has_metadata = false;
    }
    close();
  }
  void startArray() override {
    if (path_.empty()) throw Malformed("not a JSON object");
    refuse_in_lists();
    if (at_key({}, "modules")) modules = true;
    if (at_key({"modules", ""}, "revisions")) read.back().revisions = true;
    if (at_key({"modules", "", "revisions", ""}, "down_revisions")) downs_ = true;
    open(/*array=*/true);
  }
  void endArray() override { close(); }
  void key(const std::string& k) override { key_ = k; }

  void null() override { other(); }
  void value(bool) override { other(); }
  void value(double) override { other(); }
  void value(int v) override { number(v); }
  void value(unsigned v) override { number(v); }
  void value(Poco::Int64 v) override { number(v); }
  void value(Poco::UInt64 v) override { number(static_cast<long long>(v)); }

  void value(const std::string& v) override {
    if (path_.empty()) throw Malformed("not a JSON object");
    if (at({"modules", "", "revisions", ""})) {
      ManifestRevision& r = read.back().entry.revisions.back();
      if (key_ == "id") {
        r.id = v;
        id_ = true;
      } else if (key_ == "message") {
        r.message = v;
        message_ = true;
      } else if (key_ == "create_date") {
        r.create_date = v;
      }
    } else if (auto* list = string_list()) {
      list->push_back(v);
    } else if (at_key({}, "retort_version")) {
      retort_version = v;
    } else if (at_key({"modules", ""}, "file")) {
      read.back().file = v;
    } else if (at_key({"modules", ""}, "sha256")) {
      read.back().sha256 = v;
    } else if (path_.size() == 2) {
      for (size_t i = 0; i < std::size(kManifestExtras); ++i) {
        if (path_[1] != kManifestExtras[i].key) continue;
        if (key_ == "file") extra_file[i] = v;
        if (key_ == "sha256") extra_sha256[i] = v;
      }
    } else {
      other();
    }
  }

 private:
  bool in_array() const { return !array_.empty() && array_.back(); }
  void open(bool array) {
    path_.push_back(in_array() ? "" : key_);
    array_.push_back(array);
    key_.clear();
  }
  void close() {
    path_.pop_back();
    array_.pop_back();
  }
  // True when the containers open below the root are `keys`.
  bool at(std::initializer_list<std::string_view> keys) const {
    if (path_.size() != keys.size() + 1) return false;
    size_t i = 1;
    for (std::string_view k : keys) {
      if (path_[i++] != k) return false;
    }
    return true;
  }
  bool at_key(std::initializer_list<std::string_view> keys, std::string_view k) const {
    return at(keys) && key_ == k;
  }
  // The revision's list being read, when a value goes into one.
  std::vector<std::string>* string_list() {
    if (!at({"modules", "", "revisions", "", path_.empty() ? "" : path_.back()})) return nullptr;
    ManifestRevision& r = read.back().entry.revisions.back();
    const std::string& list = path_.back();
    if (list == "down_revisions") return &r.down_revisions;
    if (list == "branch_labels") return &r.branch_labels;
    if (list == "depends_on") return &r.depends_on;
    return nullptr;
  }
  // Within the manifest's lists only what they hold may stand.
  void refuse_in_lists() {
    if (at({"modules"})) throw Malformed(fmt::format("module {} is not an object", read.size()));
    if (at({"modules", "", "revisions"})) {
      throw Malformed(fmt::format("revision {} of '{}' is not an object",
                                  read.back().entry.revisions.size(),
                                  read.back().file.value_or("?")));
    }
    if (string_list() != nullptr) {
      throw Malformed(fmt::format("'{}' of revision {} of '{}' holds something other than a string",
                                  path_.back(), read.back().entry.revisions.size() - 1,
                                  read.back().file.value_or("?")));
    }
  }
  void see_extra() {
    for (size_t i = 0; i < std::size(kManifestExtras); ++i) {
      if (key_ == kManifestExtras[i].key) extra_seen[i] = true;
    }
  }
  void number(long long v) {
    if (path_.empty()) throw Malformed("not a JSON object");
    if (at_key({}, "format")) {
      format = v;
    } else if (at_key({"abi"}, "major")) {
      abi_major = v;
    } else if (at_key({"abi"}, "minor")) {
      abi_minor = v;
    } else if (at_key({"modules", "", "abi"}, "major")) {
      read.back().abi_major = v;
    } else if (at_key({"modules", "", "abi"}, "minor")) {
      read.back().abi_minor = v;
    } else {
      other();
    }
  }
  // A value the manifest does not read: refused where a list or one of the
  // modules' or extras' objects must be, skipped elsewhere.
  void other() {
    if (path_.empty()) throw Malformed("not a JSON object");
    refuse_in_lists();
    if (at({})) {
      for (const ManifestExtra& extra : kManifestExtras) {
        if (key_ == extra.key) throw Malformed(fmt::format("the {} is not an object", extra.key));
      }
    }
  }

  std::vector<std::string> path_;
  std::vector<bool> array_;
  std::string key_;
  bool root_ = false;
  // What the revision being read has.
  bool id_ = false, downs_ = false, message_ = false;
};

uint16_t abi_number(const std::optional<long long>& n, const std::string& where) {
  if (!n) throw Malformed(fmt::format("no ABI number in {}", where));
  if (*n < 0 || *n > 0xffff) throw Malformed(fmt::format("ABI number {} out of range", *n));
  return static_cast<uint16_t>(*n);
}

}  // namespace

Expected<DeployManifest> manifest_from_json(const std::string& text, const std::string& path) {
  auto malformed = [&](const std::string& why) {
    return Error(ErrorCategory::kConfig,
                 fmt::format("deploy manifest '{}' is malformed: {}", path, shorten(why)),
                 kRebuildHint);
  };
  DeployManifest m;
  try {
    Poco::JSON::Handler::Ptr handler = new ManifestHandler;
    auto& h = static_cast<ManifestHandler&>(*handler);
    Poco::JSON::Parser parser(handler);
    parser.parse(text);
    if (!h.root_object()) return malformed("not a JSON object");
    if (!h.format) return malformed("no 'format'");
    m.format = static_cast<int>(*h.format);
    if (*h.format != kManifestFormat) {
      return Error(ErrorCategory::kConfig,
                   fmt::format("deploy manifest '{}' has format {}; this retort reads format {}",
                               path, *h.format, kManifestFormat),
                   kRebuildHint);
    }
    if (!h.retort_version) return malformed("no 'retort_version'");
    m.retort_version = *h.retort_version;
    m.abi_major = abi_number(h.abi_major, "'abi'");
    m.abi_minor = abi_number(h.abi_minor, "'abi'");
    if (!h.modules) return malformed("no array 'modules'");
    std::set<std::string> files;
    for (size_t i = 0; i < h.read.size(); ++i) {
      ReadModule& mod = h.read[i];
      if (!mod.file) return malformed(fmt::format("module {} has no 'file'", i));
      ManifestModule& entry = mod.entry;
      entry.file = *mod.file;
      if (!valid_module_file(entry.file)) {
        return malformed(
            fmt::format("module file '{}' is not 'modules/<name>.so'", shorten(entry.file)));
      }
      if (!files.insert(entry.file).second) {
        return malformed(fmt::format("module file '{}' is named twice", entry.file));
      }
      entry.sha256 = mod.sha256.value_or("");
      if (!valid_sha256(entry.sha256)) {
        return malformed(
            fmt::format("the sha256 of '{}' is not 64 lower-case hex digits", entry.file));
      }
      const std::string where = fmt::format("the 'abi' of '{}'", entry.file);
      entry.abi_major = abi_number(mod.abi_major, where);
      entry.abi_minor = abi_number(mod.abi_minor, where);
      if (!mod.revisions)
        return malformed(fmt::format("'{}' has no array 'revisions'", entry.file));
      m.modules.push_back(std::move(entry));
    }
    for (size_t i = 0; i < std::size(kManifestExtras); ++i) {
      const ManifestExtra& extra = kManifestExtras[i];
      if (!h.extra_seen[i]) continue;
      if (h.extra_file[i] != std::string(extra.file)) {
        return malformed(fmt::format("the {}'s file is not '{}'", extra.key, extra.file));
      }
      auto& sha = m.*extra.sha256;
      sha = h.extra_sha256[i].value_or("");
      if (!valid_sha256(*sha)) {
        return malformed(
            fmt::format("the sha256 of the {} is not 64 lower-case hex digits", extra.key));
      }
    }
  } catch (const Malformed& e) {
    return malformed(e.what());
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

}  // namespace retort
