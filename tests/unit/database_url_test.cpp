// A database URL parsed once: its scheme and the dialect's, the URLs that
// name an ODBC connection directly (they work for every dialect), and never
// a password shown.
#include "db/database_url.hpp"

#include <retort/url.hpp>

#include <catch2/catch.hpp>

#include <string>

using retort::DatabaseUrl;

namespace {

DatabaseUrl parsed(const std::string& url) {
  auto result = DatabaseUrl::parse(url);
  INFO((result ? std::string() : result.error().message()));
  REQUIRE(result);
  return std::move(*result);
}

std::string connection_string(const std::string& text) {
  const DatabaseUrl url = parsed(text);
  const auto& result = url.direct_connection_string();
  REQUIRE(result.has_value());
  INFO((*result ? std::string() : result->error().message()));
  REQUIRE(*result);
  return **result;
}

std::string dialect_scheme(const std::string& url) { return parsed(url).dialect_scheme(); }

std::string redacted(const std::string& url) { return parsed(url).redacted(); }

}  // namespace

TEST_CASE("a database url is parsed once into its scheme and its parts", "[database_url]") {
  const DatabaseUrl url = parsed("PostgreSQL+psycopg2://app:s%40cret@db.example:5433/shop?x=1");
  CHECK(url.text() == "PostgreSQL+psycopg2://app:s%40cret@db.example:5433/shop?x=1");
  CHECK(url.scheme() == "postgresql");
  CHECK(url.dialect_scheme() == "postgresql");
  REQUIRE(url.parts() != nullptr);
  CHECK(url.parts()->host == "db.example");
  CHECK(url.parts()->port == 5433);
  CHECK(url.parts()->database == "shop");
  CHECK_FALSE(url.names_odbc_connection());
  CHECK(url.redacted() == "PostgreSQL+psycopg2://app:***@db.example:5433/shop?x=1");
  CHECK(url.shown() == url.redacted());
  CHECK(url.secrets() == std::vector<std::string>{"s%40cret", "s@cret"});
}

TEST_CASE("a url the sdk cannot parse is left to its dialect", "[database_url]") {
  const DatabaseUrl url = parsed("mssql://sa@db:1433;PWD=Sekr1tPw/app");
  CHECK(url.scheme() == "mssql");
  CHECK(url.parts() == nullptr);
  CHECK_FALSE(url.names_odbc_connection());
}

TEST_CASE("a url without a valid scheme is refused in one line", "[database_url]") {
  for (const std::string text : {"", "app.db", "1pg://h/db", "p_g://h/db", "://h"}) {
    INFO(text);
    auto url = DatabaseUrl::parse(text);
    REQUIRE_FALSE(url);
    CHECK(url.error().message() == "database URL '" + text + "' has no valid scheme");
  }
}

TEST_CASE("an odbc url names a DSN and the dialect that renders for it", "[database_url]") {
  CHECK(connection_string("odbc://app:s%3Bcret@Warehouse?dialect=postgresql&Protocol=7.4-1") ==
        "DSN=Warehouse;UID=app;PWD={s;cret};Protocol=7.4-1");
  CHECK(dialect_scheme("odbc://Warehouse?dialect=PostgreSQL") == "postgresql");
  CHECK(dialect_scheme("mssql://h/db") == "mssql");
}

TEST_CASE("an odbc url without a dialect is refused in one line", "[database_url]") {
  auto url = DatabaseUrl::parse("odbc://app:hunter2@Warehouse");
  REQUIRE_FALSE(url);
  CHECK(url.error().message() ==
        "database URL 'odbc://app:***@Warehouse' does not say which dialect to use");
}

TEST_CASE("odbc_connect passes a raw connection string through for any scheme", "[database_url]") {
  CHECK(connection_string("mssql:///?odbc_connect=Driver%3D%7BFreeTDS%7D%3BServer%3Dh%3BPWD%3Dx") ==
        "Driver={FreeTDS};Server=h;PWD=x");
  CHECK_FALSE(parsed("postgresql://u:p@h/db").direct_connection_string().has_value());
}

TEST_CASE("odbc urls are redacted inside odbc_connect too", "[database_url]") {
  CHECK(redacted("mssql:///?odbc_connect=Server%3Dh%3BPWD%3Dhunter2%3BUID%3Du") ==
        "mssql:///?odbc_connect=Server=h;PWD=***;UID=u");
  CHECK(redacted("odbc:///?odbc_connect=Pwd%3D%7Bhun%7D%7Dter%3B2%7D%3BX%3D1&dialect=oracle") ==
        "odbc:///?odbc_connect=Pwd=***;X=1&dialect=oracle");
  CHECK(redacted("odbc://u:hunter2@Dsn?dialect=mysql") == "odbc://u:***@Dsn?dialect=mysql");
}

// ---------------------------- one redaction for every message (issue 15, items 10, 17)

namespace {

// The message of a URL that gives no connection string: refused when it is
// parsed (odbc://), or when a connection string is asked of it.
std::string refused(const std::string& text) {
  auto url = DatabaseUrl::parse(text);
  if (!url) return url.error().message();
  const auto& result = url->direct_connection_string();
  REQUIRE(result.has_value());
  REQUIRE_FALSE(*result);
  return result->error().message();
}

}  // namespace

TEST_CASE("a malformed odbc_connect url is refused without its password", "[database_url]") {
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

TEST_CASE("redaction hides every password a URL or connection string can hold", "[database_url]") {
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
  CHECK(redacted("odbc://u:hunter2@Dsn?dialect=mysql") == "odbc://u:***@Dsn?dialect=mysql");
}

TEST_CASE("a url is quoted in at most a few hundred bytes", "[database_url]") {
  const std::string huge = "mssql://u:s3cret@h:0/" + std::string(10 << 20, 'x');
  CHECK(redacted(huge) == "mssql://u:***@h:0/" + std::string(182, 'x') + "...");
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
          "[database_url]") {
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
