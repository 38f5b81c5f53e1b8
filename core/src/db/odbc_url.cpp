#include "db/odbc_url.hpp"

#include <retort/connection_string.hpp>
#include <retort/dialect_error.hpp>
#include <retort/shorten.hpp>
#include <retort/url.hpp>

#include <fmt/format.h>

#include <cctype>
#include <string_view>

namespace retort {
namespace {

Expected<Url> parse(const std::string& url) {
  try {
    return parse_url(url);
  } catch (const DialectError& e) {
    return Error(ErrorCategory::kConfig,
                 fmt::format("database URL '{}' is malformed: {}", redact_odbc_url(url), e.what()),
                 "fix the url in the config file");
  }
}

}  // namespace

Expected<std::string> dialect_scheme(const std::string& url, const std::string& scheme) {
  if (scheme != "odbc") return scheme;
  auto parsed = parse(url);
  if (!parsed) return parsed.take_error();
  std::optional<std::string> dialect = parsed->query_value("dialect");
  if (!dialect || dialect->empty()) {
    return Error(
        ErrorCategory::kConfig,
        fmt::format("database URL '{}' does not say which dialect to use", redact_odbc_url(url)),
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
    // The driver behind a DSN is not known: the password is braced, as for
    // every dialect, and the user name only where ODBC's rules require it.
    ConnectionString out;
    out.add("DSN", parsed->host);
    out.add_credentials(*parsed,
                        {.user_key = "UID", .password_key = "PWD", .user = Braces::kUnknown});
    for (const auto& [key, value] : parsed->query) {
      if (key == "dialect") continue;
      out.add(key, value);
    }
    return Expected<std::string>(out.str());
  } catch (const DialectError& e) {
    return Expected<std::string>(
        Error(ErrorCategory::kConfig,
              fmt::format("database URL '{}' is malformed: {}", redact_odbc_url(url), e.what())));
  }
}

std::string redact_odbc_url(const std::string& url) { return shorten(redact(url)); }

}  // namespace retort
