#include "runtime/checksum_cache.hpp"

#include <retort/log.hpp>

#include "runtime/loaded_files.hpp"
#include "util/field_escape.hpp"
#include "util/file_io.hpp"
#include "util/sha256.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <unordered_map>

namespace fs = std::filesystem;

namespace retort {
namespace {

constexpr std::string_view kMagic = "retort checksum cache 1";
constexpr std::string_view kKey = "key\t";
constexpr std::string_view kEnd = "end";
constexpr std::string_view kChecksumPrefix = "v1:sha256:";
constexpr auto kTimestampSlack = std::chrono::seconds(2);

// When the host's code was loaded: every module and dialect it loads comes
// after.
const std::chrono::system_clock::time_point kStarted = std::chrono::system_clock::now();

// Any function of the host will do: its address lies in the host's file.
void host_anchor() {}

int64_t nanoseconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

bool settled(const FileIdentity& file, const ChecksumCacheOptions& options) {
  const int64_t before = nanoseconds(options.settled_before);
  return file.ctime_ns < before && file.mtime_ns < before;
}

// Names, ids and paths sit between tabs, one a line.
bool fits_a_field(std::string_view s) {
  return s.find_first_of("\t\n\r") == std::string_view::npos;
}

bool is_checksum(std::string_view s) {
  if (s.size() != kChecksumPrefix.size() + 64 ||
      s.substr(0, kChecksumPrefix.size()) != kChecksumPrefix) {
    return false;
  }
  return std::all_of(s.begin() + kChecksumPrefix.size(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// "<id>\t<count>\t<checksum>" or "<id>\t-\t<reason>", for revision `id`.
std::optional<CachedPlan::Entry> parse_entry(std::string_view line, std::string_view id) {
  if (line.size() <= id.size() || line.substr(0, id.size()) != id || line[id.size()] != '\t') {
    return std::nullopt;
  }
  line.remove_prefix(id.size() + 1);
  const size_t tab = line.find('\t');
  if (tab == std::string_view::npos) return std::nullopt;
  const std::string_view count = line.substr(0, tab);
  const std::string_view rest = line.substr(tab + 1);
  CachedPlan::Entry r;
  if (count == "-") {
    auto reason = unescaped(rest);
    if (!reason) return std::nullopt;
    r.reason = std::move(*reason);
    return r;
  }
  auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), r.statements);
  if (ec != std::errc() || end != count.data() + count.size() || !is_checksum(rest)) {
    return std::nullopt;
  }
  r.checksum = rest;
  return r;
}

// Real paths of files, resolving each directory once: the modules of a
// plan are a hundred files in one or two directories.
class RealPaths {
 public:
  std::optional<std::string> of(std::string_view file) {
    std::error_code ec;
    const fs::path path(file);
    const fs::path name = path.filename();
    const auto status = fs::symlink_status(path, ec);
    if (ec || fs::is_symlink(status) || name.empty() || name == "." || name == "..") {
      fs::path real = fs::canonical(path, ec);
      return ec ? std::nullopt : std::optional<std::string>(real.string());
    }
    const std::string dir = path.parent_path().string();
    auto [it, fresh] = dirs_.try_emplace(dir);
    if (fresh) {
      fs::path real = fs::canonical(dir.empty() ? fs::path(".") : fs::path(dir), ec);
      if (!ec) it->second = real.string();
    }
    if (!it->second) return std::nullopt;
    return (fs::path(*it->second) / name).string();
  }

 private:
  std::unordered_map<std::string, std::optional<std::string>> dirs_;
};

}  // namespace

std::chrono::system_clock::time_point ChecksumCacheOptions::default_settled_before() {
  return kStarted - kTimestampSlack;
}

ChecksumCache::ChecksumCache(const Dialect& dialect, const std::vector<PlannedRevision>& plan,
                             const ChecksumCacheOptions& options) {
  if (plan.empty()) return;
  auto loaded = std::make_unique<LoadedFiles>(LoadedFiles::read());
  std::unique_ptr<LoadedFiles> first_read;  // kept: `keyed` points into it
  auto file_at = [&](const void* address) -> const FileIdentity* {
    const FileIdentity* file = loaded->at(address);
    if (file != nullptr || first_read) return file;
    // Loaded since the maps were read.
    first_read = std::move(loaded);
    loaded = std::make_unique<LoadedFiles>(LoadedFiles::read());
    return loaded->at(address);
  };
  const FileIdentity* host = file_at(reinterpret_cast<const void*>(&host_anchor));
  auto plugin = dialect.path().empty() ? std::nullopt : loaded->loaded(dialect.path());
  std::vector<Keyed> keyed;
  keyed.reserve(plan.size());
  for (const PlannedRevision& r : plan) {
    const retort_revision& m = *r.module;
    // The code that renders and the revision it renders: one file.
    const FileIdentity* code =
        m.upgrade != nullptr ? file_at(reinterpret_cast<const void*>(m.upgrade)) : nullptr;
    const FileIdentity* data = m.id != nullptr ? file_at(m.id) : nullptr;
    keyed.push_back({r.id, data == code ? code : nullptr});
  }
  key_on(dialect, host, plugin, keyed, options);
}

ChecksumCache::ChecksumCache(const Dialect& dialect, const std::vector<PlannedFile>& plan,
                             const ChecksumCacheOptions& options) {
  if (plan.empty()) return;
  const LoadedFiles loaded = LoadedFiles::read();
  const FileIdentity* host = loaded.at(reinterpret_cast<const void*>(&host_anchor));
  auto plugin = dialect.path().empty() ? std::nullopt : loaded.loaded(dialect.path());
  // A module is named as the kernel names a mapped file, by its real path,
  // and two names of one file are one module.
  std::unordered_map<std::string, std::optional<FileIdentity>> by_real_path;
  std::unordered_map<std::string_view, const FileIdentity*> by_name;
  RealPaths real_paths;
  std::vector<Keyed> keyed;
  keyed.reserve(plan.size());
  std::optional<std::pair<std::string_view, const FileIdentity*>> last;  // most revisions share
  for (const PlannedFile& r : plan) {
    if (!last || last->first != r.module_file) {
      auto [it, fresh] = by_name.try_emplace(r.module_file, nullptr);
      if (fresh) {
        if (auto real = real_paths.of(r.module_file)) {
          auto [file, first] = by_real_path.try_emplace(*real);
          if (first) file->second = stat_file(*real);
          it->second = file->second ? &*file->second : nullptr;
        }
      }
      last.emplace(r.module_file, it->second);
    }
    keyed.push_back({r.id, last->second});
  }
  key_on(dialect, host, plugin, keyed, options);
}

void ChecksumCache::key_on(const Dialect& dialect, const FileIdentity* host,
                           const std::optional<FileIdentity>& plugin,
                           const std::vector<Keyed>& plan, const ChecksumCacheOptions& options) {
  if (host == nullptr || !plugin || !settled(*host, options) || !settled(*plugin, options) ||
      !fits_a_field(host->path) || !fits_a_field(plugin->path) || !fits_a_field(dialect.name()) ||
      !fits_a_field(dialect.version())) {
    log(LogLevel::kDebug, fmt::format("checksums of dialect '{}' are not cached: the host or the "
                                      "plugin cannot be identified, or changed too recently",
                                      dialect.name()));
    return;
  }
  std::string keyed =
      fmt::format("{}\nhost\t{}\t{}\ndialect\t{}\t{}\t{}.{}\t{}\t{}\n", kMagic, host->path,
                  host->key(), dialect.name(), dialect.version(), dialect.abi_major(),
                  dialect.abi_minor(), plugin->path, plugin->key());
  std::string sequence;
  std::unordered_map<const FileIdentity*, size_t> modules;
  const FileIdentity* first = nullptr;
  for (const Keyed& r : plan) {
    const FileIdentity* code = r.file;
    if (code == nullptr || !fits_a_field(r.id) || !fits_a_field(code->path)) {
      log(LogLevel::kDebug, fmt::format("checksums are not cached: the module of revision '{}' "
                                        "cannot be identified",
                                        r.id));
      ids_.clear();
      return;
    }
    auto [it, fresh] = modules.try_emplace(code, modules.size());
    if (fresh) {
      if (!settled(*code, options)) {
        log(LogLevel::kDebug,
            fmt::format("checksums are not cached: '{}' changed too recently", code->path));
        ids_.clear();
        return;
      }
      keyed += fmt::format("module\t{}\t{}\t{}\n", it->second, code->path, code->key());
    }
    if (first == nullptr) first = code;
    sequence.append(r.id);
    sequence += '\t';
    sequence += std::to_string(it->second);
    sequence += '\n';
    ids_.push_back(r.id);
  }
  keyed += sequence;
  key_ = sha256_hex(keyed);
  path_ = file_name(fs::path(first->path).parent_path().string(), dialect.name());
}

std::string ChecksumCache::file_name(const std::string& dir, const std::string& dialect_name) {
  std::string name = ".retort-checksums-";
  for (char c : dialect_name) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '_' || c == '-' || c == '.';
    name += plain ? c : '_';
  }
  return (fs::path(dir) / name).string();
}

bool ChecksumCache::exists_in(const std::vector<std::string>& dirs,
                              const std::string& dialect_name) {
  std::error_code ec;
  return std::any_of(dirs.begin(), dirs.end(), [&](const std::string& dir) {
    return fs::exists(file_name(dir, dialect_name), ec);
  });
}

std::optional<CachedPlan> ChecksumCache::read() const {
  if (!usable()) return std::nullopt;
  std::ifstream in(path_, std::ios::binary | std::ios::ate);
  const std::streamoff size = in ? static_cast<std::streamoff>(in.tellg()) : -1;
  if (size <= 0) return std::nullopt;
  auto text = std::make_unique<std::string>(static_cast<size_t>(size), '\0');
  if (!in.seekg(0) || !in.read(text->data(), size)) return std::nullopt;
  CachedPlan out;
  std::string_view rest(*text);
  out.text = std::move(text);
  // The next line, without its newline; nullopt at the end or on a line cut short.
  auto next_line = [&]() -> std::optional<std::string_view> {
    const size_t eol = rest.find('\n');
    if (eol == std::string_view::npos) return std::nullopt;
    std::string_view line = rest.substr(0, eol);
    rest.remove_prefix(eol + 1);
    return line;
  };
  auto magic = next_line();
  auto key = next_line();
  if (!magic || *magic != kMagic || !key || key->substr(0, kKey.size()) != kKey ||
      key->substr(kKey.size()) != key_) {
    return std::nullopt;
  }
  out.entries.reserve(ids_.size());
  for (std::string_view id : ids_) {
    auto line = next_line();
    if (!line) return std::nullopt;
    auto entry = parse_entry(*line, id);
    if (!entry) return std::nullopt;
    out.entries.push_back(std::move(*entry));
  }
  auto end = next_line();
  if (!end || *end != kEnd || !rest.empty()) return std::nullopt;
  return out;
}

void ChecksumCache::write(const std::vector<CachedRendering>& renderings) const {
  if (!usable() || renderings.size() != ids_.size()) return;
  std::string text = fmt::format("{}\n{}{}\n", kMagic, kKey, key_);
  text.reserve(text.size() + renderings.size() * 96);
  for (size_t i = 0; i < renderings.size(); ++i) {
    const CachedRendering& r = renderings[i];
    text.append(ids_[i]);
    text += '\t';
    if (r.checksum) {
      text += std::to_string(r.statements);
      text += '\t';
      text += *r.checksum;
    } else {
      text += "-\t";
      append_escaped(text, r.reason);
    }
    text += '\n';
  }
  text.append(kEnd);
  text += '\n';
  if (auto err = write_file_atomically(path_, text)) log(LogLevel::kDebug, err.message());
}

}  // namespace retort
