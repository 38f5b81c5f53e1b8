// SHA-256 as util/sha256 computes it over Poco's SHA2Engine: the NIST
// vectors (FIPS 180-2, appendix B), and the same digest however the bytes
// are fed in.
#include "util/sha256.hpp"

#include <catch2/catch.hpp>

#include <string>

using retort::Sha256;
using retort::sha256_hex;

TEST_CASE("sha256 matches the NIST vectors", "[sha256]") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  Sha256 million;
  const std::string chunk(1000, 'a');
  for (int i = 0; i < 1000; ++i) million.update(chunk.data(), chunk.size());
  CHECK(million.hex_digest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256 gives the same digest whatever the update sizes", "[sha256]") {
  // 55, 56 and 64 bytes sit on the padding's edges.
  for (size_t n : {55u, 56u, 63u, 64u, 65u, 127u, 128u, 1000u}) {
    std::string text(n, 'x');
    for (size_t i = 0; i < n; ++i) text[i] = static_cast<char>('a' + i % 26);
    Sha256 bytewise;
    for (char c : text) bytewise.update(&c, 1);
    INFO(n);
    CHECK(bytewise.hex_digest() == sha256_hex(text));
  }
}
