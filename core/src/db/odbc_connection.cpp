#include "db/odbc_connection.hpp"

#include <retort/shorten.hpp>

#include <fmt/format.h>
#include <sql.h>
#include <sqlext.h>

#include <string_view>

namespace retort {

struct OdbcConnection::Handles {
  SQLHENV env = SQL_NULL_HENV;
  SQLHDBC dbc = SQL_NULL_HDBC;
  bool connected = false;
  bool borrowed = false;  // the application's: left as it is
  std::string display_name;

  ~Handles() {
    if (borrowed) return;
    if (connected) {
      SQLEndTran(SQL_HANDLE_DBC, dbc, SQL_ROLLBACK);
      SQLDisconnect(dbc);
    }
    if (dbc != SQL_NULL_HDBC) SQLFreeHandle(SQL_HANDLE_DBC, dbc);
    if (env != SQL_NULL_HENV) SQLFreeHandle(SQL_HANDLE_ENV, env);
  }
};

namespace {

// The diagnostic records of a handle, joined on one line:
// "[SQLSTATE] message; ...".
std::string diagnostics(SQLSMALLINT type, SQLHANDLE handle) {
  std::string out;
  for (SQLSMALLINT i = 1;; ++i) {
    SQLCHAR state[6] = {0};
    SQLINTEGER native = 0;
    SQLCHAR text[1024] = {0};
    SQLSMALLINT length = 0;
    SQLRETURN rc = SQLGetDiagRec(type, handle, i, state, &native, text, sizeof text, &length);
    if (!SQL_SUCCEEDED(rc)) break;
    if (!out.empty()) out += "; ";
    out += fmt::format("[{}] {}", reinterpret_cast<char*>(state),
                       one_line(reinterpret_cast<char*>(text)));
  }
  return out.empty() ? "no diagnostic from the driver" : out;
}

Error failure(const std::string& what, SQLSMALLINT type, SQLHANDLE handle) {
  return Error(ErrorCategory::kDatabase, fmt::format("{}: {}", what, diagnostics(type, handle)));
}

// Frees a statement handle on every path.
class Statement {
 public:
  explicit Statement(SQLHDBC dbc) { SQLAllocHandle(SQL_HANDLE_STMT, dbc, &stmt_); }
  ~Statement() {
    if (stmt_ != SQL_NULL_HSTMT) SQLFreeHandle(SQL_HANDLE_STMT, stmt_);
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  SQLHSTMT get() const { return stmt_; }

 private:
  SQLHSTMT stmt_ = SQL_NULL_HSTMT;
};

}  // namespace

std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

OdbcConnection::OdbcConnection(std::unique_ptr<Handles> h) : h_(std::move(h)) {}
OdbcConnection::OdbcConnection(OdbcConnection&&) noexcept = default;
OdbcConnection& OdbcConnection::operator=(OdbcConnection&&) noexcept = default;
OdbcConnection::~OdbcConnection() = default;

Expected<OdbcConnection> OdbcConnection::connect(const std::string& connection_string,
                                                 const std::string& display_name) {
  auto h = std::make_unique<Handles>();
  h->display_name = display_name;
  if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &h->env))) {
    return Error(ErrorCategory::kDatabase, "cannot initialise the ODBC driver manager");
  }
  SQLSetEnvAttr(h->env, SQL_ATTR_ODBC_VERSION, reinterpret_cast<SQLPOINTER>(SQL_OV_ODBC3), 0);
  if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_DBC, h->env, &h->dbc))) {
    return failure("cannot allocate an ODBC connection", SQL_HANDLE_ENV, h->env);
  }
  SQLCHAR out[1024];
  SQLSMALLINT out_length = 0;
  SQLRETURN rc = SQLDriverConnect(
      h->dbc, nullptr, reinterpret_cast<SQLCHAR*>(const_cast<char*>(connection_string.c_str())),
      SQL_NTS, out, sizeof out, &out_length, SQL_DRIVER_NOPROMPT);
  if (!SQL_SUCCEEDED(rc)) {
    return failure(fmt::format("cannot connect to {}", shorten(display_name)), SQL_HANDLE_DBC,
                   h->dbc)
        .with_hint("check the url in the config file and that the database is reachable");
  }
  h->connected = true;
  return OdbcConnection(std::move(h));
}

OdbcConnection OdbcConnection::borrow(void* hdbc, const std::string& display_name) {
  auto h = std::make_unique<Handles>();
  h->dbc = static_cast<SQLHDBC>(hdbc);
  h->borrowed = true;
  h->display_name = display_name;
  return OdbcConnection(std::move(h));
}

Expected<bool> OdbcConnection::autocommit() {
  SQLULEN value = SQL_AUTOCOMMIT_ON;
  SQLRETURN rc = SQLGetConnectAttr(h_->dbc, SQL_ATTR_AUTOCOMMIT, &value, 0, nullptr);
  if (!SQL_SUCCEEDED(rc)) {
    return failure(fmt::format("cannot read the autocommit mode of {}", h_->display_name),
                   SQL_HANDLE_DBC, h_->dbc);
  }
  return value != SQL_AUTOCOMMIT_OFF;
}

Error OdbcConnection::set_autocommit(bool on) {
  const SQLULEN mode = on ? SQL_AUTOCOMMIT_ON : SQL_AUTOCOMMIT_OFF;
  SQLRETURN rc =
      SQLSetConnectAttr(h_->dbc, SQL_ATTR_AUTOCOMMIT, reinterpret_cast<SQLPOINTER>(mode), 0);
  if (!SQL_SUCCEEDED(rc)) {
    return failure(fmt::format("cannot set the autocommit mode of {}", h_->display_name),
                   SQL_HANDLE_DBC, h_->dbc);
  }
  return Error::success();
}

Expected<std::string> OdbcConnection::dbms_name() {
  SQLCHAR name[256] = {0};
  SQLSMALLINT length = 0;
  SQLRETURN rc = SQLGetInfo(h_->dbc, SQL_DBMS_NAME, name, sizeof name, &length);
  if (!SQL_SUCCEEDED(rc)) {
    return failure(fmt::format("cannot ask {} for its product name", h_->display_name),
                   SQL_HANDLE_DBC, h_->dbc);
  }
  return std::string(reinterpret_cast<char*>(name));
}

Error OdbcConnection::begin() {
  SQLRETURN rc = SQLSetConnectAttr(h_->dbc, SQL_ATTR_AUTOCOMMIT,
                                   reinterpret_cast<SQLPOINTER>(SQL_AUTOCOMMIT_OFF), 0);
  if (!SQL_SUCCEEDED(rc)) return failure("cannot begin a transaction", SQL_HANDLE_DBC, h_->dbc);
  return Error::success();
}

Error OdbcConnection::commit() {
  if (!SQL_SUCCEEDED(SQLEndTran(SQL_HANDLE_DBC, h_->dbc, SQL_COMMIT))) {
    return failure("cannot commit", SQL_HANDLE_DBC, h_->dbc);
  }
  return Error::success();
}

Error OdbcConnection::rollback() {
  if (!SQL_SUCCEEDED(SQLEndTran(SQL_HANDLE_DBC, h_->dbc, SQL_ROLLBACK))) {
    return failure("cannot roll back", SQL_HANDLE_DBC, h_->dbc);
  }
  return Error::success();
}

Error OdbcConnection::execute(const std::string& sql, long long* affected) {
  Statement stmt(h_->dbc);
  SQLRETURN rc =
      SQLExecDirect(stmt.get(), reinterpret_cast<SQLCHAR*>(const_cast<char*>(sql.c_str())),
                    static_cast<SQLINTEGER>(sql.size()));
  // SQL_NO_DATA: a searched UPDATE or DELETE that touched no row.
  if (!SQL_SUCCEEDED(rc) && rc != SQL_NO_DATA) {
    return Error(ErrorCategory::kDatabase, diagnostics(SQL_HANDLE_STMT, stmt.get()));
  }
  if (affected != nullptr) {
    SQLLEN count = 0;
    if (rc == SQL_NO_DATA) {
      *affected = 0;
    } else if (SQL_SUCCEEDED(SQLRowCount(stmt.get(), &count))) {
      *affected = count;
    } else {
      *affected = -1;
    }
  }
  return Error::success();
}

Expected<bool> OdbcConnection::table_exists(const std::string& name, const std::string& schema) {
  Statement stmt(h_->dbc);
  SQLCHAR* schema_name =
      schema.empty() ? nullptr : reinterpret_cast<SQLCHAR*>(const_cast<char*>(schema.c_str()));
  SQLRETURN rc = SQLTables(stmt.get(), nullptr, 0, schema_name, schema.empty() ? 0 : SQL_NTS,
                           reinterpret_cast<SQLCHAR*>(const_cast<char*>(name.c_str())), SQL_NTS,
                           reinterpret_cast<SQLCHAR*>(const_cast<char*>("TABLE")), SQL_NTS);
  if (!SQL_SUCCEEDED(rc))
    return Error(ErrorCategory::kDatabase, diagnostics(SQL_HANDLE_STMT, stmt.get()));
  // MariaDB's driver lists the tables of every database the user may see
  // when no catalog is given: only the connection's own database counts.
  char current[512] = {0};
  SQLINTEGER current_size = 0;
  const bool has_current =
      SQL_SUCCEEDED(SQLGetConnectAttr(h_->dbc, SQL_ATTR_CURRENT_CATALOG, current, sizeof current,
                                      &current_size)) &&
      current[0] != '\0';
  bool found = false;
  while (SQL_SUCCEEDED(SQLFetch(stmt.get()))) {
    char table[512] = {0};
    char catalog[512] = {0};
    SQLLEN indicator = 0;
    SQLLEN catalog_indicator = 0;
    // Column 3 is TABLE_NAME; a driver may treat the pattern loosely, so compare.
    if (!SQL_SUCCEEDED(SQLGetData(stmt.get(), 3, SQL_C_CHAR, table, sizeof table, &indicator)) ||
        name != table) {
      continue;
    }
    // Column 1 is TABLE_CAT: NULL or empty where the driver has none.
    const bool other_catalog = has_current &&
                               SQL_SUCCEEDED(SQLGetData(stmt.get(), 1, SQL_C_CHAR, catalog,
                                                        sizeof catalog, &catalog_indicator)) &&
                               catalog_indicator != SQL_NULL_DATA && catalog[0] != '\0' &&
                               std::string_view(catalog) != current;
    if (!other_catalog) found = true;
  }
  return found;
}

namespace {

// Reads one column of the current row in pieces: SQL_SUCCESS_WITH_INFO
// means "more to come". nullopt for NULL.
Expected<std::optional<std::string>> read_value(SQLHSTMT stmt, SQLUSMALLINT column) {
  std::string value;
  char buffer[512];
  for (;;) {
    SQLLEN indicator = 0;
    SQLRETURN rc = SQLGetData(stmt, column, SQL_C_CHAR, buffer, sizeof buffer, &indicator);
    if (rc == SQL_NO_DATA) break;
    if (!SQL_SUCCEEDED(rc))
      return Error(ErrorCategory::kDatabase, diagnostics(SQL_HANDLE_STMT, stmt));
    if (indicator == SQL_NULL_DATA) return std::optional<std::string>();
    size_t chunk = (indicator == SQL_NO_TOTAL || indicator >= static_cast<SQLLEN>(sizeof buffer))
                       ? sizeof buffer - 1
                       : static_cast<size_t>(indicator);
    value.append(buffer, chunk);
    if (rc == SQL_SUCCESS) break;
  }
  return std::optional<std::string>(std::move(value));
}

}  // namespace

namespace {

// Every row of the result set of `stmt`, each value as text.
Expected<Rows> fetch_all(SQLHSTMT stmt) {
  SQLSMALLINT columns = 0;
  if (!SQL_SUCCEEDED(SQLNumResultCols(stmt, &columns))) {
    return Error(ErrorCategory::kDatabase, diagnostics(SQL_HANDLE_STMT, stmt));
  }
  Rows rows;
  if (columns == 0) return rows;  // a statement without a result set
  SQLRETURN rc;
  while (SQL_SUCCEEDED(rc = SQLFetch(stmt))) {
    auto& row = rows.emplace_back();
    row.reserve(static_cast<size_t>(columns));
    for (SQLUSMALLINT i = 1; i <= static_cast<SQLUSMALLINT>(columns); ++i) {
      auto value = read_value(stmt, i);
      if (!value) return value.take_error();
      row.push_back(std::move(*value));
    }
  }
  if (rc != SQL_NO_DATA) return Error(ErrorCategory::kDatabase, diagnostics(SQL_HANDLE_STMT, stmt));
  return rows;
}

SQLCHAR* text_arg(const std::string& s) {
  return reinterpret_cast<SQLCHAR*>(const_cast<char*>(s.c_str()));
}

}  // namespace

Expected<Rows> OdbcConnection::query(const std::string& sql) {
  Statement stmt(h_->dbc);
  SQLRETURN rc =
      SQLExecDirect(stmt.get(), reinterpret_cast<SQLCHAR*>(const_cast<char*>(sql.c_str())),
                    static_cast<SQLINTEGER>(sql.size()));
  // SQL_NO_DATA: a statement that touched no row, e.g. an INSERT ... SELECT
  // of an empty table; it has no result set.
  if (rc == SQL_NO_DATA) return Rows{};
  if (!SQL_SUCCEEDED(rc))
    return Error(ErrorCategory::kDatabase, diagnostics(SQL_HANDLE_STMT, stmt.get()));
  return fetch_all(stmt.get());
}

Expected<bool> OdbcConnection::query_short(const std::string& sql,
                                           const std::vector<size_t>& max_lengths,
                                           const RowSink& on_row) {
  Statement stmt(h_->dbc);
  SQLHSTMT s = stmt.get();
  // Rows a block; a driver that cannot fetch blocks fetches one at a time.
  SQLULEN block = 256;
  if (!SQL_SUCCEEDED(SQLSetStmtAttr(s, SQL_ATTR_ROW_BIND_TYPE, SQL_BIND_BY_COLUMN, 0)) ||
      !SQL_SUCCEEDED(
          SQLSetStmtAttr(s, SQL_ATTR_ROW_ARRAY_SIZE, reinterpret_cast<SQLPOINTER>(block), 0))) {
    block = 1;
    SQLSetStmtAttr(s, SQL_ATTR_ROW_ARRAY_SIZE, reinterpret_cast<SQLPOINTER>(block), 0);
  }
  SQLULEN fetched = 0;
  SQLSetStmtAttr(s, SQL_ATTR_ROWS_FETCHED_PTR, &fetched, 0);
  SQLRETURN rc = SQLExecDirect(s, reinterpret_cast<SQLCHAR*>(const_cast<char*>(sql.c_str())),
                               static_cast<SQLINTEGER>(sql.size()));
  if (rc == SQL_NO_DATA) return true;
  if (!SQL_SUCCEEDED(rc)) return Error(ErrorCategory::kDatabase, diagnostics(SQL_HANDLE_STMT, s));
  SQLSMALLINT columns = 0;
  if (!SQL_SUCCEEDED(SQLNumResultCols(s, &columns))) {
    return Error(ErrorCategory::kDatabase, diagnostics(SQL_HANDLE_STMT, s));
  }
  if (static_cast<size_t>(columns) != max_lengths.size()) {
    return Error(ErrorCategory::kDatabase,
                 fmt::format("a query returned {} columns where {} were expected", columns,
                             max_lengths.size()));
  }
  // Column-wise: for each column, `block` values of width + 1 bytes.
  struct Bound {
    size_t width;
    std::vector<char> values;
    std::vector<SQLLEN> lengths;
  };
  std::vector<Bound> bound;
  for (size_t i = 0; i < max_lengths.size(); ++i) {
    Bound& b = bound.emplace_back(Bound{max_lengths[i] + 1, {}, {}});
    b.values.resize(b.width * block);
    b.lengths.resize(block);
    if (!SQL_SUCCEEDED(SQLBindCol(s, static_cast<SQLUSMALLINT>(i + 1), SQL_C_CHAR, b.values.data(),
                                  static_cast<SQLLEN>(b.width), b.lengths.data()))) {
      return Error(ErrorCategory::kDatabase, diagnostics(SQL_HANDLE_STMT, s));
    }
  }
  std::vector<std::optional<std::string>> row(bound.size());
  while (SQL_SUCCEEDED(rc = SQLFetch(s))) {
    for (SQLULEN r = 0; r < fetched; ++r) {
      for (size_t i = 0; i < bound.size(); ++i) {
        const Bound& b = bound[i];
        const SQLLEN length = b.lengths[r];
        if (length == SQL_NULL_DATA) {
          row[i].reset();
        } else if (length < 0 || static_cast<size_t>(length) >= b.width) {
          return false;  // longer than the buffer: cut
        } else {
          row[i].emplace(&b.values[r * b.width], static_cast<size_t>(length));
        }
      }
      if (Error err = on_row(row)) return err;
    }
  }
  if (rc != SQL_NO_DATA) return Error(ErrorCategory::kDatabase, diagnostics(SQL_HANDLE_STMT, s));
  return true;
}

Expected<Rows> OdbcConnection::catalog(Catalog which, const std::string& table) {
  Statement stmt(h_->dbc);
  SQLHSTMT s = stmt.get();
  const std::string kind = "TABLE";
  SQLRETURN rc = SQL_ERROR;
  switch (which) {
    case Catalog::kTables:
      rc = SQLTables(s, nullptr, 0, nullptr, 0, nullptr, 0, text_arg(kind), SQL_NTS);
      break;
    case Catalog::kColumns:
      rc = SQLColumns(s, nullptr, 0, nullptr, 0, text_arg(table), SQL_NTS, nullptr, 0);
      break;
    case Catalog::kPrimaryKeys:
      rc = SQLPrimaryKeys(s, nullptr, 0, nullptr, 0, text_arg(table), SQL_NTS);
      break;
    case Catalog::kForeignKeys:
      rc = SQLForeignKeys(s, nullptr, 0, nullptr, 0, nullptr, 0, nullptr, 0, nullptr, 0,
                          text_arg(table), SQL_NTS);
      break;
    case Catalog::kStatistics:
      rc = SQLStatistics(s, nullptr, 0, nullptr, 0, text_arg(table), SQL_NTS, SQL_INDEX_ALL,
                         SQL_QUICK);
      break;
  }
  if (!SQL_SUCCEEDED(rc)) return Error(ErrorCategory::kDatabase, diagnostics(SQL_HANDLE_STMT, s));
  return fetch_all(s);
}

Expected<std::vector<std::optional<std::string>>> OdbcConnection::query_column(
    const std::string& sql) {
  auto rows = query(sql);
  if (!rows) return rows.take_error();
  std::vector<std::optional<std::string>> out;
  out.reserve(rows->size());
  for (auto& row : *rows) out.push_back(row.empty() ? std::nullopt : std::move(row.front()));
  return out;
}

}  // namespace retort
