// URLs that name an ODBC connection directly work for every dialect, and
// never show their passwords.
#include "db/odbc_url.hpp"

#include <retort/url.hpp>

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

// ---------------------------- one redaction for every message (issue 15, items 10, 17)

namespace {

// The message of a URL that direct_connection_string refuses.
std::string refused(const std::string& url) {
  auto result = direct_connection_string(url);
  REQUIRE(result.has_value());
  REQUIRE_FALSE(*result);
  return result->error().message();
}

}  // namespace

TEST_CASE("a malformed odbc_connect url is refused without its password", "[odbc_url]") {
  // Port 0: the URL did not parse, and was quoted whole.
  CHECK(refused("mssql://db:0/?odbc_connect=Driver%3DFreeTDS%3BUID%3Dsa%3BPWD%3Ds3cr3t") ==
        "database URL 'mssql://db:0/?odbc_connect=Driver=FreeTDS;UID=sa;PWD=***' is malformed: "
        "invalid URL 'mssql://db:0/?odbc_connect=Driver=FreeTDS;UID=sa;PWD=***': port '0' is not "
        "a number from 1 to 65535");
  // A bad escape after it.
  CHECK(refused("odbc:///?odbc_connect=DSN%3Dx%3BPWD%3Ds3cr3t&dialect=mssql&x=%zz") ==
        "database URL 'odbc:///?odbc_connect=DSN=x;PWD=***&dialect=mssql&x=%zz' is malformed: "
        "invalid URL 'odbc:///?odbc_connect=DSN=x;PWD=***&dialect=mssql&x=%zz': invalid "
        "percent-escape in the query");
  // The fuzzer's input, and a bad escape inside odbc_connect itself.
  for (const std::string url :
       {"mssql://db:0/?odbc_connect=Driver%3DFreeTDS%3BServer%3Ddb%3BUID%3Dsa%3BPWD%3DHunter2x%3B",
        "mssql://db:0/?odbc_connect=UID%3Dsa%3BPassword%3D%7BHunter2x%7D%3B%zz",
        "mssql://db:0/?odbc_connect=UID%3Dsa%3BPWD%3DHunter2x%zz%3BX%3D1"}) {
    INFO(url);
    CHECK(refused(url).find("Hunter2x") == std::string::npos);
  }
}

TEST_CASE("redaction hides every password a URL or connection string can hold", "[odbc_url]") {
  using retort::redact;
  // The user info, as before.
  CHECK(redact("pg://u:s3cret@h:5432/db?x=1") == "pg://u:***@h:5432/db?x=1");
  // PWD= and Password= in odbc_connect, decoded; braced values whole.
  CHECK(redact("mssql:///?odbc_connect=Server%3Dh%3BPWD%3Dhunter2%3BUID%3Du") ==
        "mssql:///?odbc_connect=Server=h;PWD=***;UID=u");
  CHECK(redact("mssql:///?odbc_connect=PASSWORD%20%3D%20%7Bp%3Bq%7D%7Dr%7D%3BX%3D1") ==
        "mssql:///?odbc_connect=PASSWORD = ***;X=1");
  // An odbc_connect that does not decode: the encoded attribute.
  CHECK(redact("mssql:///?odbc_connect=X%3D1%3BPwd%3Dhun%zzter%3BY%3D2&a=b") ==
        "mssql:///?odbc_connect=X%3D1%3BPwd%3D***%3BY%3D2&a=b");
  CHECK(redact("mssql:///?odbc_connect=Pwd%3D%7Bhun%7D%7D%3Bter%7D%3B%zz") ==
        "mssql:///?odbc_connect=Pwd%3D***%3B%zz");
  // A password query parameter.
  CHECK(redact("pg://u@h/db?sslmode=require&password=s3cret&x=1") ==
        "pg://u@h/db?sslmode=require&password=***&x=1");
  // A bare connection string.
  CHECK(redact("Driver={FreeTDS};UID=sa;PWD={a;b}}c};Port=1") ==
        "Driver={FreeTDS};UID=sa;PWD=***;Port=1");
  // Nothing else.
  CHECK(redact("sqlite:////tmp/pwd=x.db") == "sqlite:////tmp/pwd=x.db");
  CHECK(redact("pg://h/db?application_name=pwd") == "pg://h/db?application_name=pwd");
  CHECK(redact_odbc_url("odbc://u:hunter2@Dsn?dialect=mysql") == "odbc://u:***@Dsn?dialect=mysql");
}

TEST_CASE("a url is quoted in at most a few hundred bytes", "[odbc_url]") {
  const std::string huge = "mssql://u:s3cret@h:0/" + std::string(10 << 20, 'x');
  CHECK(redact_odbc_url(huge) == "mssql://u:***@h:0/" + std::string(182, 'x') + "...");
  CHECK(refused(huge + "?odbc_connect=PWD%3Dx").size() < 600);
  try {
    (void)retort::parse_url(huge);
    FAIL("parsed");
  } catch (const retort::DialectError& e) {
    CHECK(std::string(e.what()) == "invalid URL 'mssql://u:***@h:0/" + std::string(182, 'x') +
                                       "...': port '0' is not a number from 1 to 65535");
  }
}

TEST_CASE("a port that is not digits is refused without quoting what may be a password",
          "[odbc_url]") {
  // An ODBC habit written into a URL: what follows the ':' is not a port,
  // and redact() does not see a password there.
  try {
    (void)retort::parse_url("mssql://sa@db:1433;PWD=Sekr1tPw/app");
    FAIL("parsed");
  } catch (const retort::DialectError& e) {
    const std::string message = e.what();
    CHECK(message.find("Sekr1tPw") == std::string::npos);
    CHECK_THAT(message, Catch::EndsWith(": the port is not a number from 1 to 65535"));
  }
  // Digits alone are quoted.
  CHECK_THROWS_WITH(retort::parse_url("pg://h:99999/db"),
                    "invalid URL 'pg://h:99999/db': port '99999' is not a number from 1 to 65535");
}
