// fuzz_url: database URLs and their redaction (sdk/include/retort/url.hpp,
// core/src/db/database_url.cpp).
//
// The input is one URL. It is parsed, redacted, quoted as messages quote it,
// turned into an ODBC connection string when it names one directly, and its
// parts are written as connection-string values. Checks:
//   - every message and every redacted or quoted form is one line of bounded
//     length; DatabaseUrl's redacted() is as short as shorten() promises;
//   - when the input plants kSecret as a password (fuzz_support.hpp), nothing
//     that may be printed shows it;
//   - a parsed URL has a lower-case scheme and a port from 1 to 65535;
//   - odbc_value() reads back to the value it was given.
#include <retort/dialect_error.hpp>
#include <retort/shorten.hpp>
#include <retort/url.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "db/database_url.hpp"
#include "fuzz_support.hpp"

namespace {

using retort_fuzz::check;
using retort_fuzz::check_message;

// An ODBC attribute value as odbc_value() writes it, read back: {...} with
// '}' doubled, or the value as it stands.
void check_odbc_value(std::string_view value) {
  std::string written;
  try {
    written = retort::odbc_value(value);
  } catch (const retort::DialectError& e) {
    check(value.find('\0') != std::string_view::npos, "odbc_value refused a value without NUL",
          e.what());
    check_message(e.what(), "odbc_value");
    return;
  }
  if (written.empty() || written.front() != '{') {
    check(written == value, "odbc_value changed a plain value", written);
    check(written.find_first_of(";{}") == std::string::npos, "odbc_value left ;{} unbraced",
          written);
    return;
  }
  check(written.size() >= 2 && written.back() == '}', "odbc_value: no closing brace", written);
  std::string read;
  for (size_t i = 1; i + 1 < written.size(); ++i) {
    read += written[i];
    if (written[i] != '}') continue;
    check(i + 2 < written.size() && written[i + 1] == '}', "odbc_value: a lone '}' inside braces",
          written);
    ++i;
  }
  check(read == value, "odbc_value does not read back", written);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string url(retort_fuzz::as_text(data, size));
  const bool secret = retort_fuzz::holds_secret_once(url) && retort_fuzz::secret_is_password(url);
  std::vector<std::string> shown;  // everything here that a message may quote

  const std::string redacted = retort::redact(url);
  shown.push_back(redacted);
  // shorten() with other limits, cut anywhere.
  const size_t limit = size == 0 ? 0 : data[0] % 64;
  retort_fuzz::check_shortened(retort::shorten(url, limit), limit, "shorten");

  try {
    const retort::Url parsed = retort::parse_url(url);
    for (char c : parsed.scheme) {
      check(!(c >= 'A' && c <= 'Z'), "parse_url: the scheme is not lower case", parsed.scheme);
    }
    check(!parsed.port || *parsed.port != 0, "parse_url: port 0 accepted", url);
    check_odbc_value(parsed.host);
    check_odbc_value(parsed.database);
    if (parsed.username) check_odbc_value(*parsed.username);
    if (parsed.password) check_odbc_value(*parsed.password);
    for (const auto& [key, value] : parsed.query) check_odbc_value(value);
  } catch (const retort::DialectError& e) {
    shown.push_back(e.what());
  }

  // As the host reads it, and as it reads the same URL as an odbc:// one.
  std::vector<std::string> texts{url};
  if (const size_t sep = url.find("://"); sep != std::string::npos) {
    texts.push_back("odbc" + url.substr(sep));
  }
  for (const std::string& text : texts) {
    auto db = retort::DatabaseUrl::parse(text);
    if (!db) {
      shown.push_back(db.error().message());
      shown.push_back(db.error().hint());
      continue;
    }
    retort_fuzz::check_shortened(db->redacted(), retort::kShortenLimit, "DatabaseUrl::redacted");
    shown.push_back(db->redacted());
    if (const auto& direct = db->direct_connection_string(); direct && !*direct) {
      shown.push_back(direct->error().message());
      shown.push_back(direct->error().hint());
    }
  }

  for (size_t i = 0; i < shown.size(); ++i) {
    // The full redaction (shown[0]) is as long as the URL: only messages
    // are bounded.
    if (i > 0) check_message(shown[i], "url");
    if (secret) retort_fuzz::check_no_secret(shown[i], "url");
  }
  return 0;
}
