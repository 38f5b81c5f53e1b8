// The host's ODBC adapter: a driver's diagnostic becomes one line.
#include "db/odbc_connection.hpp"

#include <catch2/catch.hpp>

#include <string>

using retort::one_line;

TEST_CASE("a diagnostic that spans lines is joined into one", "[odbc_connection]") {
  // psqlODBC 13's text for a closed port, as SQLGetDiagRec returns it.
  CHECK(one_line("connection to server at \"127.0.0.1\", port 1 failed: Connection refused\n"
                 "\tIs the server running on that host and accepting TCP/IP connections?\n") ==
        "connection to server at \"127.0.0.1\", port 1 failed: Connection refused Is the server "
        "running on that host and accepting TCP/IP connections?");
  CHECK(one_line("ERROR: syntax error at or near \"x\";\r\nError while executing the query") ==
        "ERROR: syntax error at or near \"x\"; Error while executing the query");
}

TEST_CASE("one_line collapses each run of whitespace to one space and trims both ends",
          "[odbc_connection]") {
  CHECK(one_line("a \r\n\t \v\f b") == "a b");
  CHECK(one_line("\n\t  lead and trail \n") == "lead and trail");
  CHECK(one_line("already one line") == "already one line");
  CHECK(one_line(" \n\t") == "");
  CHECK(one_line("") == "");
}
