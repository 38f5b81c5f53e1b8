/* A minimal dialect written in plain C99, to prove that a plugin needs neither
** C++ nor the SDK's C++ layer. It renders a few operations as one statement
** each and refuses the rest. It uses nothing that came after ABI 1.0, so it is
** also built against the frozen ABI 1.1 header, as v1_1/v1_1_dialect.so. */
#include <retort/abi.h>
#include <stdlib.h>
#include <string.h>

static const char kScheme[] = "cdialect://";

static void write_text(const retort_sink *sink, const char *text, size_t size) {
  if (sink != NULL && sink->write != NULL) sink->write(sink->ctx, text, size);
}

static void write_cstr(const retort_sink *sink, const char *text) {
  write_text(sink, text, strlen(text));
}

/* "cdialect://PATH" -> "Driver=cdialect;Database=PATH". */
static int connection_string(const char *url, size_t url_size, const retort_sink *out,
                             const retort_sink *error) {
  const size_t scheme_size = sizeof kScheme - 1;
  if (url_size < scheme_size || memcmp(url, kScheme, scheme_size) != 0) {
    write_cstr(error, "not a cdialect URL");
    return RETORT_INVALID;
  }
  write_cstr(out, "Driver=cdialect;Database=");
  write_text(out, url + scheme_size, url_size - scheme_size);
  return RETORT_OK;
}

/* Hands `verb` followed by `object` to the statement sink as one statement. */
static int emit(const retort_statement_sink *out, const char *verb, retort_str object,
                const retort_sink *error) {
  const size_t verb_size = strlen(verb);
  char *sql = malloc(verb_size + object.size + 1);
  int status;
  if (sql == NULL) {
    write_cstr(error, "out of memory");
    return RETORT_ERROR;
  }
  memcpy(sql, verb, verb_size);
  if (object.size > 0) memcpy(sql + verb_size, object.data, object.size);
  sql[verb_size + object.size] = '\0';
  status = out->statement(out->ctx, sql, verb_size + object.size);
  free(sql);
  return status == RETORT_OK ? RETORT_OK : RETORT_ABORTED;
}

static int render(const retort_operation *op, const retort_statement_sink *out,
                  const retort_sink *error) {
  switch (op->kind) {
    case RETORT_OP_CREATE_TABLE:
      return emit(out, "CREATE TABLE ", op->table, error);
    case RETORT_OP_DROP_TABLE:
      return emit(out, "DROP TABLE ", op->table, error);
    case RETORT_OP_EXECUTE:
      return emit(out, "", op->sql, error);
    default:
      break;
  }
  write_cstr(error, "cdialect cannot render this operation");
  return RETORT_UNSUPPORTED;
}

/* cdialect URLs carry no password. */
static int redact_url(const char *url, size_t url_size, const retort_sink *out) {
  write_text(out, url, url_size);
  return RETORT_OK;
}

static const char *const kSchemes[] = {"cdialect", NULL};

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
    .name = "cdialect",
    .version = "1.0.0",
    .table = &kDialect,
};

RETORT_EXPORT const retort_plugin *retort_plugin_entry(const retort_host *host) {
  (void)host;
  return &kDescriptor;
}
