// Database URLs, the way SQLAlchemy writes them:
//
//   scheme[+driver]://[user[:password]@][host][:port]/database[?key=value&...]
//
// parse_url() splits one into its parts, percent-decoding the user name,
// password, database and query; redact() hides the password for printing.
// The password runs from the first ':' of the user info to the last '@', so
// an unencoded '@', '/' or '?' inside it is still treated as password (and
// so still redacted). No message produced here ever holds the password.
#ifndef RETORT_URL_HPP
#define RETORT_URL_HPP

#include <retort/dialect_error.hpp>

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

inline char lower_ascii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace detail

// The password as written in the URL (still percent-encoded), if it has one.
inline std::optional<std::string_view> find_password(std::string_view url) {
  const detail::UserInfo info = detail::find_user_info(url);
  if (info.password == std::string_view::npos) return std::nullopt;
  return url.substr(info.password, info.end - info.password);
}

// The URL with its password replaced by "***"; safe to print. Never fails.
inline std::string redact(std::string_view url) {
  const detail::UserInfo info = detail::find_user_info(url);
  if (info.password == std::string_view::npos) return std::string(url);
  std::string out(url.substr(0, info.password));
  out += "***";
  out += url.substr(info.end);
  return out;
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
    if (!ok) throw fail("the scheme holds the character '" + std::string(1, c) + "'");
    url.scheme += detail::lower_ascii(c);
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
      throw fail("port " + in_quotes(digits) + " is not a number from 1 to 65535");
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
