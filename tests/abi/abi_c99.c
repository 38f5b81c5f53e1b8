/* abi.h as strict C99. This file is built with -std=c99 -pedantic -Wall
** -Wextra -Werror in every build, so a change to the header that is not
** C99 fails the build. It also checks at compile time what holds on every
** platform (struct_size first, codes never reused), writes a plugin's tables
** the way a C author would, and reports the layout the C compiler gives each
** struct for the unit tests to compare with the C++ compiler's. */
#include <retort/abi.h>

#include "abi_layout.h"

/* C99 has no _Static_assert: an array of negative size fails to compile. */
#define RETORT_C99_ASSERT(name, condition) \
  typedef char retort_c99_assert_##name[(condition) ? 1 : -1]

/* Rule 2: every growable struct starts with its size. */
RETORT_C99_ASSERT(sink_size_first, offsetof(retort_sink, struct_size) == 0);
RETORT_C99_ASSERT(host_size_first, offsetof(retort_host, struct_size) == 0);
RETORT_C99_ASSERT(plugin_size_first, offsetof(retort_plugin, struct_size) == 0);
RETORT_C99_ASSERT(column_size_first, offsetof(retort_column, struct_size) == 0);
RETORT_C99_ASSERT(operation_size_first, offsetof(retort_operation, struct_size) == 0);
RETORT_C99_ASSERT(statement_sink_size_first, offsetof(retort_statement_sink, struct_size) == 0);
RETORT_C99_ASSERT(dialect_size_first, offsetof(retort_dialect, struct_size) == 0);
RETORT_C99_ASSERT(operations_size_first, offsetof(retort_operations, struct_size) == 0);
RETORT_C99_ASSERT(revision_size_first, offsetof(retort_revision, struct_size) == 0);
RETORT_C99_ASSERT(module_size_first, offsetof(retort_revision_module, struct_size) == 0);
RETORT_C99_ASSERT(environment_size_first, offsetof(retort_environment, struct_size) == 0);
RETORT_C99_ASSERT(env_host_size_first, offsetof(retort_env_host, struct_size) == 0);
RETORT_C99_ASSERT(abi_is_1_x, RETORT_ABI_MAJOR == 1);

/* Each family of codes in one switch: a reused number is a duplicate case
** label, which does not compile. */
int retort_abi_c99_codes_are_distinct(int status, unsigned kind, unsigned op, unsigned type);

int retort_abi_c99_codes_are_distinct(int status, unsigned kind, unsigned op, unsigned type) {
  int seen = 0;
  switch (status) {
    case RETORT_OK:
    case RETORT_ERROR:
    case RETORT_UNSUPPORTED:
    case RETORT_INVALID:
    case RETORT_ABORTED:
      ++seen;
      break;
    default:
      break;
  }
  switch (kind) {
    case RETORT_KIND_DIALECT:
    case RETORT_KIND_REVISIONS:
    case RETORT_KIND_MODEL:
    case RETORT_KIND_ENVIRONMENT:
      ++seen;
      break;
    default:
      break;
  }
  switch (op) {
    case RETORT_OP_CREATE_TABLE:
    case RETORT_OP_DROP_TABLE:
    case RETORT_OP_ADD_COLUMN:
    case RETORT_OP_DROP_COLUMN:
    case RETORT_OP_CREATE_INDEX:
    case RETORT_OP_DROP_INDEX:
    case RETORT_OP_EXECUTE:
    case RETORT_OP_CREATE_VERSION_TABLE:
    case RETORT_OP_INSERT_VERSION:
    case RETORT_OP_UPDATE_VERSION:
    case RETORT_OP_DELETE_VERSION:
    case RETORT_OP_SELECT_VERSIONS:
      ++seen;
      break;
    default:
      break;
  }
  switch (type) {
    case RETORT_TYPE_INTEGER:
    case RETORT_TYPE_SMALLINT:
    case RETORT_TYPE_BIGINT:
    case RETORT_TYPE_NUMERIC:
    case RETORT_TYPE_FLOAT:
    case RETORT_TYPE_STRING:
    case RETORT_TYPE_TEXT:
    case RETORT_TYPE_UNICODE:
    case RETORT_TYPE_BOOLEAN:
    case RETORT_TYPE_DATE:
    case RETORT_TYPE_DATETIME:
    case RETORT_TYPE_TIME:
    case RETORT_TYPE_INTERVAL:
    case RETORT_TYPE_BINARY:
    case RETORT_TYPE_JSON:
    case RETORT_TYPE_UUID:
    case RETORT_TYPE_ENUM:
    case RETORT_TYPE_CUSTOM:
      ++seen;
      break;
    default:
      break;
  }
  return seen;
}

/* A revision module and a dialect as a C author writes them, with C99
** designated initialisers. Not exported: this object is never loaded. */
static int migrate(const retort_revision *self, const retort_operations *ops,
                   const retort_sink *error) {
  retort_operation op = {0};
  (void)self;
  (void)error;
  op.struct_size = sizeof op;
  op.kind = RETORT_OP_DROP_TABLE;
  op.table.data = "account";
  op.table.size = 7;
  return ops->submit(ops->ctx, &op) == RETORT_OK ? RETORT_OK : RETORT_ABORTED;
}

static const char *const kNone[] = {NULL};
static const retort_revision kRevision = {
    .struct_size = sizeof(retort_revision),
    .id = "aaaa1111",
    .down_revisions = kNone,
    .branch_labels = kNone,
    .depends_on = kNone,
    .message = "drop account",
    .create_date = "",
    .upgrade = migrate,
    .downgrade = migrate,
};
static const retort_revision *const kRevisions[] = {&kRevision};
static const retort_revision_module kModule = {
    .struct_size = sizeof(retort_revision_module),
    .revision_count = 1,
    .revisions = kRevisions,
};

static int render(const retort_operation *op, const retort_statement_sink *out,
                  const retort_sink *error) {
  (void)error;
  return out->statement(out->ctx, op->sql.data, op->sql.size);
}

static const char *const kSchemes[] = {"c99", NULL};
static const retort_dialect kDialect = {
    .struct_size = sizeof(retort_dialect),
    .url_schemes = kSchemes,
    .statement_terminator = ";",
    .render = render,
};

/* An environment as a C author writes it: the url from -x db_path, and a
** callback with user data it does not own. */
static int applied(void *user, retort_str revision, uint32_t direction, const retort_sink *error) {
  (void)revision;
  (void)error;
  if (direction == RETORT_DIRECTION_UPGRADE) ++*(int *)user;
  return RETORT_OK;
}

static void ignore(void *ctx, const char *data, size_t size) {
  (void)ctx;
  (void)data;
  (void)size;
}

static int configure(const retort_env_host *host, const retort_sink *error) {
  static int count = 0;
  const retort_sink value = {sizeof(retort_sink), NULL, ignore};
  const retort_str key = {"db_path", 7};
  int found = 0;
  (void)error;
  if (host->get_x_argument(host->ctx, key, &value, &found) != RETORT_OK) return RETORT_ABORTED;
  if (found) {
    const retort_str url = {"sqlite:///x.db", 14};
    if (host->set_url(host->ctx, url) != RETORT_OK) return RETORT_ABORTED;
  }
  return host->set_on_version_apply(host->ctx, applied, &count, NULL);
}

static const retort_environment kEnvironment = {
    .struct_size = sizeof(retort_environment),
    .configure = configure,
};

const retort_plugin *retort_abi_c99_plugin(uint32_t kind);

const retort_plugin *retort_abi_c99_plugin(uint32_t kind) {
  static retort_plugin descriptor = {
      .struct_size = sizeof(retort_plugin),
      .abi_major = RETORT_ABI_MAJOR,
      .abi_minor = RETORT_ABI_MINOR,
      .name = "c99",
      .version = "1.0.0",
  };
  descriptor.kind = kind;
  descriptor.table = kind == RETORT_KIND_DIALECT       ? (const void *)&kDialect
                     : kind == RETORT_KIND_ENVIRONMENT ? (const void *)&kEnvironment
                                                       : (const void *)&kModule;
  return &descriptor;
}

static const retort_abi_layout_entry kLayout[] = {
    RETORT_ABI_LAYOUT(RETORT_ABI_LAYOUT_SIZE, RETORT_ABI_LAYOUT_OFFSET)};

const retort_abi_layout_entry *retort_abi_c99_layout(size_t *count) {
  *count = sizeof kLayout / sizeof kLayout[0];
  return kLayout;
}
