// ODBC connection strings, written one way by every dialect:
//
//   retort::ConnectionString out("PostgreSQL Unicode");
//   out.add_plain("Server", url.host, "host").add("Port", "5432");
//   out.add_credentials(url, {.user = retort::Braces::kKept});
//   return out.str();
//
// Drivers differ in how they read a value, and these were checked:
// - psqlODBC 13 URL-decodes a Pwd that is not braced ("%2B" becomes '+', '+'
//   a space) and reads {braces} only in Pwd: Uid={u} logs in as "{u}", and
//   Server and Database keep their braces too.
// - MariaDB Connector/ODBC 3.1 decodes nothing and reads braces in every
//   value, "}}" as '}'.
// - FreeTDS 1.3 reads braces in every value but not "}}": the value ends at
//   the first '}' followed by ';' or the end (1.4 reads "}}" as ODBC says).
// - The SQLite3 driver reads no braces at all.
// So the user name and password go through add_credentials alone: the
// password is always braced, whatever it holds, and the user name too unless
// the driver keeps braces (Braces::kKept), when it is written as it is.
#ifndef RETORT_CONNECTION_STRING_HPP
#define RETORT_CONNECTION_STRING_HPP

#include <retort/dialect_error.hpp>
#include <retort/shorten.hpp>
#include <retort/text.hpp>
#include <retort/url.hpp>

#include <span>
#include <string>
#include <string_view>

namespace retort {
inline namespace abi1 {

// A value in braces, whatever it holds, '}' doubled inside: ODBC's quoting,
// which keeps a driver from reading anything else into the value.
inline std::string odbc_braced(std::string_view value) {
  if (value.find('\0') != std::string_view::npos) {
    throw DialectError::invalid("a connection-string value cannot hold a NUL character");
  }
  std::string out = "{";
  for (char c : value) {
    out += c;
    if (c == '}') out += '}';
  }
  out += '}';
  return out;
}

// How a driver reads a value written in braces.
enum class Braces {
  kRead,     // as ODBC says: the braces removed, "}}" read as '}'
  kKept,     // as written, braces and all (psqlODBC's Uid, the SQLite3 driver)
  kUnknown,  // the driver is not known (a DSN's): braced only where ODBC requires it
};

// Where add_credentials writes the URL's user name and password.
struct Credentials {
  std::string_view user_key = "Uid";
  std::string_view password_key = "Pwd";
  Braces user = Braces::kRead;
};

// Refuses a URL whose scheme is none of `schemes`, the dialect's
// kUrlSchemes ({"mysql", "mariadb", nullptr}): the host sends a dialect only
// the URLs of its schemes, so this guards a caller that does not.
inline void require_scheme(const Url& url, const char* const* schemes) {
  std::string names;
  for (const char* const* scheme = schemes; *scheme != nullptr; ++scheme) {
    if (url.scheme == *scheme) return;
    names += (names.empty() ? "" : " or ") + std::string(*scheme);
  }
  throw DialectError::invalid("URL scheme " + in_quotes(url.scheme) + " is not " + names);
}

// How a dialect passes the URL's query options (?Key=value) through to its
// driver, in ConnectionString::add_options.
struct DriverOptions {
  std::string_view dialect;  // named in messages: "mssql"
  // Keys the URL itself sets, in lower case: refused in any case.
  std::span<const std::string_view> url_keys = {};
  // An option the dialect reads itself (e.g. "driver"), skipped as spelt.
  std::string_view read_by_dialect = {};
  // What a refused option is told, after "<dialect> URL option 'key' ".
  std::string_view refusal = "is not a driver option; write it in the URL itself";
  // Braces::kKept: the driver reads no braces, so a value holding ';' or a
  // NUL is refused; otherwise a value is braced where ODBC requires it.
  Braces values = Braces::kRead;
};

class ConnectionString {
 public:
  // Starts with Driver={driver}. A driver's name cannot hold braces.
  explicit ConnectionString(std::string_view driver) {
    if (driver.empty() ||
        driver.find_first_of(std::string_view("{}\0", 3)) != std::string_view::npos) {
      throw DialectError::invalid("the ODBC driver name " + in_quotes(driver) +
                                  " is empty or holds a brace or a NUL character");
    }
    text_ = "Driver={" + std::string(driver) + "}";
  }
  // An empty string, for a connection through a DSN: add("DSN", name) first.
  ConnectionString() = default;

  // key=value, braced when ODBC's rules ask for it (odbc_value): the value
  // holds ';', '{' or '}', or starts or ends with a space.
  ConnectionString& add(std::string_view key, std::string_view value) {
    return append(key, odbc_value(value));
  }

  // key=value as written, for a key whose value the driver reads up to the
  // next ';' and whose braces it keeps. A value it would misread is refused,
  // naming it as `what` ("database", "host"): never pass a secret here.
  ConnectionString& add_plain(std::string_view key, std::string_view value, std::string_view what) {
    if (value.find_first_of(std::string_view(";\0", 2)) != std::string_view::npos ||
        (!value.empty() && value.front() == '{')) {
      throw DialectError::invalid(
          "the " + std::string(what) + " " + in_quotes_redacted(value) +
          " cannot be written for this ODBC driver, which reads no braces in it: it may not "
          "hold ';' or start with '{'");
    }
    return append(key, value);
  }

  // The URL's user name and password, where it has them. The password is
  // always braced; so is the user name, unless the driver keeps its braces
  // (then it is written as it is) or is unknown (then braced where needed).
  ConnectionString& add_credentials(const Url& url, const Credentials& keys = {}) {
    if (url.username) {
      if (url.username->find('\0') != std::string::npos) {
        throw DialectError::invalid("the URL's user name cannot hold a NUL character");
      }
      if (keys.user == Braces::kKept) {
        add_plain(keys.user_key, *url.username, "user name");
      } else {
        append(keys.user_key,
               keys.user == Braces::kRead ? odbc_braced(*url.username) : odbc_value(*url.username));
      }
    }
    if (url.password) {
      // The message must not quote the password.
      if (url.password->find('\0') != std::string::npos) {
        throw DialectError::invalid("the URL's password cannot hold a NUL character");
      }
      append(keys.password_key, odbc_braced(*url.password));
    }
    return *this;
  }

  // The URL's query options as driver options, in the URL's order, but for
  // options.read_by_dialect. A key must be a word, and not one the URL sets.
  ConnectionString& add_options(const Url& url, const DriverOptions& options) {
    for (const auto& [key, value] : url.query) {
      if (!options.read_by_dialect.empty() && key == options.read_by_dialect) continue;
      bool taken = false;
      for (std::string_view url_key : options.url_keys) {
        if (equals_ignoring_case(key, url_key)) taken = true;
      }
      if (!is_word(key) || taken) {
        throw DialectError::invalid(std::string(options.dialect) + " URL option " +
                                    in_quotes_redacted(key) + " " + std::string(options.refusal));
      }
      if (options.values != Braces::kKept) {
        add(key, value);
        continue;
      }
      if (value.find_first_of(std::string_view(";\0", 2)) != std::string::npos) {
        throw DialectError::invalid("the value of " + std::string(options.dialect) +
                                    " URL option " + in_quotes_redacted(key) +
                                    " holds ';' or a NUL character");
      }
      append(key, value);
    }
    return *this;
  }

  // Whether the URL gives the query option `key`, in any case.
  static bool has_option(const Url& url, std::string_view key) {
    for (const auto& option : url.query) {
      if (equals_ignoring_case(option.first, key)) return true;
    }
    return false;
  }

  // key=value exactly as given: for values the dialect wrote itself (a
  // number, a checked option such as SSLmode=require).
  ConnectionString& append(std::string_view key, std::string_view written) {
    if (!text_.empty()) text_ += ';';
    text_ += key;
    text_ += '=';
    text_ += written;
    return *this;
  }

  const std::string& str() const { return text_; }

 private:
  std::string text_;
};

}  // namespace abi1
}  // namespace retort

#endif  // RETORT_CONNECTION_STRING_HPP
