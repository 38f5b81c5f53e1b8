// SHA-256, to fingerprint revision modules (deploys) and rendered revisions
// (checksums): a thin layer over Poco's SHA2Engine, checked against the NIST
// vectors in tests/unit/sha256_test.cpp.
#ifndef RETORT_SHA256_HPP
#define RETORT_SHA256_HPP

#include <retort/error.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace Poco {
class SHA2Engine;
}

namespace retort {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(const void* data, size_t size);
  // The digest as 64 lower-case hex digits. Call once, after every update.
  std::string hex_digest();

 private:
  std::unique_ptr<Poco::SHA2Engine> engine_;
};

std::string sha256_hex(std::string_view data);

// The SHA-256 of a file's contents, in hex.
Expected<std::string> sha256_file(const std::string& path);

}  // namespace retort

#endif  // RETORT_SHA256_HPP
