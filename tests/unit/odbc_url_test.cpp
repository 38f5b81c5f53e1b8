// URLs that name an ODBC connection directly work for every dialect, and
// never show their passwords.
#include "db/odbc_url.hpp"

#include <catch2/catch.hpp>

#include <string>

using retort::dialect_scheme;
using retort::direct_connection_string;
using retort::redact_odbc_url;

namespace {

std::string connection_string(const std::string& url) {
  auto result = direct_connection_string(url);
  REQUIRE(result.has_value());
  INFO((*result ? std::string() : result->error().message()));
  REQUIRE(*result);
  return **result;
}

}  // namespace

TEST_CASE("an odbc url names a DSN and the dialect that renders for it", "[odbc_url]") {
  CHECK(connection_string("odbc://app:s%3Bcret@Warehouse?dialect=postgresql&Protocol=7.4-1") ==
        "DSN=Warehouse;UID=app;PWD={s;cret};Protocol=7.4-1");
  CHECK(*dialect_scheme("odbc://Warehouse?dialect=PostgreSQL", "odbc") == "postgresql");
  CHECK(*dialect_scheme("mssql://h/db", "mssql") == "mssql");
}

TEST_CASE("an odbc url without a dialect is refused in one line", "[odbc_url]") {
  auto scheme = dialect_scheme("odbc://app:hunter2@Warehouse", "odbc");
  REQUIRE_FALSE(scheme);
  CHECK(scheme.error().message() ==
        "database URL 'odbc://app:***@Warehouse' does not say which dialect to use");
}

TEST_CASE("odbc_connect passes a raw connection string through for any scheme", "[odbc_url]") {
  CHECK(connection_string("mssql:///?odbc_connect=Driver%3D%7BFreeTDS%7D%3BServer%3Dh%3BPWD%3Dx") ==
        "Driver={FreeTDS};Server=h;PWD=x");
  CHECK_FALSE(direct_connection_string("postgresql://u:p@h/db").has_value());
}

TEST_CASE("odbc urls are redacted inside odbc_connect too", "[odbc_url]") {
  CHECK(redact_odbc_url("mssql:///?odbc_connect=Server%3Dh%3BPWD%3Dhunter2%3BUID%3Du") ==
        "mssql:///?odbc_connect=Server=h;PWD=***;UID=u");
  CHECK(redact_odbc_url("odbc:///?odbc_connect=Pwd%3D%7Bhun%7D%7Dter%3B2%7D%3BX%3D1&dialect=oracle") ==
        "odbc:///?odbc_connect=Pwd=***;X=1&dialect=oracle");
  CHECK(redact_odbc_url("odbc://u:hunter2@Dsn?dialect=mysql") == "odbc://u:***@Dsn?dialect=mysql");
}
