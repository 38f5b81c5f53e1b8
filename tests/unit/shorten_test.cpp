// What an error message may quote of a value (sdk/include/retort/shorten.hpp):
// a few hundred bytes at most, on one line, never half a UTF-8 character.
#include <retort/shorten.hpp>

#include <catch2/catch.hpp>

#include <string>

using retort::shorten;

TEST_CASE("shorten keeps a short value as it is", "[shorten]") {
  CHECK(shorten("") == "");
  CHECK(shorten("sqlite:///app.db") == "sqlite:///app.db");
  CHECK(shorten(std::string(200, 'x')) == std::string(200, 'x'));
  CHECK(shorten("Größe 表 😀") == "Größe 表 😀");
}

TEST_CASE("shorten cuts a long value after 200 bytes with an ellipsis", "[shorten]") {
  CHECK(shorten(std::string(201, 'x')) == std::string(200, 'x') + "...");
  CHECK(shorten(std::string(10 << 20, 'x')) == std::string(200, 'x') + "...");
  CHECK(shorten("abcdef", 3) == "abc...");
}

TEST_CASE("shorten writes control characters as escapes, so a message stays one line",
          "[shorten]") {
  CHECK(shorten(std::string("a\nb\rc\0d\x7f", 8)) == "a\\x0ab\\x0dc\\x00d\\x7f");
  CHECK(shorten("tab\there") == "tab\\x09here");
  // An escape that does not fit is not cut in two.
  CHECK(shorten("ab\n", 4) == "ab...");
}

TEST_CASE("shorten never cuts a UTF-8 character in two", "[shorten]") {
  // "é" is two bytes, "表" three, "😀" four.
  CHECK(shorten("aé", 2) == "a...");
  CHECK(shorten("a表", 3) == "a...");
  CHECK(shorten("a😀b", 4) == "a...");
  CHECK(shorten("a😀b", 5) == "a😀...");
}
