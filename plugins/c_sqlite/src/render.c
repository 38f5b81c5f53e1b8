/*
** c_sqlite's rendering: tables, columns, indexes, execute and the host's
** version table, in SQLite's SQL. Every other operation is refused with
** RETORT_UNSUPPORTED and a message saying what to do instead.
*/
#include "c_sqlite.h"

#include <stdlib.h>
#include <string.h>

/* Alembic's name for the version table's one column. */
static const retort_str kVersionColumn = {"version_num", 11};

/* A copy of a growable struct honouring its struct_size (abi.h, rule 2). */
#define CS_SIZED_COPY(out, in)                                                        \
  do {                                                                                \
    size_t size_ = (in)->struct_size < sizeof(out) ? (in)->struct_size : sizeof(out); \
    memset(&(out), 0, sizeof(out));                                                   \
    memcpy(&(out), (in), size_);                                                      \
  } while (0)

/* [schema.]table, both quoted. */
static int table_name(cs_text *t, const retort_operation *op, const retort_sink *error) {
  if (!cs_absent(op->schema)) {
    int status = cs_quote_identifier(t, op->schema, "schema name", error);
    if (status != RETORT_OK) return status;
    cs_append_c(t, ".");
  }
  return cs_quote_identifier(t, op->table, "table name", error);
}

/* SQLite's spelling of a column type. Its type affinity makes most names
** work; these are the ones SQLAlchemy writes for SQLite. */
static int type_name(cs_text *t, const retort_column *c, const retort_sink *error) {
  if (c->length < 0 || c->precision < 0 || c->scale < 0) {
    cs_say_named(error, "column ", c->name, " has a negative length, precision or scale");
    return RETORT_INVALID;
  }
  switch (c->type) {
    case RETORT_TYPE_INTEGER:
      cs_append_c(t, "INTEGER");
      return RETORT_OK;
    case RETORT_TYPE_SMALLINT:
      cs_append_c(t, "SMALLINT");
      return RETORT_OK;
    case RETORT_TYPE_BIGINT:
      cs_append_c(t, "BIGINT");
      return RETORT_OK;
    case RETORT_TYPE_FLOAT:
      cs_append_c(t, "FLOAT");
      return RETORT_OK;
    case RETORT_TYPE_TEXT:
      cs_append_c(t, "TEXT");
      return RETORT_OK;
    case RETORT_TYPE_BOOLEAN:
      cs_append_c(t, "BOOLEAN");
      return RETORT_OK;
    case RETORT_TYPE_DATE:
      cs_append_c(t, "DATE");
      return RETORT_OK;
    case RETORT_TYPE_DATETIME:
      cs_append_c(t, "DATETIME");
      return RETORT_OK;
    case RETORT_TYPE_TIME:
      cs_append_c(t, "TIME");
      return RETORT_OK;
    case RETORT_TYPE_JSON:
      cs_append_c(t, "JSON");
      return RETORT_OK;
    case RETORT_TYPE_UUID:
      cs_append_c(t, "CHAR(32)");
      return RETORT_OK;
    case RETORT_TYPE_NUMERIC:
      cs_append_c(t, "NUMERIC");
      if (c->precision > 0) {
        cs_append_c(t, "(");
        cs_append_int(t, c->precision);
        if (c->scale > 0) {
          cs_append_c(t, ", ");
          cs_append_int(t, c->scale);
        }
        cs_append_c(t, ")");
      }
      return RETORT_OK;
    case RETORT_TYPE_STRING:
    case RETORT_TYPE_UNICODE:
    case RETORT_TYPE_ENUM:
      cs_append_c(t, "VARCHAR");
      if (c->length > 0) {
        cs_append_c(t, "(");
        cs_append_int(t, c->length);
        cs_append_c(t, ")");
      }
      return RETORT_OK;
    case RETORT_TYPE_BINARY:
      cs_append_c(t, "BLOB");
      return RETORT_OK;
    case RETORT_TYPE_CUSTOM:
      if (c->type_name.size == 0) {
        cs_say_named(error, "column ", c->name, " has a custom type with no type name");
        return RETORT_INVALID;
      }
      cs_append_str(t, c->type_name);
      return RETORT_OK;
    default:
      break;
  }
  cs_say_named(error, "c_sqlite cannot store column ", c->name,
               ": SQLite has no INTERVAL type (nor this type code); use Custom(\"...\")");
  return RETORT_UNSUPPORTED;
}

/* "name" TYPE [PRIMARY KEY AUTOINCREMENT] [DEFAULT ...] [NOT NULL] [UNIQUE].
** inline_key: this is the table's one key column and an INTEGER with
** AUTOINCREMENT, which SQLite only allows as an inline PRIMARY KEY. */
static int column_definition(cs_text *t, const retort_column *c, int inline_key,
                             const retort_sink *error) {
  int status = cs_quote_identifier(t, c->name, "column name", error);
  if (status != RETORT_OK) return status;
  cs_append_c(t, " ");
  status = type_name(t, c, error);
  if (status != RETORT_OK) return status;
  if (inline_key) cs_append_c(t, " PRIMARY KEY AUTOINCREMENT");
  if (!cs_absent(c->server_default)) {
    cs_append_c(t, " DEFAULT ");
    if (c->flags & RETORT_COLUMN_DEFAULT_IS_EXPRESSION) {
      /* SQLite takes any expression in parentheses. */
      cs_append_c(t, "(");
      cs_append_str(t, c->server_default);
      cs_append_c(t, ")");
    } else {
      status = cs_quote_literal(t, c->server_default, error);
      if (status != RETORT_OK) return status;
    }
  }
  if (c->flags & (RETORT_COLUMN_NOT_NULL | RETORT_COLUMN_PRIMARY_KEY)) cs_append_c(t, " NOT NULL");
  if (c->flags & RETORT_COLUMN_UNIQUE) cs_append_c(t, " UNIQUE");
  return RETORT_OK;
}

static int render_create_table(cs_text *t, const retort_operation *op, const retort_column *cols,
                               const retort_sink *error) {
  size_t i;
  size_t keys = 0;
  int inline_key = 0;
  int status;
  if (op->column_count == 0) {
    cs_say_named(error, "table ", op->table, " has no columns");
    return RETORT_INVALID;
  }
  if (op->constraint_count > 0) {
    cs_say_named(error, "c_sqlite does not render table constraints (table ", op->table,
                 "): declare them with op.execute(\"CREATE TABLE ...\") or use the sqlite dialect");
    return RETORT_UNSUPPORTED;
  }
  for (i = 0; i < op->column_count; ++i) {
    if (cols[i].flags & RETORT_COLUMN_PRIMARY_KEY) ++keys;
  }
  for (i = 0; i < op->column_count; ++i) {
    if (!(cols[i].flags & RETORT_COLUMN_AUTOINCREMENT)) continue;
    if (keys != 1 || !(cols[i].flags & RETORT_COLUMN_PRIMARY_KEY) ||
        cols[i].type != RETORT_TYPE_INTEGER) {
      cs_say_named(error, "column ", cols[i].name,
                   ": SQLite autoincrements only the one INTEGER primary key column of a table");
      return RETORT_UNSUPPORTED;
    }
    inline_key = 1;
  }
  cs_append_c(t, "CREATE TABLE ");
  status = table_name(t, op, error);
  if (status != RETORT_OK) return status;
  cs_append_c(t, " (");
  for (i = 0; i < op->column_count; ++i) {
    const int is_key = (cols[i].flags & RETORT_COLUMN_PRIMARY_KEY) != 0;
    cs_append_c(t, i == 0 ? "\n    " : ",\n    ");
    status = column_definition(t, &cols[i], inline_key && is_key, error);
    if (status != RETORT_OK) return status;
  }
  if (keys > 0 && !inline_key) {
    size_t n = 0;
    cs_append_c(t, ",\n    PRIMARY KEY (");
    for (i = 0; i < op->column_count; ++i) {
      if (!(cols[i].flags & RETORT_COLUMN_PRIMARY_KEY)) continue;
      if (n++ > 0) cs_append_c(t, ", ");
      status = cs_quote_identifier(t, cols[i].name, "column name", error);
      if (status != RETORT_OK) return status;
    }
    cs_append_c(t, ")");
  }
  cs_append_c(t, "\n)");
  return RETORT_OK;
}

static int render_add_column(cs_text *t, const retort_operation *op, const retort_column *cols,
                             const retort_sink *error) {
  int status;
  if (op->column_count != 1) {
    cs_say_named(error, "add_column to table ", op->table, " needs exactly one column");
    return RETORT_INVALID;
  }
  if (cols[0].flags &
      (RETORT_COLUMN_PRIMARY_KEY | RETORT_COLUMN_UNIQUE | RETORT_COLUMN_AUTOINCREMENT)) {
    cs_say_named(error, "SQLite cannot add primary key, unique or autoincrement column ",
                 cols[0].name, ": add the column, then create a unique index");
    return RETORT_UNSUPPORTED;
  }
  cs_append_c(t, "ALTER TABLE ");
  status = table_name(t, op, error);
  if (status != RETORT_OK) return status;
  cs_append_c(t, " ADD COLUMN ");
  return column_definition(t, &cols[0], 0, error);
}

static int render_create_index(cs_text *t, const retort_operation *op, const retort_sink *error) {
  size_t i;
  int status;
  if (op->column_name_count == 0 || op->column_names == NULL) {
    cs_say_named(error, "index ", op->name, " has no columns");
    return RETORT_INVALID;
  }
  cs_append_c(t, (op->flags & RETORT_INDEX_UNIQUE) ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
  /* SQLite qualifies the index, not the table: CREATE INDEX s.ix ON t (...). */
  if (!cs_absent(op->schema)) {
    status = cs_quote_identifier(t, op->schema, "schema name", error);
    if (status != RETORT_OK) return status;
    cs_append_c(t, ".");
  }
  status = cs_quote_identifier(t, op->name, "index name", error);
  if (status != RETORT_OK) return status;
  cs_append_c(t, " ON ");
  status = cs_quote_identifier(t, op->table, "table name", error);
  if (status != RETORT_OK) return status;
  cs_append_c(t, " (");
  for (i = 0; i < op->column_name_count; ++i) {
    if (i > 0) cs_append_c(t, ", ");
    if (op->column_name_flags != NULL && (op->column_name_flags[i] & RETORT_ELEMENT_EXPRESSION)) {
      cs_append_str(t, op->column_names[i]); /* an SQL expression, as written */
      continue;
    }
    status = cs_quote_identifier(t, op->column_names[i], "index column name", error);
    if (status != RETORT_OK) return status;
  }
  cs_append_c(t, ")");
  if (!cs_absent(op->condition)) {
    cs_append_c(t, " WHERE ");
    cs_append_str(t, op->condition);
  }
  return RETORT_OK;
}

static int render_drop_index(cs_text *t, const retort_operation *op, const retort_sink *error) {
  int status;
  cs_append_c(t, "DROP INDEX ");
  if (!cs_absent(op->schema)) {
    status = cs_quote_identifier(t, op->schema, "schema name", error);
    if (status != RETORT_OK) return status;
    cs_append_c(t, ".");
  }
  return cs_quote_identifier(t, op->name, "index name", error);
}

/* The version table, with Alembic's statement shapes. */
static int render_version_op(cs_text *t, const retort_operation *op, const retort_sink *error) {
  int status;
  switch (op->kind) {
    case RETORT_OP_CREATE_VERSION_TABLE: {
      cs_text key = {0};
      cs_append_c(t, "CREATE TABLE ");
      status = table_name(t, op, error);
      if (status != RETORT_OK) return status;
      cs_append_c(t, " (\n    \"version_num\" VARCHAR(32) NOT NULL,\n    CONSTRAINT ");
      cs_append_str(&key, op->table);
      cs_append_c(&key, "_pkc");
      if (key.failed) return RETORT_ERROR;
      status = cs_quote_identifier(t, (retort_str){key.data, key.size}, "table name", error);
      cs_text_free(&key);
      if (status != RETORT_OK) return status;
      cs_append_c(t, " PRIMARY KEY (\"version_num\")\n)");
      return RETORT_OK;
    }
    case RETORT_OP_INSERT_VERSION:
      cs_append_c(t, "INSERT INTO ");
      status = table_name(t, op, error);
      if (status != RETORT_OK) return status;
      cs_append_c(t, " (\"version_num\") VALUES (");
      break;
    case RETORT_OP_UPDATE_VERSION:
      if (op->old_version.size == 0) {
        cs_say(error, "the operation has no old version");
        return RETORT_INVALID;
      }
      cs_append_c(t, "UPDATE ");
      status = table_name(t, op, error);
      if (status != RETORT_OK) return status;
      cs_append_c(t, " SET \"version_num\" = ");
      status = cs_quote_literal(t, op->version, error);
      if (status != RETORT_OK) return status;
      cs_append_c(t, " WHERE \"version_num\" = ");
      return cs_quote_literal(t, op->old_version, error);
    case RETORT_OP_DELETE_VERSION:
      cs_append_c(t, "DELETE FROM ");
      status = table_name(t, op, error);
      if (status != RETORT_OK) return status;
      cs_append_c(t, " WHERE \"version_num\" = ");
      break;
    default: /* RETORT_OP_SELECT_VERSIONS */
      cs_append_c(t, "SELECT ");
      (void)cs_quote_identifier(t, kVersionColumn, "column name", error);
      cs_append_c(t, " FROM ");
      return table_name(t, op, error);
  }
  if (op->version.size == 0) {
    cs_say(error, "the operation has no version");
    return RETORT_INVALID;
  }
  status = cs_quote_literal(t, op->version, error);
  if (status != RETORT_OK) return status;
  if (op->kind == RETORT_OP_INSERT_VERSION) cs_append_c(t, ")");
  return RETORT_OK;
}

/* The ABI 1.1 operations c_sqlite leaves to the built-in sqlite dialect. */
static const char *unsupported_name(uint32_t kind) {
  switch (kind) {
    case RETORT_OP_RENAME_TABLE:
      return "rename_table";
    case RETORT_OP_ALTER_COLUMN:
      return "alter_column";
    case RETORT_OP_CREATE_CONSTRAINT:
      return "create_constraint";
    case RETORT_OP_DROP_CONSTRAINT:
      return "drop_constraint";
    case RETORT_OP_CREATE_TABLE_COMMENT:
      return "create_table_comment";
    case RETORT_OP_DROP_TABLE_COMMENT:
      return "drop_table_comment";
    case RETORT_OP_BULK_INSERT:
      return "bulk_insert";
    default:
      return NULL;
  }
}

/* Renders one statement of `op` into t. */
static int render_one(cs_text *t, const retort_operation *op, const retort_column *cols,
                      const retort_sink *error) {
  int status;
  switch (op->kind) {
    case RETORT_OP_CREATE_TABLE:
      return render_create_table(t, op, cols, error);
    case RETORT_OP_DROP_TABLE:
      cs_append_c(t, "DROP TABLE ");
      return table_name(t, op, error);
    case RETORT_OP_ADD_COLUMN:
      return render_add_column(t, op, cols, error);
    case RETORT_OP_DROP_COLUMN: /* SQLite 3.35 and later */
      cs_append_c(t, "ALTER TABLE ");
      status = table_name(t, op, error);
      if (status != RETORT_OK) return status;
      cs_append_c(t, " DROP COLUMN ");
      return cs_quote_identifier(t, op->name, "column name", error);
    case RETORT_OP_CREATE_INDEX:
      return render_create_index(t, op, error);
    case RETORT_OP_DROP_INDEX:
      return render_drop_index(t, op, error);
    case RETORT_OP_EXECUTE:
      if (op->sql.size == 0) {
        cs_say(error, "the operation has no SQL text");
        return RETORT_INVALID;
      }
      cs_append_str(t, op->sql);
      return RETORT_OK;
    case RETORT_OP_CREATE_VERSION_TABLE:
    case RETORT_OP_INSERT_VERSION:
    case RETORT_OP_UPDATE_VERSION:
    case RETORT_OP_DELETE_VERSION:
    case RETORT_OP_SELECT_VERSIONS:
      return render_version_op(t, op, error);
    default:
      break;
  }
  if (unsupported_name(op->kind) != NULL) {
    /* The host's message already names the dialect and the operation. */
    cs_say(error,
           "not implemented by this plugin; use op.execute(...) or the built-in sqlite "
           "dialect (sqlite:// URLs)");
    return RETORT_UNSUPPORTED;
  }
  cs_say(error, "an operation kind this plugin does not know; rebuild it against this retort SDK");
  return RETORT_UNSUPPORTED;
}

/* Columns are at most a few hundred; beyond this a revision is malformed. */
#define CS_MAX_COLUMNS 2000

int cs_render(const retort_operation *raw, const retort_statement_sink *out,
              const retort_sink *error) {
  static retort_column empty_columns[1];
  retort_operation op;
  retort_column cols_buffer[16];
  retort_column *cols = cols_buffer;
  cs_text t = {0};
  size_t i;
  int status;
  if (raw == NULL || out == NULL || out->statement == NULL) {
    cs_say(error, "render needs an operation and a statement sink");
    return RETORT_INVALID;
  }
  CS_SIZED_COPY(op, raw);
  if ((op.column_count > 0 && op.columns == NULL) ||
      (op.column_name_count > 0 && op.column_names == NULL) ||
      (op.constraint_count > 0 && op.constraints == NULL) || op.column_count > CS_MAX_COLUMNS) {
    cs_say(error, "the operation counts columns or constraints but gives none");
    return RETORT_INVALID;
  }
  if (op.column_count > sizeof cols_buffer / sizeof cols_buffer[0]) {
    cols = (retort_column *)malloc(op.column_count * sizeof *cols);
    if (cols == NULL) {
      cs_say(error, "out of memory");
      return RETORT_ERROR;
    }
  } else if (op.column_count == 0) {
    cols = empty_columns;
  }
  status = RETORT_OK;
  for (i = 0; i < op.column_count && status == RETORT_OK; ++i) {
    if (op.columns[i] == NULL) {
      cs_say(error, "the operation has a null column");
      status = RETORT_INVALID;
    } else {
      CS_SIZED_COPY(cols[i], op.columns[i]);
    }
  }
  if (status == RETORT_OK) status = render_one(&t, &op, cols, error);
  if (status == RETORT_OK && t.failed) {
    cs_say(error, "out of memory");
    status = RETORT_ERROR;
  }
  if (status == RETORT_OK && out->statement(out->ctx, t.data, t.size) != RETORT_OK) {
    status = RETORT_ABORTED;
  }
  if (cols != cols_buffer && cols != empty_columns) free(cols);
  cs_text_free(&t);
  return status;
}
