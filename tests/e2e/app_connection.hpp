// An application's own ODBC connection, opened with unixODBC as a program
// embedding retort opens it, for the shared-connection tests.
#ifndef RETORT_TESTS_E2E_APP_CONNECTION_HPP
#define RETORT_TESTS_E2E_APP_CONNECTION_HPP

#include <sql.h>
#include <sqlext.h>

#include <catch2/catch.hpp>

#include <string>

namespace retort::test {

class AppConnection {
 public:
  explicit AppConnection(const std::string& connection_string) {
    REQUIRE(SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env_)));
    SQLSetEnvAttr(env_, SQL_ATTR_ODBC_VERSION, reinterpret_cast<SQLPOINTER>(SQL_OV_ODBC3), 0);
    REQUIRE(SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_DBC, env_, &dbc_)));
    SQLRETURN rc = SQLDriverConnect(
        dbc_, nullptr, reinterpret_cast<SQLCHAR*>(const_cast<char*>(connection_string.c_str())),
        SQL_NTS, nullptr, 0, nullptr, SQL_DRIVER_NOPROMPT);
    INFO(diagnostic(SQL_HANDLE_DBC, dbc_));
    REQUIRE(SQL_SUCCEEDED(rc));
  }
  ~AppConnection() {
    SQLEndTran(SQL_HANDLE_DBC, dbc_, SQL_ROLLBACK);
    SQLDisconnect(dbc_);
    SQLFreeHandle(SQL_HANDLE_DBC, dbc_);
    SQLFreeHandle(SQL_HANDLE_ENV, env_);
  }
  AppConnection(const AppConnection&) = delete;
  AppConnection& operator=(const AppConnection&) = delete;

  SQLHDBC handle() const { return dbc_; }

  // ODBC's way to begin a transaction: autocommit off.
  void begin() {
    REQUIRE(SQL_SUCCEEDED(SQLSetConnectAttr(dbc_, SQL_ATTR_AUTOCOMMIT,
                                            reinterpret_cast<SQLPOINTER>(SQL_AUTOCOMMIT_OFF), 0)));
  }
  void commit() { REQUIRE(SQL_SUCCEEDED(SQLEndTran(SQL_HANDLE_DBC, dbc_, SQL_COMMIT))); }
  void rollback() { REQUIRE(SQL_SUCCEEDED(SQLEndTran(SQL_HANDLE_DBC, dbc_, SQL_ROLLBACK))); }
  bool autocommit() {
    SQLULEN value = SQL_AUTOCOMMIT_ON;
    REQUIRE(SQL_SUCCEEDED(SQLGetConnectAttr(dbc_, SQL_ATTR_AUTOCOMMIT, &value, 0, nullptr)));
    return value == SQL_AUTOCOMMIT_ON;
  }

  void execute(const std::string& sql) {
    SQLHSTMT stmt = SQL_NULL_HSTMT;
    REQUIRE(SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, dbc_, &stmt)));
    SQLRETURN rc =
        SQLExecDirect(stmt, reinterpret_cast<SQLCHAR*>(const_cast<char*>(sql.c_str())), SQL_NTS);
    const std::string why = diagnostic(SQL_HANDLE_STMT, stmt);
    SQLFreeHandle(SQL_HANDLE_STMT, stmt);
    INFO(sql << ": " << why);
    REQUIRE((SQL_SUCCEEDED(rc) || rc == SQL_NO_DATA));
  }

  // The first column of the first row of `sql`, "" when there is none.
  std::string value(const std::string& sql) {
    SQLHSTMT stmt = SQL_NULL_HSTMT;
    REQUIRE(SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, dbc_, &stmt)));
    SQLRETURN rc =
        SQLExecDirect(stmt, reinterpret_cast<SQLCHAR*>(const_cast<char*>(sql.c_str())), SQL_NTS);
    std::string out;
    if (SQL_SUCCEEDED(rc) && SQL_SUCCEEDED(SQLFetch(stmt))) {
      char buffer[256] = {0};
      SQLLEN length = 0;
      if (SQL_SUCCEEDED(SQLGetData(stmt, 1, SQL_C_CHAR, buffer, sizeof buffer, &length)) &&
          length != SQL_NULL_DATA) {
        out = buffer;
      }
    }
    const std::string why = diagnostic(SQL_HANDLE_STMT, stmt);
    SQLFreeHandle(SQL_HANDLE_STMT, stmt);
    INFO(sql << ": " << why);
    REQUIRE(SQL_SUCCEEDED(rc));
    return out;
  }

 private:
  static std::string diagnostic(SQLSMALLINT type, SQLHANDLE handle) {
    SQLCHAR state[6] = {0};
    SQLINTEGER native = 0;
    SQLCHAR text[512] = {0};
    SQLSMALLINT length = 0;
    if (!SQL_SUCCEEDED(
            SQLGetDiagRec(type, handle, 1, state, &native, text, sizeof text, &length))) {
      return {};
    }
    return std::string(reinterpret_cast<char*>(state)) + " " + reinterpret_cast<char*>(text);
  }

  SQLHENV env_ = SQL_NULL_HENV;
  SQLHDBC dbc_ = SQL_NULL_HDBC;
};

}  // namespace retort::test

#endif  // RETORT_TESTS_E2E_APP_CONNECTION_HPP
