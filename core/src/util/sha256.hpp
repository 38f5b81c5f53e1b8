// SHA-256 (FIPS 180-4), to fingerprint the revision modules of a prebuilt
// deploy. Small and dependency-free; checked against the NIST vectors in
// tests/unit/deploy_manifest_test.cpp.
#ifndef RETORT_SHA256_HPP
#define RETORT_SHA256_HPP

#include <retort/error.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace retort {

class Sha256 {
 public:
  Sha256();
  void update(const void* data, size_t size);
  // The digest as 64 lower-case hex digits. Call once, after every update.
  std::string hex_digest();

 private:
  void compress(const uint8_t* block);

  std::array<uint32_t, 8> state_;
  std::array<uint8_t, 64> buffer_{};
  size_t buffered_ = 0;
  uint64_t length_ = 0;  // bytes hashed so far
};

std::string sha256_hex(std::string_view data);

// The SHA-256 of a file's contents, in hex.
Expected<std::string> sha256_file(const std::string& path);

}  // namespace retort

#endif  // RETORT_SHA256_HPP
