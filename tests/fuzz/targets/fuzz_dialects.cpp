// fuzz_dialects: each built-in dialect's quoting of names and literals, its
// URLs, and the operations that carry text a user wrote (dialects/*/). The
// five dialects are linked in, each with its entry point renamed
// (CMakeLists.txt), and driven through the C ABI as the host drives a
// loaded plugin, offline (no query runs).
//
// The input is up to six fields separated by the byte 0xff:
//   control  byte 0: the column type; byte 1: column flags
//   text     a value, comment, version id or lock name
//   name     a table, column or index name
//   schema   absent when empty
//   url      a database URL
//   extra    a column's server default
// Every input goes to all five dialects. Checks, for each:
//   - a render or connection fails only with RETORT_UNSUPPORTED or
//     RETORT_INVALID, never RETORT_ERROR (a stray exception);
//   - a text or binary value read back from its literal (sql_reader.hpp)
//     is the value, and so is a version id; a name, qualified or not, reads
//     back as itself;
//   - in SQL Server and Oracle statements that carry the text (values,
//     defaults, comments), no line break inside quotes, where sqlcmd or
//     SQL*Plus would read a line of it ("GO", "/", a blank line), and no
//     "$(" (sqlcmd) or '&' (SQL*Plus) at all;
//   - no refusal and no redacted URL shows a password planted as kSecret.
#include <retort/abi.h>
#include <retort/sink.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"
#include "sql_reader.hpp"

extern "C" {
const retort_plugin* retort_fuzz_entry_sqlite(const retort_host*);
const retort_plugin* retort_fuzz_entry_postgresql(const retort_host*);
const retort_plugin* retort_fuzz_entry_mysql(const retort_host*);
const retort_plugin* retort_fuzz_entry_mssql(const retort_host*);
const retort_plugin* retort_fuzz_entry_oracle(const retort_host*);
}

namespace {

using retort_fuzz::check;
using retort_fuzz::Spelling;

struct Dialect {
  const char* name;
  retort_entry_fn entry;
  Spelling spelling;
  // Whether a tool reads its scripts line by line before the server does
  // (sqlcmd, SQL*Plus).
  bool misread;
  const retort_dialect* table = nullptr;
};

Dialect dialects[] = {
    {"sqlite", retort_fuzz_entry_sqlite, Spelling::kStandard, false},
    {"postgresql", retort_fuzz_entry_postgresql, Spelling::kPostgresql, false},
    {"mysql", retort_fuzz_entry_mysql, Spelling::kMysql, false},
    {"mssql", retort_fuzz_entry_mssql, Spelling::kMssql, true},
    {"oracle", retort_fuzz_entry_oracle, Spelling::kOracle, true},
};

void no_log(void*, int, const char*, size_t) {}
const retort_host kHost = {
    sizeof(retort_host), RETORT_ABI_MAJOR, RETORT_ABI_MINOR, nullptr, no_log, nullptr};

void append(void* ctx, const char* data, size_t size) {
  static_cast<std::string*>(ctx)->append(data, size);
}
int collect(void* ctx, const char* sql, size_t size) {
  static_cast<std::vector<std::string>*>(ctx)->emplace_back(sql, size);
  return RETORT_OK;
}

retort_str str(std::string_view s) { return {s.data(), s.size()}; }

struct Fields {
  std::string_view control, text, name, url, extra;
  retort_str schema{};  // absent unless given and not empty
};

Fields split(std::string_view input) {
  std::string_view parts[6];
  size_t n = 0;
  while (n < 6) {
    const size_t end = input.find('\xff');
    parts[n++] = input.substr(0, end);
    if (end == std::string_view::npos) break;
    input.remove_prefix(end + 1);
  }
  Fields f{parts[0], parts[1], parts[2], parts[4], parts[5]};
  if (n > 3 && !parts[3].empty()) f.schema = str(parts[3]);
  return f;
}

class Run {
 public:
  explicit Run(const Dialect& d) : d_(d) {}

  // Renders `op`; its statements, or nothing when the dialect refused it.
  std::vector<std::string> render(const retort_operation& op, const char* what) {
    std::vector<std::string> statements;
    std::string error;
    const retort_statement_sink out = {sizeof(retort_statement_sink), &statements, collect,
                                       nullptr};
    const retort_sink err = {sizeof(retort_sink), &error, append};
    const int status = d_.table->render(&op, &out, &err);
    if (status == RETORT_OK) return statements;
    status_ok(status, error, what);
    return {};
  }

  void status_ok(int status, const std::string& error, const char* what) const {
    check(status == RETORT_UNSUPPORTED || status == RETORT_INVALID,
          where(what) + ": failed with status " + std::to_string(status), error);
    retort_fuzz::check_message(error, where(what));
  }

  // For a dialect whose scripts a tool reads line by line before the server
  // does (sqlcmd, SQL*Plus): no line break inside a quoted literal or name,
  // where the tool would see a line of the user's text ("GO", "/", a blank
  // line), and no "$(" (sqlcmd's variables) or '&' (SQL*Plus's) anywhere.
  void check_script(const std::vector<std::string>& statements, const char* what) const {
    if (!d_.misread) return;
    const bool mssql = d_.spelling == Spelling::kMssql;
    for (const std::string& sql : statements) {
      char close = 0;  // the quote being read, if any
      for (size_t i = 0; i < sql.size(); ++i) {
        const char c = sql[i];
        if (mssql && c == '$' && i + 1 < sql.size() && sql[i + 1] == '(') {
          fail(where(what) + ": sqlcmd would read a variable in $(", statements);
        }
        if (!mssql && c == '&') fail(where(what) + ": SQL*Plus would read '&'", statements);
        if (close == 0) {
          if (c == '\'' || c == '"') close = c;
          if (mssql && c == '[') close = ']';
          continue;
        }
        if (c == '\n' || c == '\r') {
          fail(where(what) + ": a line break inside quotes, which " +
                   (mssql ? "sqlcmd" : "SQL*Plus") + " reads as a line of the script",
               statements);
        }
        if (c != close) continue;
        if (i + 1 < sql.size() && sql[i + 1] == close) {
          ++i;
          continue;
        }
        close = 0;
      }
    }
  }

  // Renders `op`, then checks its statements as check_script does.
  std::vector<std::string> render_script(const retort_operation& op, const char* what) {
    std::vector<std::string> sql = render(op, what);
    check_script(sql, what);
    return sql;
  }

  // In the statement that starts with `prefix`, the literal expression that
  // follows (up to the closing ')') reads back as `expected`.
  void check_literal(const std::vector<std::string>& statements, std::string_view prefix,
                     std::string_view expected, const char* what) const {
    for (const std::string& sql : statements) {
      if (!sql.starts_with(prefix)) continue;
      retort_fuzz::SqlReader reader(std::string_view(sql).substr(prefix.size()), d_.spelling);
      const auto value = reader.expression();
      check(value.has_value() && reader.take(")") && reader.at_end(),
            where(what) + ": the literal cannot be read back", sql);
      check(*value == expected, where(what) + ": the literal reads back as another value", sql);
      return;
    }
    fail(where(what) + ": no statement starts with " + std::string(prefix), statements);
  }

  [[noreturn]] void fail(const std::string& what,
                         const std::vector<std::string>& statements) const {
    std::string all;
    for (const std::string& s : statements) all += s + "\n";
    retort_fuzz::fail(what, all);
  }

  std::string where(const char* what) const { return std::string(d_.name) + " " + what; }

  const Dialect& d_;
};

retort_operation operation(uint32_t kind) {
  retort_operation op{};
  op.struct_size = sizeof op;
  op.kind = kind;
  return op;
}

// The value in `text` for a column of `type`, and whether it reads back
// unchanged from its literal (numbers, dates, times and UUIDs are written
// otherwise).
bool reads_back(uint32_t type) {
  return type == RETORT_TYPE_STRING || type == RETORT_TYPE_TEXT || type == RETORT_TYPE_UNICODE ||
         type == RETORT_TYPE_JSON || type == RETORT_TYPE_BINARY || type == RETORT_TYPE_ENUM ||
         type == RETORT_TYPE_CUSTOM;
}

void exercise(const Dialect& d, const Fields& f) {
  Run run(d);
  const uint32_t type =
      f.control.empty() ? RETORT_TYPE_TEXT : 1 + static_cast<uint8_t>(f.control[0]) % 18;
  // No DEFAULT_IS_EXPRESSION: such a default is SQL as the user wrote it.
  const uint32_t flags = f.control.size() < 2 ? 0 : static_cast<uint8_t>(f.control[1]) & 0xfu;

  retort_column column{};
  column.struct_size = sizeof column;
  column.name = str("v");
  column.type = type;
  column.length = type == RETORT_TYPE_BINARY ? 0 : 40;
  column.precision = 10;
  column.type_name = str("x");
  column.flags = flags;
  const retort_column* columns[] = {&column};

  // bulk_insert: a value in a literal of the column's type.
  retort_value value{};
  value.kind = type == RETORT_TYPE_BINARY ? RETORT_VALUE_BINARY : RETORT_VALUE_TEXT;
  value.text = str(f.text);
  retort_operation insert = operation(RETORT_OP_BULK_INSERT);
  insert.table = str("t");
  insert.columns = columns;
  insert.column_count = 1;
  insert.values = &value;
  insert.row_count = 1;
  std::vector<std::string> sql = run.render_script(insert, "bulk_insert");
  if (!sql.empty() && reads_back(type)) {
    run.check_literal(sql, "INSERT INTO t (v) VALUES (", f.text, "bulk_insert");
  }

  // The version table's rows.
  retort_operation version = operation(RETORT_OP_INSERT_VERSION);
  version.table = str("retort_version");
  version.version = str(f.text);
  sql = run.render_script(version, "insert_version");
  if (!sql.empty()) {
    run.check_literal(sql, "INSERT INTO retort_version (version_num) VALUES (", f.text,
                      "insert_version");
  }

  // A name, qualified by a schema when given, reads back.
  retort_operation drop = operation(RETORT_OP_DROP_TABLE);
  drop.schema = f.schema;
  drop.table = str(f.name);
  sql = run.render_script(drop, "drop_table");
  if (!sql.empty()) {
    check(sql.size() == 1 && sql[0].starts_with("DROP TABLE "),
          run.where("drop_table") + ": not one DROP TABLE", sql.empty() ? "" : sql[0]);
    retort_fuzz::SqlReader reader(std::string_view(sql[0]).substr(11), d.spelling);
    if (!retort::is_absent(f.schema)) {
      const auto schema = reader.name();
      check(schema == retort::to_view(f.schema) && reader.take("."),
            run.where("drop_table") + ": the schema does not read back", sql[0]);
    }
    const auto name = reader.name();
    check(name == f.name && reader.at_end(),
          run.where("drop_table") + ": the name does not read back", sql[0]);
  }

  // Text in DDL: a server default (when `extra` is given), a column's and a
  // table's comment.
  column.server_default = f.extra.empty() ? retort_str{} : str(f.extra);
  column.comment = str(f.text);
  retort_operation create = operation(RETORT_OP_CREATE_TABLE);
  create.table = str("t");
  create.columns = columns;
  create.column_count = 1;
  create.comment = str(f.text);
  (void)run.render_script(create, "create_table");
  for (uint32_t kind : {RETORT_OP_CREATE_TABLE_COMMENT, RETORT_OP_DROP_TABLE_COMMENT}) {
    retort_operation comment = operation(kind);
    comment.table = str("t");
    comment.comment = str(f.text);
    comment.existing_comment = str(f.extra);
    (void)run.render_script(comment, "table comment");
  }

  // The lock. Its name is the host's ("retort:" and the version table);
  // SQL Server writes it as it stands (N'...'), as it writes names, and
  // refuses one sqlcmd would misread.
  for (uint32_t kind :
       {RETORT_OP_TRY_LOCK, RETORT_OP_RELEASE_LOCK, RETORT_OP_LOCK_HOLDER, RETORT_OP_WAIT_LOCK}) {
    retort_operation lock = operation(kind);
    lock.name = str(f.text);
    lock.table = str("retort_version");
    (void)run.render_script(lock, "lock");
  }

  // Names in other operations: no crash, and refusals as above.
  retort_str names[] = {str(f.name), str(f.text)};
  retort_operation index = operation(RETORT_OP_CREATE_INDEX);
  index.schema = f.schema;
  index.table = str("t");
  index.name = str(f.name);
  index.column_names = names;
  index.column_name_count = 2;
  index.flags = flags & RETORT_INDEX_UNIQUE;
  (void)run.render_script(index, "create_index");
  retort_operation rename = operation(RETORT_OP_RENAME_TABLE);
  rename.schema = f.schema;
  rename.table = str("t");
  rename.name = str(f.name);
  (void)run.render_script(rename, "rename_table");
  retort_operation drop_column = operation(RETORT_OP_DROP_COLUMN);
  drop_column.table = str("t");
  drop_column.name = str(f.name);
  (void)run.render_script(drop_column, "drop_column");

  // URLs: a connection string or a one-line refusal; no password shown.
  const bool secret =
      retort_fuzz::holds_secret_once(f.url) && retort_fuzz::secret_is_password(f.url);
  std::string out, error;
  const retort_sink out_sink = {sizeof(retort_sink), &out, append};
  const retort_sink err_sink = {sizeof(retort_sink), &error, append};
  const int status = d.table->connection_string(f.url.data(), f.url.size(), &out_sink, &err_sink);
  if (status != RETORT_OK) {
    run.status_ok(status, error, "connection_string");
    if (secret) retort_fuzz::check_no_secret(error, run.where("connection_string"));
  }
  out.clear();
  check(d.table->redact_url(f.url.data(), f.url.size(), &out_sink) == RETORT_OK,
        run.where("redact_url") + ": failed");
  if (secret) retort_fuzz::check_no_secret(out, run.where("redact_url"));
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  for (Dialect& d : dialects) {
    const retort_plugin* plugin = d.entry(&kHost);
    check(plugin != nullptr && plugin->kind == RETORT_KIND_DIALECT,
          std::string(d.name) + ": no dialect descriptor");
    d.table = static_cast<const retort_dialect*>(plugin->table);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Fields fields = split(retort_fuzz::as_text(data, size));
  for (const Dialect& d : dialects) exercise(d, fields);
  return 0;
}
