// mariadb_native's URLs: mariadbx://user:password@host[:port]/database (and
// mariadb://...), turned into a DSN-less connection string for MariaDB's
// Connector/ODBC, {MariaDB Unicode}.
#include "mariadb_dialect.hpp"

#include <string>

namespace mariadb_native {

std::string MariadbDialect::connection_string(const retort::Url& url) const {
  using retort::DialectError;
  retort::require_scheme(url, kUrlSchemes);
  // Connector/ODBC reads "localhost" as the Unix socket; ask for a host.
  if (url.host.empty()) {
    throw DialectError::invalid(
        "a mariadbx URL needs a host: write "
        "mariadbx://user:password@host:3306/database");
  }
  if (!url.query.empty()) {
    throw DialectError::invalid("URL query parameter " +
                                retort::in_quotes(url.query.front().first) +
                                " is not supported: remove everything from '?'");
  }
  retort::ConnectionString out("MariaDB Unicode");
  out.add("Server", url.host);
  out.append("Port", std::to_string(url.port.value_or(3306)));
  if (!url.database.empty()) out.add("Database", url.database);
  out.add_credentials(url);
  return out.str();
}

}  // namespace mariadb_native
