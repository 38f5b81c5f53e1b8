// The SDK's ASCII helpers (sdk/include/retort/text.hpp), which dialects use
// for URL options, keywords and names.
#include <retort/text.hpp>

#include <catch2/catch.hpp>

TEST_CASE("lower_ascii folds A to Z and leaves every other byte alone", "[text]") {
  CHECK(retort::lower_ascii("SELECT Ä_1 [Z]") == "select Ä_1 [z]");
  CHECK(retort::lower_ascii('Q') == 'q');
  CHECK(retort::lower_ascii('@') == '@');
}

TEST_CASE("equals_ignoring_case compares whole texts but for the case of A to Z", "[text]") {
  CHECK(retort::equals_ignoring_case("TDS_Version", "tds_version"));
  CHECK_FALSE(retort::equals_ignoring_case("Timeout", "Timeouts"));
  CHECK_FALSE(retort::equals_ignoring_case("Ä", "ä"));
}

TEST_CASE("is_word takes letters digits and underscores and nothing empty", "[text]") {
  CHECK(retort::is_word("TDS_Version_7"));
  CHECK_FALSE(retort::is_word(""));
  CHECK_FALSE(retort::is_word("a-b"));
  CHECK_FALSE(retort::is_word("naïve"));
  CHECK_FALSE(retort::is_word("a b"));
}
