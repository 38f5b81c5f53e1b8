// A database connection through unixODBC: connect with a connection string,
// run statements, read one column of rows, and commit or roll back. All ODBC
// calls of the host live here.
#ifndef RETORT_ODBC_CONNECTION_HPP
#define RETORT_ODBC_CONNECTION_HPP

#include <retort/error.hpp>
#include <retort/sink.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retort {

class OdbcConnection {
 public:
  // `display_name` names the database in errors (a redacted URL): the
  // connection string itself may hold a password and is never shown.
  static Expected<OdbcConnection> connect(const std::string& connection_string,
                                          const std::string& display_name);

  // An application's connection (an SQLHDBC it allocated, connected and
  // still owns): used, never disconnected, freed or rolled back here.
  static OdbcConnection borrow(void* hdbc, const std::string& display_name);

  OdbcConnection(OdbcConnection&&) noexcept;
  OdbcConnection& operator=(OdbcConnection&&) noexcept;
  ~OdbcConnection();

  // Turns autocommit off: statements run in a transaction until commit() or
  // rollback().
  Error begin();
  // Whether statements commit one by one (ODBC's SQL_ATTR_AUTOCOMMIT); off
  // means a transaction is open, ODBC's way.
  Expected<bool> autocommit();
  Error set_autocommit(bool on);
  // The server's product name, as the driver reports it (SQL_DBMS_NAME).
  Expected<std::string> dbms_name();
  Error commit();
  Error rollback();

  // Runs one statement; `affected`, if given, receives its row count.
  Error execute(const std::string& sql, long long* affected = nullptr);
  // Whether a table of that exact name exists (ODBC's catalog, SQLTables), in
  // `schema` when given.
  Expected<bool> table_exists(const std::string& name, const std::string& schema = {});
  // Runs a query and returns its rows, each value as text, NULL as nullopt.
  Expected<Rows> query(const std::string& sql);
  // The same for a query whose columns are short (text of at most
  // `max_lengths[i]` bytes, or numbers), fetched into buffers many rows at a
  // time: one call to the driver per block of rows instead of one per
  // value, for reading thousands of rows. Each row is handed to `on_row`
  // as it is fetched (its values may be moved from), and no table of rows
  // is built. False when a value is longer than its column's maximum: the
  // rows handed so far are then not all of them (read it with query()).
  using RowSink = std::function<Error(std::vector<std::optional<std::string>>& row)>;
  Expected<bool> query_short(const std::string& sql, const std::vector<size_t>& max_lengths,
                             const RowSink& on_row);
  // What an ODBC catalog function returns, every column as text in the
  // order the ODBC reference gives: SQLTables (base tables only),
  // SQLColumns, SQLPrimaryKeys, SQLForeignKeys (the keys of `table`) and
  // SQLStatistics (all its indexes).
  enum class Catalog { kTables, kColumns, kPrimaryKeys, kForeignKeys, kStatistics };
  Expected<Rows> catalog(Catalog which, const std::string& table = {});
  // Runs a query and returns its first column, NULL as nullopt.
  Expected<std::vector<std::optional<std::string>>> query_column(const std::string& sql);

 private:
  struct Handles;
  explicit OdbcConnection(std::unique_ptr<Handles> h);
  std::unique_ptr<Handles> h_;
};

// A driver's diagnostic on one line, as every error is: each run of
// whitespace (newlines and tabs included) becomes one space, and none is
// left at either end. psqlODBC's "Connection refused", for one, continues on
// a tab-indented second line.
std::string one_line(std::string_view text);

}  // namespace retort

#endif  // RETORT_ODBC_CONNECTION_HPP
