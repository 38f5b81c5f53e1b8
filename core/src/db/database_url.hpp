// A database URL, parsed once where a run reads it from the config and
// handed on as this value: its scheme, its parts, the scheme of the dialect
// that renders for it, the connection string when the URL names the ODBC
// connection itself, and the form messages quote. A dialect plugin still
// receives the URL's text (the C ABI takes text).
//
// URLs that name an ODBC connection directly work for any dialect:
//
//   odbc://user:pass@MyDsn?dialect=postgresql    a DSN from odbc.ini
//   mssql:///?odbc_connect=Driver%3D...           a raw connection string
//   odbc:///?odbc_connect=...&dialect=oracle      the same, dialect named
//
// The host turns these into connection strings itself; a dialect plugin
// only renders SQL for them.
#ifndef RETORT_DATABASE_URL_HPP
#define RETORT_DATABASE_URL_HPP

#include <retort/error.hpp>
#include <retort/url.hpp>

#include <optional>
#include <string>
#include <vector>

namespace retort {

class DatabaseUrl {
 public:
  // Refuses a URL without a valid scheme (letters, digits, '.' and '-',
  // starting with a letter, then "://"), and an odbc:// URL that does not
  // parse or does not say which dialect to use (?dialect=). Any other
  // malformation is the dialect's to report when it connects.
  static Expected<DatabaseUrl> parse(std::string text);

  // As written; what a dialect plugin receives.
  const std::string& text() const { return text_; }
  // Lower case, without "+driver": "postgresql", "odbc".
  const std::string& scheme() const { return scheme_; }
  // The scheme whose dialect renders for the URL: an odbc:// URL's
  // ?dialect=, lower case; else scheme().
  const std::string& dialect_scheme() const { return dialect_scheme_; }
  // The URL's parts; nullptr when the SDK's parser refuses it (the dialect
  // may read it its own way, or report it).
  const Url* parts() const { return parts_ ? &*parts_ : nullptr; }
  // Whether the host builds the connection string (odbc:// or ?odbc_connect=).
  bool names_odbc_connection() const { return direct_.has_value(); }
  // That connection string, or why the URL gives none; nullopt for a URL
  // whose dialect builds it.
  const std::optional<Expected<std::string>>& direct_connection_string() const { return direct_; }
  // shorten(redact(text)): without any password (redact() in
  // <retort/url.hpp> is the one redaction policy) and at most a few hundred
  // bytes long. For the host's own messages about the URL.
  const std::string& redacted() const { return redacted_; }
  // How messages and logs name the database: the dialect's redaction of
  // the URL once show_as() gave it, else redacted().
  const std::string& shown() const { return shown_; }
  void show_as(std::string shown) { shown_ = std::move(shown); }
  // The password as written and as decoded, to scrub from a plugin's
  // messages; empty when the URL holds none.
  const std::vector<std::string>& secrets() const { return secrets_; }

 private:
  std::string text_;
  std::string scheme_;
  std::string dialect_scheme_;
  std::optional<Url> parts_;
  std::optional<Expected<std::string>> direct_;
  std::string redacted_;
  std::string shown_;
  std::vector<std::string> secrets_;
};

}  // namespace retort

#endif  // RETORT_DATABASE_URL_HPP
