// The operations a revision calls: op.create_table(...), op.add_column(...).
// Each call becomes a plain C retort_operation handed to the host, which has
// the dialect render it and runs or prints the SQL.
#ifndef RETORT_OPERATIONS_HPP
#define RETORT_OPERATIONS_HPP

#include <retort/abi.h>
#include <retort/schema.hpp>
#include <retort/sink.hpp>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace retort {
inline namespace abi1 {

// An index element: a column name, or an expression such as sql("lower(email)").
struct IndexElement {
  IndexElement(const char* column) : text(column) {}
  IndexElement(std::string column) : text(std::move(column)) {}
  IndexElement(Sql expression) : text(std::move(expression.text)), expression(true) {}

  std::string text;
  bool expression = false;
};

// create_index(..., {.unique = true, .where = "deleted_at IS NULL"})
struct IndexOptions {
  bool unique = false;
  std::string where{};  // a partial index's condition; empty = the whole table
};

// create_table(..., {.comment = "..."})
struct TableOptions {
  std::optional<std::string> comment{};
};

// create_foreign_key(..., {.on_delete = Referential::kCascade})
struct ForeignKeyOptions {
  Referential on_delete = Referential::kUnspecified;
  Referential on_update = Referential::kUnspecified;
};

// alter_column's changes, and what the revision knows of the column as it is.
// Dialects that must restate a whole column (MySQL) need the existing_* of
// every part that does not change; others ignore them.
struct AlterColumn {
  std::optional<Type> type{};
  std::optional<bool> nullable{};
  std::optional<Default> server_default{};
  bool drop_server_default = false;
  std::optional<std::string> new_column_name{};
  std::optional<std::string> comment{};
  bool drop_comment = false;
  // PostgreSQL's ALTER COLUMN ... TYPE ... USING <expression>.
  std::optional<std::string> using_expression{};

  std::optional<Type> existing_type{};
  std::optional<bool> existing_nullable{};
  std::optional<Default> existing_server_default{};
  std::optional<std::string> existing_comment{};
  bool existing_autoincrement = false;
};

namespace detail {
inline retort_str optional_str(const std::optional<std::string>& s) {
  return s ? to_str(*s) : retort_str{nullptr, 0};
}

// Whether `column` is one of the columns of a PrimaryKey({...}) among `constraints`.
inline bool in_primary_key(const std::vector<Constraint>& constraints, const std::string& column) {
  for (const Constraint& c : constraints) {
    if (c.kind() != RETORT_CONSTRAINT_PRIMARY_KEY) continue;
    for (const std::string& name : c.columns()) {
      if (name == column) return true;
    }
  }
  return false;
}

}  // namespace detail

// What upgrade() and downgrade() receive. Each call is run (or printed, with
// --sql) before the next one starts; a failure stops the revision. Every
// table argument takes a name or in_schema("schema", "name").
class Operations {
 public:
  explicit Operations(const retort_operations* host) : host_(host) {}

  // ---- Tables.
  // The columns of a PrimaryKey({...}) are NOT NULL, as SQLAlchemy makes
  // them, unless they say nullable(true); the dialect sees the NOT_NULL flag.
  void create_table(const TableName& table, const std::vector<Column>& columns,
                    const std::vector<Constraint>& constraints = {}, TableOptions options = {}) {
    std::vector<retort_column> views;
    views.reserve(columns.size());
    for (const Column& c : columns) {
      views.push_back(c.c());
      if (!c.nullability_stated() && detail::in_primary_key(constraints, c.name())) {
        views.back().flags |= RETORT_COLUMN_NOT_NULL;
      }
    }
    std::vector<const retort_column*> cols;
    cols.reserve(views.size());
    for (const retort_column& c : views) cols.push_back(&c);
    std::vector<const retort_constraint*> cons;
    cons.reserve(constraints.size());
    for (const Constraint& c : constraints) cons.push_back(&c.c());
    retort_operation op = make(RETORT_OP_CREATE_TABLE, table);
    op.columns = cols.data();
    op.column_count = cols.size();
    op.constraints = cons.data();
    op.constraint_count = cons.size();
    op.comment = detail::optional_str(options.comment);
    submit(op);
  }

  void drop_table(const TableName& table) { submit(make(RETORT_OP_DROP_TABLE, table)); }

  // The table keeps its schema.
  void rename_table(const TableName& table, std::string_view new_name) {
    retort_operation op = make(RETORT_OP_RENAME_TABLE, table);
    op.name = to_str(new_name);
    submit(op);
  }

  void create_table_comment(const TableName& table, std::string_view comment,
                            std::optional<std::string> existing_comment = std::nullopt) {
    retort_operation op = make(RETORT_OP_CREATE_TABLE_COMMENT, table);
    op.comment = to_str(comment);
    op.existing_comment = detail::optional_str(existing_comment);
    submit(op);
  }

  void drop_table_comment(const TableName& table,
                          std::optional<std::string> existing_comment = std::nullopt) {
    retort_operation op = make(RETORT_OP_DROP_TABLE_COMMENT, table);
    op.existing_comment = detail::optional_str(existing_comment);
    submit(op);
  }

  // ---- Columns.
  void add_column(const TableName& table, const Column& column) {
    const retort_column* cols[] = {&column.c()};
    retort_operation op = make(RETORT_OP_ADD_COLUMN, table);
    op.columns = cols;
    op.column_count = 1;
    submit(op);
  }

  void drop_column(const TableName& table, std::string_view column) {
    retort_operation op = make(RETORT_OP_DROP_COLUMN, table);
    op.name = to_str(column);
    submit(op);
  }

  // alter_column("account", "name", {.type = String(200), .existing_nullable = false})
  void alter_column(const TableName& table, std::string_view column, const AlterColumn& change) {
    Column target(std::string(column), Type{});
    Column existing(std::string(column), Type{});
    uint32_t alter = 0, known = 0;
    if (change.type) {
      target = Column(std::string(column), *change.type);
      alter |= RETORT_ALTER_TYPE;
    }
    if (change.existing_type) {
      existing = Column(std::string(column), *change.existing_type);
      known |= RETORT_ALTER_TYPE;
    }
    if (change.nullable) {
      target.nullable(*change.nullable);
      alter |= RETORT_ALTER_NULLABLE;
    }
    if (change.existing_nullable) {
      existing.nullable(*change.existing_nullable);
      known |= RETORT_ALTER_NULLABLE;
    }
    if (change.server_default) {
      target.server_default(*change.server_default);
      alter |= RETORT_ALTER_DEFAULT;
    } else if (change.drop_server_default) {
      alter |= RETORT_ALTER_DEFAULT;
    }
    if (change.existing_server_default) {
      existing.server_default(*change.existing_server_default);
      known |= RETORT_ALTER_DEFAULT;
    }
    if (change.comment) {
      target.comment(*change.comment);
      alter |= RETORT_ALTER_COMMENT;
    } else if (change.drop_comment) {
      alter |= RETORT_ALTER_COMMENT;
    }
    if (change.existing_comment) {
      existing.comment(*change.existing_comment);
      known |= RETORT_ALTER_COMMENT;
    }
    if (change.existing_autoincrement) {
      existing.autoincrement();
      known |= RETORT_ALTER_AUTOINCREMENT;
    }
    // The new name last: the Column above was built with the old one.
    retort_column target_c = target.c();
    if (change.new_column_name) {
      target_c.name = to_str(*change.new_column_name);
      alter |= RETORT_ALTER_NAME;
    }
    const retort_column* cols[] = {&target_c};
    retort_operation op = make(RETORT_OP_ALTER_COLUMN, table);
    op.name = to_str(column);
    op.columns = cols;
    op.column_count = 1;
    op.alter = alter;
    op.existing = known;
    op.existing_column = &existing.c();
    op.condition = detail::optional_str(change.using_expression);
    submit(op);
  }

  // ---- Indexes.
  void create_index(std::string_view name, const TableName& table,
                    const std::vector<IndexElement>& elements, IndexOptions options = {}) {
    std::vector<retort_str> names;
    std::vector<uint32_t> flags;
    names.reserve(elements.size());
    for (const IndexElement& e : elements) {
      names.push_back(to_str(e.text));
      flags.push_back(e.expression ? RETORT_ELEMENT_EXPRESSION : 0u);
    }
    retort_operation op = make(RETORT_OP_CREATE_INDEX, table);
    op.name = to_str(name);
    op.column_names = names.data();
    op.column_name_count = names.size();
    op.column_name_flags = flags.data();
    op.flags = options.unique ? RETORT_INDEX_UNIQUE : 0;
    op.condition = options.where.empty() ? retort_str{nullptr, 0} : to_str(options.where);
    submit(op);
  }

  // Dialects whose indexes belong to a table (MySQL, SQL Server) need it.
  void drop_index(std::string_view name, std::optional<TableName> table = std::nullopt) {
    const TableName owner = table ? *table : TableName(std::string());
    retort_operation op = make(RETORT_OP_DROP_INDEX, owner);
    if (!table) op.table = retort_str{nullptr, 0};
    op.name = to_str(name);
    submit(op);
  }

  // ---- Constraints.
  void create_primary_key(std::string_view name, const TableName& table,
                          std::vector<std::string> columns) {
    create_constraint(table, PrimaryKey(std::move(columns)).name(std::string(name)));
  }

  void create_unique_constraint(std::string_view name, const TableName& table,
                                std::vector<std::string> columns) {
    create_constraint(table, Unique(std::move(columns)).name(std::string(name)));
  }

  void create_foreign_key(std::string_view name, const TableName& source_table,
                          const TableName& referent_table, std::vector<std::string> local_columns,
                          std::vector<std::string> remote_columns, ForeignKeyOptions options = {}) {
    create_constraint(source_table, ForeignKey(std::move(local_columns), referent_table,
                                               std::move(remote_columns))
                                        .name(std::string(name))
                                        .on_delete(options.on_delete)
                                        .on_update(options.on_update));
  }

  void create_check_constraint(std::string_view name, const TableName& table,
                               std::string condition) {
    create_constraint(table, Check(std::move(condition)).name(std::string(name)));
  }

  // Any constraint, named or built with PrimaryKey/Unique/ForeignKey/Check.
  void create_constraint(const TableName& table, const Constraint& constraint) {
    const retort_constraint* cons[] = {&constraint.c()};
    retort_operation op = make(RETORT_OP_CREATE_CONSTRAINT, table);
    op.constraints = cons;
    op.constraint_count = 1;
    submit(op);
  }

  void drop_constraint(std::string_view name, const TableName& table, ConstraintType type) {
    Constraint constraint(static_cast<uint32_t>(type), {});
    constraint.name(std::string(name));
    const retort_constraint* cons[] = {&constraint.c()};
    retort_operation op = make(RETORT_OP_DROP_CONSTRAINT, table);
    op.constraints = cons;
    op.constraint_count = 1;
    submit(op);
  }

  // ---- Data.
  // Rows of literal values, each row in the order of `columns`, whose types
  // tell the dialect how to write each value.
  void bulk_insert(const TableName& table, const std::vector<Column>& columns,
                   const std::vector<Row>& rows) {
    std::vector<const retort_column*> cols;
    for (const Column& c : columns) cols.push_back(&c.c());
    std::vector<retort_value> values;
    values.reserve(rows.size() * columns.size());
    for (const Row& row : rows) {
      if (row.size() != columns.size()) {
        throw std::invalid_argument("bulk_insert into " + table.name + ": a row has " +
                                    std::to_string(row.size()) + " values for " +
                                    std::to_string(columns.size()) + " columns");
      }
      for (const Value& v : row) values.push_back(v.c());
    }
    retort_operation op = make(RETORT_OP_BULK_INSERT, table);
    op.columns = cols.data();
    op.column_count = cols.size();
    op.values = values.data();
    op.row_count = rows.size();
    submit(op);
  }

  // Runs SQL as written: the dialect does not touch it.
  void execute(std::string_view sql_text) {
    const TableName none(std::string{});
    retort_operation op = make(RETORT_OP_EXECUTE, none);
    op.table = retort_str{nullptr, 0};
    op.sql = to_str(sql_text);
    submit(op);
  }

  // True when the statements go into an SQL script (--sql) instead of a
  // database; query() cannot run then.
  bool is_offline() const {
    return host_->struct_size > offsetof(retort_operations, flags) &&
           (host_->flags & RETORT_OPERATIONS_OFFLINE) != 0;
  }

  // The database this revision runs on, in an environment of several (the
  // multidb template's `databases` key): its name there, such as "engine1".
  // Empty in an environment of one, and on a host older than ABI 1.4.
  std::string_view database_name() const {
    if (host_->struct_size < offsetof(retort_operations, database_name) + sizeof(retort_str)) {
      return {};
    }
    return to_view(host_->database_name);
  }

  // Runs a query online and returns its rows, for data migrations. Offline,
  // or on a host older than ABI 1.1, the revision stops with the host's reason.
  Rows query(std::string_view sql_text) {
    if (host_->struct_size <= offsetof(retort_operations, query) || host_->query == nullptr) {
      throw std::runtime_error("this retort host cannot run queries; it predates ABI 1.1");
    }
    detail::RowCollector rows;
    int status = host_->query(host_->ctx, sql_text.data(), sql_text.size(), rows.get());
    if (status != RETORT_OK) throw detail::HostAborted{status};
    return rows.take();
  }

 private:
  static retort_operation make(uint32_t kind, const TableName& table) {
    retort_operation op{};
    op.struct_size = sizeof(retort_operation);
    op.kind = kind;
    if (table.schema) op.schema = to_str(*table.schema);
    op.table = to_str(table.name);
    return op;
  }

  void submit(const retort_operation& op) {
    int status = host_->submit(host_->ctx, &op);
    if (status != RETORT_OK) throw detail::HostAborted{status};
  }

  const retort_operations* host_;
};

}  // namespace abi1
}  // namespace retort

#endif  // RETORT_OPERATIONS_HPP
