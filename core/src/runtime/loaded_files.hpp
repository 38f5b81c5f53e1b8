// Which file the code at an address was loaded from, and that file's
// identity on disk: what the checksum cache (checksum_cache.hpp) keys on.
//
// The file is the one the process has mapped at the address
// (/proc/self/maps), and its identity is stat(2) of that path. Both must
// name the same inode: a file replaced after it was loaded (a module
// rebuilt and renamed into place, as module_builder.hpp does) is no longer
// the code that runs, and has no identity. Where /proc/self/maps cannot be
// read, nothing has one.
#ifndef RETORT_LOADED_FILES_HPP
#define RETORT_LOADED_FILES_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace retort {

struct FileIdentity {
  std::string path;  // absolute, as the kernel names the mapping
  uint64_t device = 0;
  uint64_t inode = 0;
  uint64_t size = 0;
  int64_t mtime_ns = 0;  // since the epoch
  int64_t ctime_ns = 0;  // the last change of contents or metadata; cannot be set back

  // "size mtime ctime device inode", tab-separated. Two files with equal
  // keys are, as far as the file system can tell, the same unchanged file.
  std::string key() const;
};

// The identity `path` has now; nullopt if it cannot be stat'ed.
std::optional<FileIdentity> stat_file(const std::string& path);

class LoadedFiles {
 public:
  // The file mappings of the process as they are now.
  static LoadedFiles read();

  // The file mapped at `address`, if it is still the file at its path;
  // else nullptr. The pointer lives as long as this object.
  const FileIdentity* at(const void* address) const;
  // The identity of `path`, if that very file is mapped in the process.
  std::optional<FileIdentity> loaded(const std::string& path) const;

 private:
  struct Mapping {
    uintptr_t begin = 0;
    uintptr_t end = 0;
    uint64_t device = 0;  // as stat's st_dev
    uint64_t inode = 0;
    std::string path;
    // Its entry in checked_, once looked up.
    mutable const std::optional<FileIdentity>* checked = nullptr;
  };
  bool maps(const Mapping& m, const FileIdentity& file) const;

  std::vector<Mapping> mappings_;  // file-backed ones, by address
  // stat of each mapped path, taken once; nullopt: replaced or gone.
  mutable std::unordered_map<std::string, std::optional<FileIdentity>> checked_;
};

}  // namespace retort

#endif  // RETORT_LOADED_FILES_HPP
