/* A dialect as a third party wrote it against ABI 1.0, in plain C99, and
** never rebuilt: it is compiled with tests/abi/frozen/v1.0 as its only
** include path, so it knows 1.0's structs and nothing after. It speaks
** SQLite through the SQLite3 ODBC driver ("v10sqlite:///path.db") and
** renders ABI 1.0's operations and the version table; what it does not know
** (every 1.1 operation) it refuses with a message. A host of 1.1 or later
** hands it 1.1-sized operations and it must read only its 1.0 view of them. */
#include <retort/abi.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if RETORT_ABI_MAJOR != 1 || RETORT_ABI_MINOR != 0
#error "v1_0_dialect.c must be built against the frozen ABI 1.0 header"
#endif

static const char kScheme[] = "v10sqlite://";

/* ---- A growable string; `failed` records an allocation failure. -------- */

typedef struct text {
  char *data;
  size_t size;
  size_t capacity;
  int failed;
} text;

static void append(text *t, const char *data, size_t size) {
  if (t->failed) return;
  if (t->size + size + 1 > t->capacity) {
    size_t capacity = t->capacity * 2 + size + 64;
    char *grown = realloc(t->data, capacity);
    if (grown == NULL) {
      t->failed = 1;
      return;
    }
    t->data = grown;
    t->capacity = capacity;
  }
  if (size > 0) memcpy(t->data + t->size, data, size);
  t->size += size;
  t->data[t->size] = '\0';
}

static void append_cstr(text *t, const char *s) { append(t, s, strlen(s)); }
static void append_str(text *t, retort_str s) { append(t, s.data, s.size); }

/* `s` between `quote` characters, each `quote` inside doubled. */
static void append_quoted(text *t, retort_str s, char quote) {
  size_t i;
  append(t, &quote, 1);
  for (i = 0; i < s.size; ++i) {
    append(t, s.data + i, 1);
    if (s.data[i] == quote) append(t, &quote, 1);
  }
  append(t, &quote, 1);
}

static void append_name(text *t, retort_str name) { append_quoted(t, name, '"'); }

static void append_int(text *t, long value) {
  char digits[32];
  int n = snprintf(digits, sizeof digits, "%ld", value);
  append(t, digits, (size_t)n);
}

static void write_error(const retort_sink *error, const char *message) {
  if (error != NULL && error->write != NULL) error->write(error->ctx, message, strlen(message));
}

/* Hands the statement in `t` to the sink and frees it. */
static int finish(text *t, const retort_statement_sink *out, const retort_sink *error) {
  int status;
  if (t->failed) {
    free(t->data);
    write_error(error, "out of memory");
    return RETORT_ERROR;
  }
  status = out->statement(out->ctx, t->data, t->size);
  free(t->data);
  return status == RETORT_OK ? RETORT_OK : RETORT_ABORTED;
}

/* ---- Columns. ----------------------------------------------------------- */

/* Appends the column's type; 0 when the type is one it does not know. */
static int append_type(text *t, const retort_column *c) {
  switch (c->type) {
    case RETORT_TYPE_INTEGER:
      append_cstr(t, "INTEGER");
      return 1;
    case RETORT_TYPE_SMALLINT:
      append_cstr(t, "SMALLINT");
      return 1;
    case RETORT_TYPE_BIGINT:
      append_cstr(t, "BIGINT");
      return 1;
    case RETORT_TYPE_NUMERIC:
      append_cstr(t, "NUMERIC");
      if (c->precision > 0) {
        append_cstr(t, "(");
        append_int(t, c->precision);
        append_cstr(t, ", ");
        append_int(t, c->scale);
        append_cstr(t, ")");
      }
      return 1;
    case RETORT_TYPE_STRING:
    case RETORT_TYPE_UNICODE:
      append_cstr(t, "VARCHAR");
      if (c->length > 0) {
        append_cstr(t, "(");
        append_int(t, c->length);
        append_cstr(t, ")");
      }
      return 1;
    case RETORT_TYPE_TEXT:
      append_cstr(t, "TEXT");
      return 1;
    case RETORT_TYPE_BOOLEAN:
      append_cstr(t, "BOOLEAN");
      return 1;
    case RETORT_TYPE_DATETIME:
      append_cstr(t, "DATETIME");
      return 1;
    case RETORT_TYPE_CUSTOM:
      append_str(t, c->type_name);
      return 1;
    default:
      return 0;
  }
}

/* "name TYPE [DEFAULT d] [NOT NULL]"; 0 for an unknown type. */
static int append_column(text *t, const retort_column *c) {
  append_name(t, c->name);
  append_cstr(t, " ");
  if (!append_type(t, c)) return 0;
  if (c->server_default.data != NULL) {
    append_cstr(t, " DEFAULT ");
    if ((c->flags & RETORT_COLUMN_DEFAULT_IS_EXPRESSION) != 0) {
      append_cstr(t, "(");
      append_str(t, c->server_default);
      append_cstr(t, ")");
    } else {
      append_quoted(t, c->server_default, '\'');
    }
  }
  if ((c->flags & (RETORT_COLUMN_NOT_NULL | RETORT_COLUMN_PRIMARY_KEY)) != 0) {
    append_cstr(t, " NOT NULL");
  }
  return 1;
}

/* ---- Operations. -------------------------------------------------------- */

static int create_table(const retort_operation *op, text *t) {
  size_t i;
  int keys = 0;
  append_cstr(t, "CREATE TABLE ");
  append_name(t, op->table);
  append_cstr(t, " (");
  for (i = 0; i < op->column_count; ++i) {
    if (i > 0) append_cstr(t, ", ");
    if (!append_column(t, op->columns[i])) return 0;
  }
  for (i = 0; i < op->column_count; ++i) {
    if ((op->columns[i]->flags & RETORT_COLUMN_PRIMARY_KEY) == 0) continue;
    append_cstr(t, keys++ == 0 ? ", PRIMARY KEY (" : ", ");
    append_name(t, op->columns[i]->name);
  }
  if (keys > 0) append_cstr(t, ")");
  append_cstr(t, ")");
  return 1;
}

static void create_index(const retort_operation *op, text *t) {
  size_t i;
  append_cstr(t, (op->flags & RETORT_INDEX_UNIQUE) != 0 ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
  append_name(t, op->name);
  append_cstr(t, " ON ");
  append_name(t, op->table);
  append_cstr(t, " (");
  for (i = 0; i < op->column_name_count; ++i) {
    if (i > 0) append_cstr(t, ", ");
    append_name(t, op->column_names[i]);
  }
  append_cstr(t, ")");
}

static void version_where(const retort_operation *op, retort_str version, text *t) {
  append_cstr(t, " WHERE ");
  append_name(t, op->table);
  append_cstr(t, ".version_num = ");
  append_quoted(t, version, '\'');
}

/* 1 when the operation was written to `t`, 0 when it is one this dialect
** does not know. */
static int render_into(const retort_operation *op, text *t) {
  switch (op->kind) {
    case RETORT_OP_CREATE_TABLE:
      return create_table(op, t);
    case RETORT_OP_DROP_TABLE:
      append_cstr(t, "DROP TABLE ");
      append_name(t, op->table);
      return 1;
    case RETORT_OP_ADD_COLUMN:
      if (op->column_count != 1) return 0;
      append_cstr(t, "ALTER TABLE ");
      append_name(t, op->table);
      append_cstr(t, " ADD COLUMN ");
      return append_column(t, op->columns[0]);
    case RETORT_OP_DROP_COLUMN:
      append_cstr(t, "ALTER TABLE ");
      append_name(t, op->table);
      append_cstr(t, " DROP COLUMN ");
      append_name(t, op->name);
      return 1;
    case RETORT_OP_CREATE_INDEX:
      create_index(op, t);
      return 1;
    case RETORT_OP_DROP_INDEX:
      append_cstr(t, "DROP INDEX ");
      append_name(t, op->name);
      return 1;
    case RETORT_OP_EXECUTE:
      append_str(t, op->sql);
      return 1;
    case RETORT_OP_CREATE_VERSION_TABLE:
      append_cstr(t, "CREATE TABLE ");
      append_name(t, op->table);
      append_cstr(t, " (version_num VARCHAR(32) NOT NULL, PRIMARY KEY (version_num))");
      return 1;
    case RETORT_OP_INSERT_VERSION:
      append_cstr(t, "INSERT INTO ");
      append_name(t, op->table);
      append_cstr(t, " (version_num) VALUES (");
      append_quoted(t, op->version, '\'');
      append_cstr(t, ")");
      return 1;
    case RETORT_OP_UPDATE_VERSION:
      append_cstr(t, "UPDATE ");
      append_name(t, op->table);
      append_cstr(t, " SET version_num = ");
      append_quoted(t, op->version, '\'');
      version_where(op, op->old_version, t);
      return 1;
    case RETORT_OP_DELETE_VERSION:
      append_cstr(t, "DELETE FROM ");
      append_name(t, op->table);
      version_where(op, op->version, t);
      return 1;
    case RETORT_OP_SELECT_VERSIONS:
      append_cstr(t, "SELECT ");
      append_name(t, op->table);
      append_cstr(t, ".version_num FROM ");
      append_name(t, op->table);
      return 1;
    default:
      return 0;
  }
}

static int render(const retort_operation *op, const retort_statement_sink *out,
                  const retort_sink *error) {
  text t = {NULL, 0, 0, 0};
  char message[96];
  /* Rule 2: the fields this plugin reads all lie inside 1.0's struct. */
  if (op == NULL || op->struct_size < sizeof(retort_operation) || out == NULL ||
      out->statement == NULL) {
    write_error(error, "v10sqlite needs an ABI 1.0 operation and a statement sink");
    return RETORT_INVALID;
  }
  if (render_into(op, &t)) return finish(&t, out, error);
  free(t.data);
  snprintf(message, sizeof message, "v10sqlite knows only ABI 1.0, not operation %u or its types",
           (unsigned)op->kind);
  write_error(error, message);
  return RETORT_UNSUPPORTED;
}

/* "v10sqlite:///PATH" -> "Driver=SQLite3;Database=PATH". */
static int connection_string(const char *url, size_t url_size, const retort_sink *out,
                             const retort_sink *error) {
  const size_t scheme_size = sizeof kScheme - 1;
  static const char kDriver[] = "Driver=SQLite3;Database=";
  if (url_size <= scheme_size + 1 || memcmp(url, kScheme, scheme_size) != 0 ||
      url[scheme_size] != '/') {
    write_error(error, "not a v10sqlite:///path URL");
    return RETORT_INVALID;
  }
  out->write(out->ctx, kDriver, sizeof kDriver - 1);
  out->write(out->ctx, url + scheme_size + 1, url_size - scheme_size - 1);
  return RETORT_OK;
}

/* SQLite URLs carry no password. */
static int redact_url(const char *url, size_t url_size, const retort_sink *out) {
  out->write(out->ctx, url, url_size);
  return RETORT_OK;
}

static const char *const kSchemes[] = {"v10sqlite", NULL};

static const retort_dialect kDialect = {
    .struct_size = sizeof(retort_dialect),
    .url_schemes = kSchemes,
    .flags = RETORT_DIALECT_TRANSACTIONAL_DDL,
    .statement_terminator = ";",
    .batch_separator = NULL,
    .begin_transaction = "BEGIN",
    .commit_transaction = "COMMIT",
    .connection_string = connection_string,
    .render = render,
    .redact_url = redact_url,
};

static const retort_plugin kDescriptor = {
    .struct_size = sizeof(retort_plugin),
    .kind = RETORT_KIND_DIALECT,
    .abi_major = RETORT_ABI_MAJOR,
    .abi_minor = RETORT_ABI_MINOR,
    .name = "v10sqlite",
    .version = "1.0.0",
    .table = &kDialect,
};

RETORT_EXPORT const retort_plugin *retort_plugin_entry(const retort_host *host) {
  (void)host;
  return &kDescriptor;
}
