// Connecting through the real drivers (issue 15). Passwords that a driver
// might misread (item 11): a role whose password holds '%', '+', ';', '{' or
// '}' logs in through retort, its password percent-encoded in the URL.
// psqlODBC URL-decodes a Pwd value that is not braced ("%2B" becomes '+', '+'
// a space), so the dialects always brace it. The roles are made over the
// servers' Unix sockets as superuser. And a driver's error that spans lines
// (item 14) is one line. The drivers' settings come with the servers' env.
#include "full_chain.hpp"
#include "server_support.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace retort::test;

namespace {

// Percent-encodes all but RFC 3986's unreserved characters.
std::string percent_encoded(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
      continue;
    }
    out += '%';
    out += kHex[c >> 4];
    out += kHex[c & 0xf];
  }
  return out;
}

// The passwords tried: '%' and '+' alone (which no rule braced before), then
// with ';', '{' and '}' too, and a '}' last.
const std::vector<std::string> kPasswords = {"pw%2B+x%41", "a%2B+b;c}d{e%", "p;w{}"};

// `retort current` in a fresh environment whose url is `url`.
CliRun current(const std::string& url) {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  CliRun init = run_retort(dir, "init migrations");
  REQUIRE(init.status == 0);
  set_database_url(dir, url);
  return run_retort(dir, "current");
}

// `retort current` connects, finds no version table, and prints nothing.
void current_connects(const std::string& url) {
  CliRun current = ::current(url);
  INFO(current.err);
  CHECK(current.status == 0);
  CHECK(current.err.empty());
  CHECK(current.out.empty());
}

}  // namespace

TEST_CASE("a PostgreSQL role whose password holds % + semicolon { } connects through retort",
          "[server][postgresql][credentials]") {
  Catalog admin(server_env("RETORT_TEST_POSTGRESQL_ADMIN_ODBC"));
  const std::string url = server_env("RETORT_TEST_POSTGRESQL_URL");
  const size_t host = url.find("@127.0.0.1:");
  REQUIRE(host != std::string::npos);
  for (const std::string& password : kPasswords) {
    INFO("password " << password);
    admin.execute("DROP ROLE IF EXISTS retort_pw_probe");
    admin.execute("CREATE ROLE retort_pw_probe LOGIN PASSWORD '" + password + "'");
    current_connects("postgresql://retort_pw_probe:" + percent_encoded(password) +
                     url.substr(host));
  }
  admin.execute("DROP ROLE retort_pw_probe");
}

// MariaDB's Connector/ODBC decodes nothing (checked with 3.1.15), but it
// reads braces in every value: the same passwords, and a user name with
// braces, log in.
TEST_CASE("a MariaDB user whose password holds % + semicolon { } connects through retort",
          "[server][mariadb][credentials]") {
  Catalog admin(server_env("RETORT_TEST_MARIADB_ADMIN_ODBC"));
  const std::string url = server_env("RETORT_TEST_MARIADB_URL");
  const size_t host = url.find("@127.0.0.1:");
  REQUIRE(host != std::string::npos);
  for (const std::string& password : kPasswords) {
    INFO("password " << password);
    for (const std::string& user : {"retort_pw_probe", "retort{pw}probe"}) {
      INFO("user " << user);
      admin.execute("DROP USER IF EXISTS '" + user + "'@'%'");
      admin.execute("CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + password + "'");
      admin.execute("GRANT SELECT ON retort_test.* TO '" + user + "'@'%'");
      current_connects("mariadb://" + percent_encoded(user) + ":" + percent_encoded(password) +
                       url.substr(host));
      admin.execute("DROP USER '" + user + "'@'%'");
    }
  }
}

TEST_CASE("connecting to a closed PostgreSQL port fails in one line",
          "[server][postgresql][errors]") {
  server_env("ODBCSYSINI");  // the drivers' settings, without psqlODBC's CommLog
  CliRun run = current("postgresql://u:s3cret@127.0.0.1:1/db");
  INFO(run.err);
  CHECK(run.status == 1);
  CHECK(run.err ==
        "error: cannot connect to postgresql://u:***@127.0.0.1:1/db: [08001] connection to server "
        "at \"127.0.0.1\", port 1 failed: Connection refused Is the server running on that host "
        "and accepting TCP/IP connections?\n"
        "hint: check the url in the config file and that the database is reachable\n");
}
