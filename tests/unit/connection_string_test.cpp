// The SDK's one way to write an ODBC connection string
// (sdk/include/retort/connection_string.hpp): credentials always braced where
// the driver reads braces, never where it keeps them.
#include <retort/connection_string.hpp>

#include <catch2/catch.hpp>

#include <string>

using retort::Braces;
using retort::ConnectionString;
using retort::DialectError;
using retort::parse_url;

namespace {

std::string credentials(const std::string& url, const retort::Credentials& keys = {}) {
  ConnectionString out("Some Driver");
  out.add_credentials(parse_url(url), keys);
  return out.str();
}

std::string refusal(const std::string& url, const retort::Credentials& keys = {}) {
  try {
    credentials(url, keys);
  } catch (const DialectError& e) {
    return e.what();
  }
  FAIL("no refusal for " << url);
  return {};
}

}  // namespace

TEST_CASE("connection string braces the password whatever it holds", "[connection_string]") {
  CHECK(credentials("x://u:plain@h") == "Driver={Some Driver};Uid={u};Pwd={plain}");
  CHECK(credentials("x://u:a%25b+c%2B@h") == "Driver={Some Driver};Uid={u};Pwd={a%b+c+}");
  CHECK(credentials("x://u:%7Da%3Bb%7B@h") == "Driver={Some Driver};Uid={u};Pwd={}}a;b{}");
  CHECK(credentials("x://u:@h") == "Driver={Some Driver};Uid={u};Pwd={}");
  CHECK(credentials("x://u@h") == "Driver={Some Driver};Uid={u}");
  CHECK(credentials("x://h") == "Driver={Some Driver}");
}

TEST_CASE("connection string writes the user name as the driver reads it", "[connection_string]") {
  CHECK(credentials("x://a%7Db:p@h", {.user_key = "UID", .password_key = "PWD"}) ==
        "Driver={Some Driver};UID={a}}b};PWD={p}");
  CHECK(credentials("x://a%25b:p@h", {.user = Braces::kKept}) ==
        "Driver={Some Driver};Uid=a%b;Pwd={p}");
  CHECK(credentials("x://plain:p@h", {.user = Braces::kUnknown}) ==
        "Driver={Some Driver};Uid=plain;Pwd={p}");
  CHECK(credentials("x://a%3Bb:p@h", {.user = Braces::kUnknown}) ==
        "Driver={Some Driver};Uid={a;b};Pwd={p}");
  CHECK(refusal("x://a%3Bb:s3cret@h", {.user = Braces::kKept}) ==
        "the user name 'a;b' cannot be written for this ODBC driver, which reads no braces in it: "
        "it may not hold ';' or start with '{'");
  CHECK(refusal("x://%7Bab:s3cret@h", {.user = Braces::kKept}).starts_with("the user name '{ab'"));
}

TEST_CASE("connection string refuses a NUL without quoting the password", "[connection_string]") {
  CHECK(refusal("x://u:s3cret%00@h") == "the URL's password cannot hold a NUL character");
  CHECK(refusal("x://u%00:p@h") == "the URL's user name cannot hold a NUL character");
}

TEST_CASE("connection string braces other values only where ODBC requires it",
          "[connection_string]") {
  ConnectionString out("D");
  out.add("Server", "h").add("Database", "a;b").add("Option", " x").append("Port", "5432");
  out.add_plain("Path", "/a{b}/c", "path");
  CHECK(out.str() == "Driver={D};Server=h;Database={a;b};Option={ x};Port=5432;Path=/a{b}/c");
  ConnectionString dsn;
  dsn.add("DSN", "Warehouse");
  CHECK(dsn.str() == "DSN=Warehouse");
  auto driver_refusal = [](const std::string& name) -> std::string {
    try {
      ConnectionString refused(name);
    } catch (const DialectError& e) {
      return e.what();
    }
    return "no refusal";
  };
  CHECK(driver_refusal("a}b") ==
        "the ODBC driver name 'a}b' is empty or holds a brace or a NUL character");
  CHECK(driver_refusal("") ==
        "the ODBC driver name '' is empty or holds a brace or a NUL character");
}
