// The escaping of values in the line-based caches' fields, which the source
// metadata cache and the checksum cache share.
#include "util/field_escape.hpp"

#include <catch2/catch.hpp>

using retort::append_escaped;
using retort::Spaces;
using retort::unescaped;

TEST_CASE("an escaped field holds no tab newline or carriage return and reads back as it was",
          "[field_escape]") {
  const std::string value = "a\tb\nc\rd\\e f";
  std::string kept;
  append_escaped(kept, value);
  CHECK(kept == "a\\tb\\nc\\rd\\\\e f");
  std::string escaped;
  append_escaped(escaped, value, Spaces::kEscaped);
  CHECK(escaped == "a\\tb\\nc\\rd\\\\e\\sf");
  CHECK(unescaped(kept) == value);
  CHECK(unescaped(escaped) == value);
  CHECK(unescaped("plain") == "plain");
}

TEST_CASE("a field with an escape no writer makes or a lone final backslash is damaged",
          "[field_escape]") {
  CHECK_FALSE(unescaped("a\\x"));
  CHECK_FALSE(unescaped("a\\"));
  CHECK_FALSE(unescaped("\\"));
}
