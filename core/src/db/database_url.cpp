#include "db/database_url.hpp"

#include <retort/connection_string.hpp>
#include <retort/dialect_error.hpp>
#include <retort/shorten.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <string_view>

namespace retort {
namespace {

// "postgresql" from "PostgreSQL+odbc://...". Empty when there is no "://"
// or the scheme is not letters, digits, '.' and '-' (it becomes a file name).
std::string scheme_of(const std::string& url) {
  const size_t sep = url.find("://");
  if (sep == std::string::npos) return {};
  std::string scheme = url.substr(0, std::min(sep, url.find('+')));
  for (char& c : scheme) {
    const auto u = static_cast<unsigned char>(c);
    if (!std::isalnum(u) && c != '.' && c != '-') return {};
    c = static_cast<char>(std::tolower(u));
  }
  if (scheme.empty() || !std::isalpha(static_cast<unsigned char>(scheme[0]))) return {};
  return scheme;
}

Error malformed(const std::string& shown, const std::string& why, std::string hint = {}) {
  return Error(ErrorCategory::kConfig,
               fmt::format("database URL '{}' is malformed: {}", shown, why), std::move(hint));
}

// The connection string of an odbc:// or ?odbc_connect= URL; nullopt for any
// other URL, which its dialect turns into one.
std::optional<Expected<std::string>> direct(const std::string& text, const std::optional<Url>& url,
                                            const std::string& parse_error,
                                            const std::string& shown) {
  if (!url) {
    if (text.rfind("odbc:", 0) == 0 || text.find("odbc_connect=") != std::string::npos) {
      return Expected<std::string>(malformed(shown, parse_error, "fix the url in the config file"));
    }
    return std::nullopt;  // the dialect reports its own URL errors
  }
  if (std::optional<std::string> raw = url->query_value("odbc_connect")) {
    if (raw->empty()) {
      return Expected<std::string>(Error(
          ErrorCategory::kConfig, fmt::format("database URL '{}' has an empty odbc_connect", shown),
          "percent-encode the whole ODBC connection string after odbc_connect="));
    }
    return Expected<std::string>(*raw);
  }
  if (url->scheme != "odbc") return std::nullopt;
  if (url->host.empty()) {
    return Expected<std::string>(
        Error(ErrorCategory::kConfig,
              fmt::format("database URL '{}' names no DSN and no odbc_connect", shown),
              "write odbc://user:password@DSN?dialect=<name> or odbc:///?odbc_connect=..."));
  }
  try {
    // The driver behind a DSN is not known: the password is braced, as for
    // every dialect, and the user name only where ODBC's rules require it.
    ConnectionString out;
    out.add("DSN", url->host);
    out.add_credentials(*url, {.user_key = "UID", .password_key = "PWD", .user = Braces::kUnknown});
    for (const auto& [key, value] : url->query) {
      if (key == "dialect") continue;
      out.add(key, value);
    }
    return Expected<std::string>(out.str());
  } catch (const DialectError& e) {
    return Expected<std::string>(malformed(shown, e.what()));
  }
}

}  // namespace

Expected<DatabaseUrl> DatabaseUrl::parse(std::string text) {
  DatabaseUrl out;
  out.text_ = std::move(text);
  const std::string& url = out.text_;
  out.redacted_ = shorten(redact(url));
  out.shown_ = out.redacted_;
  out.scheme_ = scheme_of(url);
  if (out.scheme_.empty()) {
    return Error(ErrorCategory::kConfig,
                 fmt::format("database URL '{}' has no valid scheme", out.redacted_),
                 "write it as scheme://..., e.g. sqlite:///app.db");
  }
  std::string parse_error;
  try {
    out.parts_ = parse_url(url);
  } catch (const DialectError& e) {
    parse_error = e.what();
  }
  if (const std::optional<std::string_view> raw = find_password(url); raw && !raw->empty()) {
    out.secrets_.emplace_back(*raw);
    try {
      out.secrets_.push_back(percent_decode(*raw, "password", url));
    } catch (const DialectError&) {
      // Not decodable: the raw form is all there is.
    }
  }
  out.direct_ = direct(url, out.parts_, parse_error, out.redacted_);

  out.dialect_scheme_ = out.scheme_;
  if (out.scheme_ != "odbc") return out;
  if (!out.parts_) return malformed(out.redacted_, parse_error, "fix the url in the config file");
  std::optional<std::string> dialect = out.parts_->query_value("dialect");
  if (!dialect || dialect->empty()) {
    return Error(ErrorCategory::kConfig,
                 fmt::format("database URL '{}' does not say which dialect to use", out.redacted_),
                 "add ?dialect=<name>, e.g. odbc://MyDsn?dialect=postgresql");
  }
  out.dialect_scheme_ = *dialect;
  for (char& c : out.dialect_scheme_) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace retort
