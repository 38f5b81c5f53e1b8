#include "runtime/loaded_files.hpp"

#include <fmt/format.h>

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <fstream>

namespace retort {
namespace {

int64_t nanoseconds(const timespec& t) {
  return static_cast<int64_t>(t.tv_sec) * 1000000000 + static_cast<int64_t>(t.tv_nsec);
}

// One line of /proc/self/maps:
//   begin-end perms offset major:minor inode   path
// Fields are hex but the inode; the path runs to the end of the line.
bool parse_mapping(const std::string& line, uintptr_t& begin, uintptr_t& end, uint64_t& device,
                   uint64_t& inode, std::string& path) {
  const char* p = line.c_str();
  char* next = nullptr;
  begin = std::strtoull(p, &next, 16);
  if (*next != '-') return false;
  end = std::strtoull(next + 1, &next, 16);
  for (int field = 0; field < 2; ++field) {  // perms, offset
    while (*next == ' ') ++next;
    while (*next != ' ' && *next != '\0') ++next;
  }
  const unsigned long major_number = std::strtoul(next, &next, 16);
  if (*next != ':') return false;
  const unsigned long minor_number = std::strtoul(next + 1, &next, 16);
  device = makedev(major_number, minor_number);
  inode = std::strtoull(next, &next, 10);
  while (*next == ' ') ++next;
  path = next;
  return inode != 0 && !path.empty() && path[0] == '/';
}

}  // namespace

std::string FileIdentity::key() const {
  return fmt::format("{}\t{}\t{}\t{}\t{}", size, mtime_ns, ctime_ns, device, inode);
}

std::optional<FileIdentity> stat_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  FileIdentity id;
  id.path = path;
  id.device = static_cast<uint64_t>(st.st_dev);
  id.inode = static_cast<uint64_t>(st.st_ino);
  id.size = static_cast<uint64_t>(st.st_size);
  id.mtime_ns = nanoseconds(st.st_mtim);
  id.ctime_ns = nanoseconds(st.st_ctim);
  return id;
}

LoadedFiles LoadedFiles::read() {
  LoadedFiles out;
  std::ifstream in("/proc/self/maps");
  std::string line;
  while (std::getline(in, line)) {
    Mapping m;
    if (parse_mapping(line, m.begin, m.end, m.device, m.inode, m.path)) {
      out.mappings_.push_back(std::move(m));
    }
  }
  std::sort(out.mappings_.begin(), out.mappings_.end(),
            [](const Mapping& a, const Mapping& b) { return a.begin < b.begin; });
  return out;
}

// The same inode, on the same device; or, where the two report devices
// differently (overlayfs shows the layer's in maps), under the same path.
bool LoadedFiles::maps(const Mapping& m, const FileIdentity& file) const {
  if (m.inode != file.inode) return false;
  if (m.device == file.device) return true;
  char resolved[PATH_MAX];
  return ::realpath(file.path.c_str(), resolved) != nullptr && m.path == resolved;
}

const FileIdentity* LoadedFiles::at(const void* address) const {
  const auto a = reinterpret_cast<uintptr_t>(address);
  auto it = std::upper_bound(mappings_.begin(), mappings_.end(), a,
                             [](uintptr_t x, const Mapping& m) { return x < m.begin; });
  if (it == mappings_.begin()) return nullptr;
  const Mapping& m = *--it;
  if (a >= m.end) return nullptr;
  if (m.checked == nullptr) {
    auto [checked, fresh] = checked_.try_emplace(m.path);
    if (fresh) {
      auto file = stat_file(m.path);
      if (file && maps(m, *file)) checked->second = std::move(file);
    }
    m.checked = &checked->second;
  }
  return *m.checked ? &**m.checked : nullptr;
}

std::optional<FileIdentity> LoadedFiles::loaded(const std::string& path) const {
  auto file = stat_file(path);
  if (!file) return std::nullopt;
  for (const Mapping& m : mappings_) {
    if (maps(m, *file)) {
      file->path = m.path;
      return file;
    }
  }
  return std::nullopt;
}

}  // namespace retort
