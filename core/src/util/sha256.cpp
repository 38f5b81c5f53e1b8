#include "util/sha256.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>
#include <fmt/format.h>

#include <fstream>

namespace retort {

Sha256::Sha256() : engine_(std::make_unique<Poco::SHA2Engine>(Poco::SHA2Engine::SHA_256)) {}
Sha256::~Sha256() = default;

void Sha256::update(const void* data, size_t size) { engine_->update(data, size); }

std::string Sha256::hex_digest() { return Poco::DigestEngine::digestToHex(engine_->digest()); }

std::string sha256_hex(std::string_view data) {
  Sha256 sha;
  sha.update(data.data(), data.size());
  return sha.hex_digest();
}

Expected<std::string> sha256_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorCategory::kIo, fmt::format("cannot read '{}'", path));
  Sha256 sha;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    sha.update(buffer, static_cast<size_t>(in.gcount()));
  }
  if (in.bad()) return Error(ErrorCategory::kIo, fmt::format("cannot read '{}'", path));
  return sha.hex_digest();
}

}  // namespace retort
