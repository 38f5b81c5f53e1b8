/* A revision module built against ABI 1.0 and never rebuilt, in plain C99:
** compiled with tests/abi/frozen/v1.0 as its only include path. Two
** revisions on one line; every operation it submits is a 1.0-sized
** retort_operation, and it reads only 1.0's part of the host's
** retort_operations, however large the host's struct has grown. What lies
** after each struct it hands the host is garbage on purpose (0xA5 bytes), so
** a host that reads past a struct_size fails here rather than by luck.
**
**   a10000000001  create table account (id, name, created)
**   b10000000002  add account.email and a unique index on it */
#include <retort/abi.h>

#include <string.h>

#if RETORT_ABI_MAJOR != 1 || RETORT_ABI_MINOR != 0
#error "v1_0_revisions.c must be built against the frozen ABI 1.0 header"
#endif

static retort_str str(const char *s) {
  retort_str out;
  out.data = s;
  out.size = strlen(s);
  return out;
}

static retort_str absent(void) {
  retort_str out = {NULL, 0};
  return out;
}

/* A 1.0 struct followed by bytes a later ABI would read as fields. */
typedef struct padded_column {
  retort_column c;
  unsigned char garbage[256];
} padded_column;

typedef struct padded_operation {
  retort_operation op;
  unsigned char garbage[256];
} padded_operation;

static void column(padded_column *p, const char *name, uint32_t type, int32_t length,
                   uint32_t flags) {
  retort_column *c = &p->c;
  memset(p, 0xA5, sizeof *p);
  memset(c, 0, sizeof *c);
  c->struct_size = sizeof *c; /* 1.0's size: smaller than the host's */
  c->name = str(name);
  c->type = type;
  c->length = length;
  c->flags = flags;
  c->type_name = absent();
  c->server_default = absent();
}

static retort_operation *operation(padded_operation *p, uint32_t kind, const char *table) {
  retort_operation *op = &p->op;
  memset(p, 0xA5, sizeof *p);
  memset(op, 0, sizeof *op);
  op->struct_size = sizeof *op; /* 1.0's size: smaller than the host's */
  op->kind = kind;
  op->table = str(table);
  return op;
}

/* Submits `op`; nonzero when the host refused it. */
static int submit(const retort_operations *ops, const retort_operation *op) {
  return ops->submit(ops->ctx, op) != RETORT_OK;
}

/* The host's table must hold at least 1.0's fields. */
static int usable(const retort_operations *ops, const retort_sink *error) {
  static const char kMessage[] = "the host's operations table is smaller than ABI 1.0's";
  if (ops != NULL && ops->struct_size >= sizeof(retort_operations) && ops->submit != NULL) {
    return 1;
  }
  if (error != NULL && error->write != NULL)
    error->write(error->ctx, kMessage, sizeof kMessage - 1);
  return 0;
}

static int create_account(const retort_revision *self, const retort_operations *ops,
                          const retort_sink *error) {
  padded_column id, name, created;
  const retort_column *columns[3];
  padded_operation storage;
  retort_operation *op = operation(&storage, RETORT_OP_CREATE_TABLE, "account");
  (void)self;
  if (!usable(ops, error)) return RETORT_ERROR;
  column(&id, "id", RETORT_TYPE_INTEGER, 0, RETORT_COLUMN_PRIMARY_KEY);
  column(&name, "name", RETORT_TYPE_STRING, 50, RETORT_COLUMN_NOT_NULL);
  column(&created, "created", RETORT_TYPE_DATETIME, 0, RETORT_COLUMN_DEFAULT_IS_EXPRESSION);
  created.c.server_default = str("CURRENT_TIMESTAMP");
  columns[0] = &id.c;
  columns[1] = &name.c;
  columns[2] = &created.c;
  op->columns = columns;
  op->column_count = 3;
  return submit(ops, op) ? RETORT_ABORTED : RETORT_OK;
}

static int drop_account(const retort_revision *self, const retort_operations *ops,
                        const retort_sink *error) {
  padded_operation storage;
  retort_operation *op = operation(&storage, RETORT_OP_DROP_TABLE, "account");
  (void)self;
  if (!usable(ops, error)) return RETORT_ERROR;
  return submit(ops, op) ? RETORT_ABORTED : RETORT_OK;
}

static int add_email(const retort_revision *self, const retort_operations *ops,
                     const retort_sink *error) {
  padded_column email;
  const retort_column *columns[1];
  retort_str names[1];
  padded_operation add_storage, index_storage;
  retort_operation *add = operation(&add_storage, RETORT_OP_ADD_COLUMN, "account");
  retort_operation *index = operation(&index_storage, RETORT_OP_CREATE_INDEX, "account");
  (void)self;
  if (!usable(ops, error)) return RETORT_ERROR;
  column(&email, "email", RETORT_TYPE_STRING, 120, 0);
  columns[0] = &email.c;
  add->columns = columns;
  add->column_count = 1;
  names[0] = str("email");
  index->name = str("ix_account_email");
  index->column_names = names;
  index->column_name_count = 1;
  index->flags = RETORT_INDEX_UNIQUE;
  if (submit(ops, add) || submit(ops, index)) return RETORT_ABORTED;
  return RETORT_OK;
}

static int drop_email(const retort_revision *self, const retort_operations *ops,
                      const retort_sink *error) {
  padded_operation index_storage, drop_storage;
  retort_operation *index = operation(&index_storage, RETORT_OP_DROP_INDEX, "account");
  retort_operation *drop = operation(&drop_storage, RETORT_OP_DROP_COLUMN, "account");
  (void)self;
  if (!usable(ops, error)) return RETORT_ERROR;
  index->name = str("ix_account_email");
  drop->name = str("email");
  if (submit(ops, index) || submit(ops, drop)) return RETORT_ABORTED;
  return RETORT_OK;
}

static const char *const kNone[] = {NULL};
static const char *const kAfterBase[] = {"a10000000001", NULL};

static const retort_revision kBase = {
    .struct_size = sizeof(retort_revision),
    .id = "a10000000001",
    .down_revisions = kNone,
    .branch_labels = kNone,
    .depends_on = kNone,
    .message = "create account table",
    .create_date = "2025-06-01 09:00:00",
    .upgrade = create_account,
    .downgrade = drop_account,
};

static const retort_revision kNext = {
    .struct_size = sizeof(retort_revision),
    .id = "b10000000002",
    .down_revisions = kAfterBase,
    .branch_labels = kNone,
    .depends_on = kNone,
    .message = "add account email",
    .create_date = "2025-06-02 09:00:00",
    .upgrade = add_email,
    .downgrade = drop_email,
};

static const retort_revision *const kRevisions[] = {&kBase, &kNext};

static const retort_revision_module kModule = {
    .struct_size = sizeof(retort_revision_module),
    .revision_count = 2,
    .revisions = kRevisions,
};

static const retort_plugin kDescriptor = {
    .struct_size = sizeof(retort_plugin),
    .kind = RETORT_KIND_REVISIONS,
    .abi_major = RETORT_ABI_MAJOR,
    .abi_minor = RETORT_ABI_MINOR,
    .name = "v1_0_revisions",
    .version = "1.0.0",
    .table = &kModule,
};

RETORT_EXPORT const retort_plugin *retort_plugin_entry(const retort_host *host) {
  (void)host;
  return &kDescriptor;
}
