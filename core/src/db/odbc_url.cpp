#include "db/odbc_url.hpp"

#include <retort/dialect_error.hpp>
#include <retort/url.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <string_view>

namespace retort {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

Expected<Url> parse(const std::string& url) {
  try {
    return parse_url(url);
  } catch (const DialectError& e) {
    return Error(ErrorCategory::kConfig,
                 fmt::format("database URL '{}' is malformed: {}", redact(url), e.what()),
                 "fix the url in the config file");
  }
}

// Replaces the value of every PWD= or Password= attribute of a connection
// string, braced or not.
std::string redact_connection_string(std::string text) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(';', start);
    if (end == std::string::npos) end = text.size();
    const size_t eq = text.find('=', start);
    if (eq != std::string::npos && eq < end) {
      std::string key = text.substr(start, eq - start);
      key.erase(0, key.find_first_not_of(' '));
      key.erase(key.find_last_not_of(' ') + 1);
      if (iequals(key, "pwd") || iequals(key, "password")) {
        size_t value_end = end;
        if (eq + 1 < text.size() && text[eq + 1] == '{') {
          // A braced value runs to the first '}' not doubled.
          size_t i = eq + 2;
          while (i < text.size()) {
            if (text[i] == '}' && (i + 1 >= text.size() || text[i + 1] != '}')) break;
            i += text[i] == '}' ? 2 : 1;
          }
          value_end = std::min(text.size(), i + 1);
        }
        text.replace(eq + 1, value_end - eq - 1, "***");
        end = text.find(';', eq + 1);
        if (end == std::string::npos) end = text.size();
      }
    }
    start = end + 1;
  }
  return text;
}

}  // namespace

Expected<std::string> dialect_scheme(const std::string& url, const std::string& scheme) {
  if (scheme != "odbc") return scheme;
  auto parsed = parse(url);
  if (!parsed) return parsed.take_error();
  std::optional<std::string> dialect = parsed->query_value("dialect");
  if (!dialect || dialect->empty()) {
    return Error(ErrorCategory::kConfig,
                 fmt::format("database URL '{}' does not say which dialect to use",
                             redact_odbc_url(url)),
                 "add ?dialect=<name>, e.g. odbc://MyDsn?dialect=postgresql");
  }
  std::string lower = *dialect;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

std::optional<Expected<std::string>> direct_connection_string(const std::string& url) {
  auto parsed = parse(url);
  if (!parsed) {
    if (url.rfind("odbc:", 0) == 0 || url.find("odbc_connect=") != std::string::npos) {
      return Expected<std::string>(parsed.take_error());
    }
    return std::nullopt;  // the dialect reports its own URL errors
  }
  if (std::optional<std::string> raw = parsed->query_value("odbc_connect")) {
    if (raw->empty()) {
      return Expected<std::string>(
          Error(ErrorCategory::kConfig,
                fmt::format("database URL '{}' has an empty odbc_connect", redact_odbc_url(url)),
                "percent-encode the whole ODBC connection string after odbc_connect="));
    }
    return Expected<std::string>(*raw);
  }
  if (parsed->scheme != "odbc") return std::nullopt;
  if (parsed->host.empty()) {
    return Expected<std::string>(Error(
        ErrorCategory::kConfig,
        fmt::format("database URL '{}' names no DSN and no odbc_connect", redact_odbc_url(url)),
        "write odbc://user:password@DSN?dialect=<name> or odbc:///?odbc_connect=..."));
  }
  try {
    std::string out = "DSN=" + odbc_value(parsed->host);
    if (parsed->username) out += ";UID=" + odbc_value(*parsed->username);
    if (parsed->password) out += ";PWD=" + odbc_value(*parsed->password);
    for (const auto& [key, value] : parsed->query) {
      if (key == "dialect") continue;
      out += ";" + key + "=" + odbc_value(value);
    }
    return Expected<std::string>(std::move(out));
  } catch (const DialectError& e) {
    return Expected<std::string>(Error(
        ErrorCategory::kConfig,
        fmt::format("database URL '{}' is malformed: {}", redact_odbc_url(url), e.what())));
  }
}

std::string redact_odbc_url(const std::string& url) {
  std::string out = redact(url);
  const size_t key = out.find("odbc_connect=");
  if (key == std::string::npos) return out;
  const size_t start = key + std::string_view("odbc_connect=").size();
  size_t end = out.find('&', start);
  if (end == std::string::npos) end = out.size();
  std::string value = out.substr(start, end - start);
  try {
    value = redact_connection_string(percent_decode(value, "odbc_connect", url));
  } catch (const DialectError&) {
    value = "***";
  }
  return out.substr(0, start) + value + out.substr(end);
}

}  // namespace retort
