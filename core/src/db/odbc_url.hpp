// URLs that name an ODBC connection directly, for any dialect:
//
//   odbc://user:pass@MyDsn?dialect=postgresql    a DSN from odbc.ini
//   mssql:///?odbc_connect=Driver%3D...           a raw connection string
//   odbc:///?odbc_connect=...&dialect=oracle      the same, dialect named
//
// The host turns these into connection strings itself; a dialect plugin
// only renders SQL for them.
#ifndef RETORT_ODBC_URL_HPP
#define RETORT_ODBC_URL_HPP

#include <retort/error.hpp>

#include <optional>
#include <string>

namespace retort {

// The URL scheme whose dialect renders for `url`: ?dialect= for odbc://,
// else `scheme` itself. An odbc:// URL without ?dialect= is an error.
Expected<std::string> dialect_scheme(const std::string& url, const std::string& scheme);

// The connection string of an odbc:// or ?odbc_connect= URL; nullopt for any
// other URL, which its dialect turns into one.
std::optional<Expected<std::string>> direct_connection_string(const std::string& url);

// `url` as a message quotes it: shorten(redact(url)), so without any
// password (redact() in <retort/url.hpp> is the one redaction policy) and
// at most a few hundred bytes long.
std::string redact_odbc_url(const std::string& url);

}  // namespace retort

#endif  // RETORT_ODBC_URL_HPP
