// Whole files, read at once and replaced at once: the build's state, the
// caches and the deploy manifest are written this way, so that a reader in
// another process sees the old file or the new one, never part of one.
#ifndef RETORT_FILE_IO_HPP
#define RETORT_FILE_IO_HPP

#include <retort/error.hpp>

#include <string>
#include <string_view>

namespace retort {

// The bytes of `path`, or an error naming it.
Expected<std::string> read_file(const std::string& path);

// Replaces `path` by a file holding `text`: written beside it under a name
// no other thread or process uses, then renamed over it. On failure the
// temporary file is gone and `path` is as it was; the error names the file
// and the reason.
Error write_file_atomically(const std::string& path, std::string_view text);

// A file mapped read-only, read in place rather than copied; empty when it
// cannot be (missing, empty or unreadable).
class MappedFile {
 public:
  explicit MappedFile(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::string_view view() const { return {data_, size_}; }

 private:
  const char* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace retort

#endif  // RETORT_FILE_IO_HPP
