// Database URLs, the way SQLAlchemy writes them:
//
//   scheme[+driver]://[user[:password]@][host][:port]/database[?key=value&...]
//
// parse_url() splits one into its parts, percent-decoding the user name,
// password, database and query; redact() hides the passwords for printing.
// The password runs from the first ':' of the user info to the last '@', so
// an unencoded '@', '/' or '?' inside it is still treated as password (and
// so still redacted). No message produced here ever holds a password, nor
// more than kShortenLimit bytes of the URL.
#ifndef RETORT_URL_HPP
#define RETORT_URL_HPP

#include <retort/dialect_error.hpp>
#include <retort/shorten.hpp>
#include <retort/text.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace retort {
inline namespace abi1 {

struct Url {
  // Lower case, without the "+driver" suffix: "postgresql".
  std::string scheme;
  // What followed '+', e.g. "odbc"; empty when none.
  std::string driver;
  std::optional<std::string> username;
  // Never put it in a message.
  std::optional<std::string> password;
  // Without the brackets of an IPv6 address; empty when none.
  std::string host;
  std::optional<uint16_t> port;
  // Empty when none. sqlite:////abs.db gives "/abs.db", sqlite:///rel.db "rel.db".
  std::string database;
  // In the URL's order; a key without '=' has an empty value.
  std::vector<std::pair<std::string, std::string>> query;

  // The value of the first query parameter named `key`, if any.
  std::optional<std::string> query_value(std::string_view key) const {
    for (const auto& [k, v] : query) {
      if (k == key) return v;
    }
    return std::nullopt;
  }
};

namespace detail {

// Where the user info of a URL lies. Positions index into the URL.
struct UserInfo {
  bool present = false;
  size_t begin = 0;                          // first character after "://"
  size_t end = 0;                            // the '@' closing the user info
  size_t password = std::string_view::npos;  // first character of the password
};

// Without "://" the whole text is searched and the user name may hold
// anything but ':' and '@', so that even a malformed URL has its password
// found (at worst, too much is taken for the password).
inline UserInfo find_user_info(std::string_view url) {
  UserInfo info;
  const size_t sep = url.find("://");
  info.begin = sep == std::string_view::npos ? 0 : sep + 3;
  const size_t name_end =
      url.find_first_of(sep == std::string_view::npos ? ":@" : ":/?@", info.begin);
  if (name_end == std::string_view::npos) return info;
  if (url[name_end] == '@') {
    info.present = true;
    info.end = name_end;
    return info;
  }
  if (url[name_end] != ':') return info;
  const size_t at = url.rfind('@');
  if (at == std::string_view::npos || at < name_end) return info;  // host:port
  info.present = true;
  info.end = at;
  info.password = name_end + 1;
  return info;
}

inline int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace detail

// The password as written in the URL (still percent-encoded), if it has one.
inline std::optional<std::string_view> find_password(std::string_view url) {
  const detail::UserInfo info = detail::find_user_info(url);
  if (info.password == std::string_view::npos) return std::nullopt;
  return url.substr(info.password, info.end - info.password);
}

namespace detail {

// Does `text` hold `word` at `pos`, ignoring ASCII case?
inline bool has_at(std::string_view text, size_t pos, std::string_view word) {
  if (pos > text.size() || text.size() - pos < word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (lower_ascii(text[pos + i]) != lower_ascii(word[i])) return false;
  }
  return true;
}

// Where an attribute value that starts at `pos` ends: a braced one ({...},
// '}' doubled inside) after its closing brace, another at the first ';' or
// '&'. With `encoded`, the braces and ';' may also be written %7B, %7D, %3B.
inline size_t attribute_value_end(std::string_view text, size_t pos, bool encoded) {
  const std::string_view open = encoded && has_at(text, pos, "%7b") ? "%7b" : "{";
  const std::string_view close = open.size() == 1 ? "}" : "%7d";
  if (has_at(text, pos, open)) {
    size_t i = pos + open.size();
    while (i < text.size()) {
      if (!has_at(text, i, close)) {
        ++i;
        continue;
      }
      if (!has_at(text, i + close.size(), close)) return i + close.size();
      i += 2 * close.size();  // a doubled brace
    }
    return text.size();
  }
  for (size_t i = pos; i < text.size(); ++i) {
    if (text[i] == ';' || text[i] == '&' || (encoded && has_at(text, i, "%3b"))) return i;
  }
  return text.size();
}

// `text` with the value of every PWD= or Password= attribute (an ODBC
// connection string's, or a URL query parameter's) replaced by "***",
// whether written plain (PWD=x;) or percent-encoded (PWD%3Dx%3B).
inline std::string redact_attributes(std::string_view text) {
  std::string out;
  size_t copied = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    // An attribute starts the text or follows a separator ('=' for the
    // first attribute of a parameter's value).
    const bool starts =
        i == 0 || std::string_view(";&?={ \t").find(text[i - 1]) != std::string_view::npos ||
        (i >= 3 &&
         (has_at(text, i - 3, "%3b") || has_at(text, i - 3, "%26") || has_at(text, i - 3, "%20")));
    if (!starts) continue;
    size_t key_end = has_at(text, i, "password") ? i + 8 : has_at(text, i, "pwd") ? i + 3 : 0;
    if (key_end == 0) continue;
    while (key_end < text.size() && text[key_end] == ' ') ++key_end;
    const bool encoded = has_at(text, key_end, "%3d");
    if (!encoded && (key_end >= text.size() || text[key_end] != '=')) continue;
    size_t value = key_end + (encoded ? 3 : 1);
    while (value < text.size() && text[value] == ' ') ++value;
    const size_t end = attribute_value_end(text, value, encoded);
    out.append(text.substr(copied, value - copied));
    out += "***";
    copied = end;
    i = end > 0 ? end - 1 : 0;
  }
  out.append(text.substr(std::min(copied, text.size())));
  return out;
}

}  // namespace detail

// The URL with every password it holds replaced by "***"; safe to print.
// The one redaction for anything that may hold a password: a URL's user
// info; PWD= and Password= in an odbc_connect value (shown decoded) or any
// other query parameter; a bare ODBC connection string. Never fails, and
// works on malformed text too. Long values: quote shorten(redact(url)).
inline std::string redact(std::string_view url) {
  const detail::UserInfo info = detail::find_user_info(url);
  std::string out;
  if (info.password == std::string_view::npos) {
    out = url;
  } else {
    out = url.substr(0, info.password);
    out += "***";
    out += url.substr(info.end);
  }
  // An odbc_connect value is shown decoded, when it decodes.
  constexpr std::string_view kOdbcConnect = "odbc_connect=";
  for (size_t key = 0; (key = out.find(kOdbcConnect, key)) != std::string::npos;) {
    const size_t start = key + kOdbcConnect.size();
    const size_t end = std::min(out.find('&', start), out.size());
    std::string decoded;
    bool valid = true;
    for (size_t i = start; i < end && valid; ++i) {
      if (out[i] != '%') {
        decoded += out[i];
        continue;
      }
      const int hi = i + 2 < end ? detail::hex_digit(out[i + 1]) : -1;
      const int lo = hi >= 0 ? detail::hex_digit(out[i + 2]) : -1;
      valid = lo >= 0;
      decoded += static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    if (valid) {
      decoded = detail::redact_attributes(decoded);
      out.replace(start, end - start, decoded);
      key = start + decoded.size();
    } else {
      key = end;
    }
  }
  return detail::redact_attributes(out);
}

// A decoded part of a URL (a database, host, user name, option key or value)
// quoted for a message: a decoded part can hold "PWD=..." that was %-encoded
// in the URL, so every PWD= or Password= value in it is hidden first.
inline std::string in_quotes_redacted(std::string_view part) {
  return in_quotes(detail::redact_attributes(part));
}

// Decodes %XX escapes. `part` names what is decoded, for the message.
inline std::string percent_decode(std::string_view text, std::string_view part,
                                  std::string_view url) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    const int hi = i + 2 < text.size() ? detail::hex_digit(text[i + 1]) : -1;
    const int lo = hi >= 0 ? detail::hex_digit(text[i + 2]) : -1;
    if (lo < 0) {
      throw DialectError::invalid("invalid URL " + in_quotes(redact(url)) +
                                  ": invalid percent-escape in the " + std::string(part));
    }
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

namespace detail {

// key=value&key2=value2.
inline void parse_query(std::string_view query, std::string_view url, Url& out) {
  while (!query.empty()) {
    const size_t end = std::min(query.find('&'), query.size());
    const std::string_view item = query.substr(0, end);
    query.remove_prefix(std::min(end + 1, query.size()));
    if (item.empty()) continue;
    const size_t eq = item.find('=');
    std::string key = percent_decode(item.substr(0, eq), "query", url);
    std::string value;
    if (eq != std::string_view::npos) value = percent_decode(item.substr(eq + 1), "query", url);
    out.query.emplace_back(std::move(key), std::move(value));
  }
}

}  // namespace detail

// Splits a URL into its parts. Throws DialectError (RETORT_INVALID) with a
// message that shows the URL redacted.
inline Url parse_url(std::string_view text) {
  auto fail = [&](const std::string& reason) {
    return DialectError::invalid("invalid URL " + in_quotes(redact(text)) + ": " + reason);
  };
  const size_t sep = text.find("://");
  if (sep == std::string_view::npos) throw fail("expected scheme://...");
  const std::string_view scheme = text.substr(0, sep);
  if (scheme.empty() ||
      !((scheme[0] >= 'a' && scheme[0] <= 'z') || (scheme[0] >= 'A' && scheme[0] <= 'Z'))) {
    throw fail("the scheme must start with a letter");
  }
  Url url;
  for (char c : scheme) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '+' || c == '.' || c == '-';
    if (!ok) throw fail("the scheme holds the character " + in_quotes({&c, 1}));
    url.scheme += lower_ascii(c);
  }
  if (const size_t plus = url.scheme.find('+'); plus != std::string::npos) {
    url.driver = url.scheme.substr(plus + 1);
    url.scheme.erase(plus);
  }

  const detail::UserInfo info = detail::find_user_info(text);
  size_t pos = sep + 3;
  if (info.present) {
    const bool has_password = info.password != std::string_view::npos;
    const size_t name_end = has_password ? info.password - 1 : info.end;
    url.username = percent_decode(text.substr(pos, name_end - pos), "user name", text);
    if (has_password) {
      url.password =
          percent_decode(text.substr(info.password, info.end - info.password), "password", text);
    }
    pos = info.end + 1;
  }

  if (pos < text.size() && text[pos] == '[') {
    const size_t close = text.find(']', pos);
    if (close == std::string_view::npos) throw fail("the IPv6 host has no closing ']'");
    url.host = std::string(text.substr(pos + 1, close - pos - 1));
    pos = close + 1;
  } else {
    const size_t host_end = std::min(text.find_first_of(":/?", pos), text.size());
    url.host = std::string(text.substr(pos, host_end - pos));
    pos = host_end;
  }

  if (pos < text.size() && text[pos] == ':') {
    const size_t port_end = std::min(text.find_first_of("/?", pos), text.size());
    const std::string_view digits = text.substr(pos + 1, port_end - pos - 1);
    unsigned long value = 0;
    bool ok = !digits.empty() && digits.size() <= 5;
    for (char c : digits) {
      ok = ok && c >= '0' && c <= '9';
      if (ok) value = value * 10 + static_cast<unsigned long>(c - '0');
    }
    if (!ok || value == 0 || value > 65535) {
      // Quoted only when it is digits: what follows a ':' may be a password
      // that redact() does not recognise there (host:1433;PWD=...).
      const bool all_digits =
          std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
      throw fail(all_digits && !digits.empty()
                     ? "port " + in_quotes(digits) + " is not a number from 1 to 65535"
                     : std::string("the port is not a number from 1 to 65535"));
    }
    url.port = static_cast<uint16_t>(value);
    pos = port_end;
  }
  if (pos < text.size() && text[pos] != '/' && text[pos] != '?') {
    throw fail("unexpected " + in_quotes(text.substr(pos, 1)) + " after the host");
  }

  const size_t query_start = std::min(text.find('?', pos), text.size());
  if (pos < query_start) {  // text[pos] == '/'
    url.database = percent_decode(text.substr(pos + 1, query_start - pos - 1), "database", text);
  }
  if (query_start < text.size()) detail::parse_query(text.substr(query_start + 1), text, url);
  return url;
}

// An ODBC connection-string attribute value, braced when the ODBC rules ask
// for it: it holds ';', '{' or '}', or starts or ends with a space. Inside the
// braces '}' is doubled. Not every driver reads braces (SQLite's does not).
// Dialects write connection strings with ConnectionString
// (connection_string.hpp), which also decides how credentials are written.
inline std::string odbc_value(std::string_view value) {
  if (value.find('\0') != std::string_view::npos) {
    throw DialectError::invalid("a connection-string value cannot hold a NUL character");
  }
  const bool plain = value.find_first_of(";{}") == std::string_view::npos &&
                     (value.empty() || (value.front() != ' ' && value.back() != ' '));
  if (plain) return std::string(value);
  std::string out = "{";
  for (char c : value) {
    out += c;
    if (c == '}') out += '}';
  }
  out += '}';
  return out;
}

}  // namespace abi1
}  // namespace retort

#endif  // RETORT_URL_HPP
