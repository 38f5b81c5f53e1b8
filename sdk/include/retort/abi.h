/*
** retort plugin ABI, version 1.4.
**
** This header is the whole contract between the retort host and the shared
** objects it loads: dialect plugins, compiled revision modules, and the
** optional model (model.cpp) and environment (env.cpp) modules. It is
** plain C (C99) so that a plugin may be built by any compiler, in C or C++.
**
** The rules:
**  1. Each plugin exports exactly one symbol, retort_plugin_entry, which
**     returns a descriptor: kind, ABI major/minor, name, version and a
**     kind-specific function table. Plugins never call host symbols; what
**     they need from the host comes through the tables the host passes in.
**  2. Every struct that may grow starts with `uint32_t struct_size`. Fields
**     are only ever appended, each under an "Added in ABI 1.N" comment. A
**     reader uses a field only when it lies within the struct_size it was
**     given; fields beyond it read as zero.
**  3. The host refuses a plugin built for another ABI major, or for a newer
**     minor than its own.
**  4. Strings are UTF-8. retort_str is pointer + length and need not be
**     NUL-terminated; `const char *` fields are NUL-terminated. A retort_str
**     whose data is NULL is "absent", which differs from "empty".
**  5. Fallible calls return a status code (RETORT_OK or one of the codes
**     below) and write a one-line message into a caller-owned retort_sink.
**     No exception ever crosses this boundary.
**  6. Whoever allocates frees. Pointers passed into a call are borrowed for
**     that call only. Text produced across the boundary is written into a
**     sink the caller owns.
**  7. Pointers a plugin returns (its descriptor, tables, strings) stay valid
**     for as long as the plugin is loaded; the host keeps it loaded for as
**     long as it holds any of them.
*/
#ifndef RETORT_ABI_H
#define RETORT_ABI_H

/* Laid out by hand: comments aligned with the members they describe, as
** the frozen copies in tests/abi/frozen are. */
/* clang-format off */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RETORT_ABI_MAJOR 1
#define RETORT_ABI_MINOR 4

/* The one symbol every plugin exports. */
#define RETORT_ENTRY_SYMBOL "retort_plugin_entry"

#if defined(_WIN32)
#define RETORT_EXPORT __declspec(dllexport)
#else
#define RETORT_EXPORT __attribute__((visibility("default")))
#endif

/* ---- Status codes: explicit numbers, never reused. ---------------------- */
#define RETORT_OK 0          /* success */
#define RETORT_ERROR 1       /* failure; the message is in the error sink */
#define RETORT_UNSUPPORTED 2 /* the plugin cannot do this (operation, type) */
#define RETORT_INVALID 3     /* malformed input: a bad URL, a bad operation */
#define RETORT_ABORTED 4     /* a host callback failed; the plugin stopped and
                                the host already holds the reason */

/* ---- Basic types ---------------------------------------------------------- */

/* A borrowed UTF-8 string. data may be NULL only when size is 0. */
typedef struct retort_str {
  const char *data;
  size_t size;
} retort_str;

/* A caller-owned text sink. write may be called any number of times; the
** text of all calls concatenated is the result. Since ABI 1.0. */
typedef struct retort_sink {
  uint32_t struct_size;
  void *ctx;
  void (*write)(void *ctx, const char *data, size_t size);
} retort_sink;

/* ---- The host, as plugins see it. Since ABI 1.0. -------------------------- */

#define RETORT_LOG_DEBUG 10
#define RETORT_LOG_INFO 20
#define RETORT_LOG_WARNING 30

/* Handed to retort_plugin_entry; valid for as long as the plugin is loaded.
** abi_major/abi_minor are the host's, so a plugin may adapt to an older
** host. log may be called from any plugin function, from any thread. */
typedef struct retort_host {
  uint32_t struct_size;
  uint16_t abi_major;
  uint16_t abi_minor;
  void *ctx;
  void (*log)(void *ctx, int level, const char *message, size_t size);
  /* Added in ABI 1.4: the entry point's error channel. An entry point that
  ** declines to load (a host too old for it, a missing library, a bad
  ** environment) calls refuse once with a one-line reason (UTF-8, no
  ** newline, no password; borrowed for the call), then returns NULL. The
  ** host shows "plugin 'FILE' refused to load: REASON". Only for the
  ** retort_plugin_entry call in progress: the host ignores a call at any
  ** other time, and the reason when the entry returns a descriptor after
  ** all. A host before 1.4 has no such field (check struct_size): say why
  ** through log instead. */
  void (*refuse)(void *ctx, const char *reason, size_t size);
} retort_host;

/* ---- The descriptor. Since ABI 1.0. --------------------------------------- */

#define RETORT_KIND_DIALECT 1   /* table is a retort_dialect */
#define RETORT_KIND_REVISIONS 2 /* table is a retort_revision_module */
#define RETORT_KIND_MODEL 3     /* table is a retort_model; added in ABI 1.3 */
#define RETORT_KIND_ENVIRONMENT 4 /* table is a retort_environment; added in
                                     ABI 1.4 */

typedef struct retort_plugin {
  uint32_t struct_size;
  uint32_t kind;      /* RETORT_KIND_* */
  uint16_t abi_major; /* RETORT_ABI_MAJOR the plugin was built against */
  uint16_t abi_minor; /* RETORT_ABI_MINOR the plugin was built against */
  const char *name;   /* e.g. "sqlite"; never NULL */
  const char *version; /* the plugin's own version, e.g. "1.2.0" */
  const void *table;  /* kind-specific function table; never NULL */
} retort_plugin;

/* The entry point. Called right after each load of the file, under the
** host's loader lock (never on two threads at once), and again if the file
** is loaded again, maybe while other threads use the tables it returned
** before: it returns the same descriptor each time, without rewriting it.
** Returns the plugin's descriptor, or NULL if the plugin cannot work with
** this host; it says why through host->refuse first (ABI 1.4; through
** host->log before). */
typedef const retort_plugin *(*retort_entry_fn)(const retort_host *host);

/* ---- Columns. Since ABI 1.0. ---------------------------------------------- */

/* Generic column types; a dialect maps each to its own spelling. */
#define RETORT_TYPE_INTEGER 1
#define RETORT_TYPE_SMALLINT 2
#define RETORT_TYPE_BIGINT 3
#define RETORT_TYPE_NUMERIC 4  /* precision, scale (0 = unspecified) */
#define RETORT_TYPE_FLOAT 5
#define RETORT_TYPE_STRING 6   /* length (0 = unspecified) */
#define RETORT_TYPE_TEXT 7
#define RETORT_TYPE_UNICODE 8  /* length */
#define RETORT_TYPE_BOOLEAN 9
#define RETORT_TYPE_DATE 10
#define RETORT_TYPE_DATETIME 11
#define RETORT_TYPE_TIME 12
#define RETORT_TYPE_INTERVAL 13
#define RETORT_TYPE_BINARY 14  /* length (0 = unbounded large binary) */
#define RETORT_TYPE_JSON 15
#define RETORT_TYPE_UUID 16
#define RETORT_TYPE_ENUM 17    /* type_name is the enum's name */
#define RETORT_TYPE_CUSTOM 18  /* type_name is passed through verbatim */

#define RETORT_COLUMN_PRIMARY_KEY 0x1u
#define RETORT_COLUMN_NOT_NULL 0x2u
#define RETORT_COLUMN_AUTOINCREMENT 0x4u
#define RETORT_COLUMN_UNIQUE 0x8u
/* server_default is an SQL expression, not a literal to be quoted */
#define RETORT_COLUMN_DEFAULT_IS_EXPRESSION 0x10u

typedef struct retort_column {
  uint32_t struct_size;
  retort_str name;
  uint32_t type;      /* RETORT_TYPE_* */
  int32_t length;     /* STRING, UNICODE, BINARY; 0 = unspecified */
  int32_t precision;  /* NUMERIC; 0 = unspecified */
  int32_t scale;      /* NUMERIC */
  retort_str type_name; /* ENUM, CUSTOM; absent otherwise */
  uint32_t flags;     /* RETORT_COLUMN_* */
  retort_str server_default; /* absent = no default */
  /* Added in ABI 1.1. */
  retort_str comment; /* absent = no comment */
} retort_column;

/* ---- Constraints. Added in ABI 1.1. --------------------------------------- */

#define RETORT_CONSTRAINT_PRIMARY_KEY 1 /* columns */
#define RETORT_CONSTRAINT_UNIQUE 2      /* columns */
#define RETORT_CONSTRAINT_FOREIGN_KEY 3 /* columns -> referred_table(referred_columns) */
#define RETORT_CONSTRAINT_CHECK 4       /* condition */

/* ON DELETE / ON UPDATE of a foreign key. */
#define RETORT_REFERENTIAL_UNSPECIFIED 0 /* no clause: the database's default */
#define RETORT_REFERENTIAL_CASCADE 1
#define RETORT_REFERENTIAL_SET_NULL 2
#define RETORT_REFERENTIAL_SET_DEFAULT 3
#define RETORT_REFERENTIAL_RESTRICT 4
#define RETORT_REFERENTIAL_NO_ACTION 5

typedef struct retort_constraint {
  uint32_t struct_size;
  uint32_t kind;   /* RETORT_CONSTRAINT_* */
  retort_str name; /* absent = the database chooses one */
  const retort_str *columns;
  size_t column_count;
  retort_str referred_schema; /* FOREIGN_KEY; absent = the default schema */
  retort_str referred_table;  /* FOREIGN_KEY */
  const retort_str *referred_columns; /* FOREIGN_KEY */
  size_t referred_column_count;
  uint32_t on_delete; /* FOREIGN_KEY: RETORT_REFERENTIAL_* */
  uint32_t on_update; /* FOREIGN_KEY: RETORT_REFERENTIAL_* */
  retort_str condition; /* CHECK: an SQL boolean expression */
} retort_constraint;

/* ---- Values, for BULK_INSERT. Added in ABI 1.1. ---------------------------- */

#define RETORT_VALUE_NULL 0
#define RETORT_VALUE_INTEGER 1 /* integer */
#define RETORT_VALUE_REAL 2    /* real */
/* text: strings, and also decimals, dates ("YYYY-MM-DD"), times
** ("HH:MM:SS[.ffffff]"), date-times ("YYYY-MM-DD HH:MM:SS[.ffffff]"), UUIDs
** and JSON, each written as the column's type requires. */
#define RETORT_VALUE_TEXT 3
#define RETORT_VALUE_BOOLEAN 4 /* integer: 0 or 1 */
#define RETORT_VALUE_BINARY 5  /* text holds the bytes */

/* One cell. Unlike the structs above this one never grows (it is laid out
** in arrays); a later ABI adds value kinds, not fields. */
typedef struct retort_value {
  uint32_t kind; /* RETORT_VALUE_* */
  int64_t integer;
  double real;
  retort_str text;
} retort_value;

/* ---- Operations. Since ABI 1.0. ------------------------------------------- */

/* What a revision asks for. */
#define RETORT_OP_CREATE_TABLE 1 /* table, columns */
#define RETORT_OP_DROP_TABLE 2   /* table */
#define RETORT_OP_ADD_COLUMN 3   /* table, columns[0] */
#define RETORT_OP_DROP_COLUMN 4  /* table, name = the column */
#define RETORT_OP_CREATE_INDEX 5 /* table, name, column_names, flags */
#define RETORT_OP_DROP_INDEX 6   /* name, table (may be absent) */
#define RETORT_OP_EXECUTE 7      /* sql, run as written */
/* Added in ABI 1.1. */
#define RETORT_OP_RENAME_TABLE 8  /* table -> name */
#define RETORT_OP_ALTER_COLUMN 9  /* table, name = the column; see alter */
#define RETORT_OP_CREATE_CONSTRAINT 10 /* table, constraints[0] */
#define RETORT_OP_DROP_CONSTRAINT 11   /* table, constraints[0]: kind, name */
#define RETORT_OP_CREATE_TABLE_COMMENT 12 /* table, comment */
#define RETORT_OP_DROP_TABLE_COMMENT 13   /* table */
#define RETORT_OP_BULK_INSERT 14 /* table, columns, values (row_count rows) */
/* What the host asks for, to keep the version table. */
#define RETORT_OP_CREATE_VERSION_TABLE 100 /* table */
#define RETORT_OP_INSERT_VERSION 101       /* table, version */
#define RETORT_OP_UPDATE_VERSION 102       /* table, old_version -> version */
#define RETORT_OP_DELETE_VERSION 103       /* table, version */
#define RETORT_OP_SELECT_VERSIONS 104      /* table; one column of ids */
/* Added in ABI 1.1: the migration lock, held by a runner on a connection of
** its own for the whole command. name is the lock's name within one
** database, "retort:<version table>" (earlier hosts also put the URL's host
** and database in it). The rendering keys the lock on the database
** the session is connected to, as the server names it, so that runners
** reaching one database by two host names meet: PostgreSQL's advisory locks
** and SQL Server's application locks are per database already; MySQL's
** GET_LOCK is per server and adds DATABASE(). Each renders one query (or
** nothing: the dialect cannot lock). */
#define RETORT_OP_TRY_LOCK 105     /* one row: first value 1 = taken, 0 = held
                                      by another session; never waits */
#define RETORT_OP_RELEASE_LOCK 106 /* releases it */
#define RETORT_OP_LOCK_HOLDER 107  /* zero rows, or one row whose first value
                                      describes the holder (who, where, since) */
/* Added in ABI 1.2: for an offline script (--sql --lock), statements that
** wait for the lock named name and hold it until RELEASE_LOCK or the end of
** the session, and stop the script if it cannot be had; nothing when a
** script cannot take the lock. */
#define RETORT_OP_WAIT_LOCK 108
/* Added in ABI 1.3: reading the catalog, for autogenerate. Each renders one
** query (or nothing, or RETORT_UNSUPPORTED: the host then reads what ODBC's
** catalog functions tell, or goes without) whose rows have exactly the
** columns below, each as text, NULL where unknown. schema and table name
** the table; absent schema = the connection's default schema. Names are as
** the catalog stores them. Flags are "1" or "0". */
#define RETORT_OP_REFLECT_TABLES 109 /* schema; rows (table_name, comment): the
                                        base tables of the schema, without the
                                        database's own (sqlite_sequence) */
#define RETORT_OP_REFLECT_COLUMNS 110 /* rows (name, type, nullable, default,
                                         comment, autoincrement) in the table's
                                         order; type as the catalog spells it,
                                         e.g. "character varying(30)"; default
                                         as SQL text; generated columns left out */
#define RETORT_OP_REFLECT_CONSTRAINTS 111 /* rows (kind, name, position, column,
                                             referred_schema, referred_table,
                                             referred_column, on_update,
                                             on_delete, condition): kind "p",
                                             "u", "f" or "c"; one row per
                                             column, position from 1; a CHECK
                                             has one row, column NULL; on_* as
                                             RETORT_REFERENTIAL_* numbers */
#define RETORT_OP_REFLECT_INDEXES 112 /* rows (name, unique, position, element,
                                         is_expression, condition): indexes
                                         that no PRIMARY KEY or UNIQUE
                                         constraint owns; condition = a partial
                                         index's WHERE */

#define RETORT_INDEX_UNIQUE 0x1u

/* Added in ABI 1.1. column_name_flags: this index element is an SQL
** expression, e.g. lower(email), not a column name. */
#define RETORT_ELEMENT_EXPRESSION 0x1u

/* Added in ABI 1.1. ALTER_COLUMN: the parts of a column that change (alter)
** and the parts of its existing definition the revision states (existing).
** A dialect that must restate the whole column (MySQL's MODIFY) needs the
** existing parts it does not change. */
#define RETORT_ALTER_TYPE 0x1u     /* type, length, precision, scale, type_name */
#define RETORT_ALTER_NULLABLE 0x2u /* the NOT_NULL flag */
#define RETORT_ALTER_DEFAULT 0x4u  /* server_default; absent = drop the default */
#define RETORT_ALTER_NAME 0x8u     /* name: the new name */
#define RETORT_ALTER_COMMENT 0x10u /* comment; absent = drop the comment */
#define RETORT_ALTER_AUTOINCREMENT 0x20u /* the AUTOINCREMENT flag (existing only) */

typedef struct retort_operation {
  uint32_t struct_size;
  uint32_t kind;     /* RETORT_OP_* */
  retort_str schema; /* absent = the connection's default schema */
  retort_str table;
  retort_str name;   /* index name; column name for DROP_COLUMN */
  const retort_column *const *columns;
  size_t column_count;
  const retort_str *column_names;
  size_t column_name_count;
  uint32_t flags;    /* RETORT_INDEX_* */
  retort_str sql;    /* EXECUTE */
  retort_str version;     /* *_VERSION: the row written or deleted */
  retort_str old_version; /* UPDATE_VERSION: the row replaced */
  /* Added in ABI 1.1. */
  const retort_constraint *const *constraints; /* CREATE_TABLE: table
                                                  constraints; *_CONSTRAINT:
                                                  the one constraint */
  size_t constraint_count;
  retort_str comment;   /* CREATE_TABLE, CREATE_TABLE_COMMENT */
  retort_str existing_comment; /* DROP_TABLE_COMMENT, CREATE_TABLE_COMMENT:
                                  the comment replaced, if the revision knows */
  retort_str condition; /* CREATE_INDEX: WHERE of a partial index;
                           ALTER_COLUMN: USING of a type change */
  const uint32_t *column_name_flags; /* CREATE_INDEX: parallel to
                                        column_names, or NULL */
  uint32_t alter;    /* ALTER_COLUMN: RETORT_ALTER_* that change, new values
                        in columns[0] */
  uint32_t existing; /* ALTER_COLUMN: RETORT_ALTER_* stated in
                        existing_column */
  const retort_column *existing_column; /* ALTER_COLUMN, or NULL */
  const retort_value *values; /* BULK_INSERT: row_count * column_count
                                 cells, row by row */
  size_t row_count;
} retort_operation;

/* ---- Dialect plugins. Since ABI 1.0. -------------------------------------- */

/* DDL runs inside a transaction and rolls back with it. */
#define RETORT_DIALECT_TRANSACTIONAL_DDL 0x1u
/* Added in ABI 1.2. The database has no session lock, so the migration lock
** is a transaction: the host runs TRY_LOCK's statements on the migration's
** own connection (not one of its own), where they open one transaction that
** keeps other writers out (SQLite: BEGIN IMMEDIATE) and fail while another
** runner holds it; the host retries them until its lock timeout. The whole
** command then runs in that transaction, each revision in a savepoint
** (SAVEPOINT, RELEASE SAVEPOINT and ROLLBACK TO SAVEPOINT, as the SQL
** standard writes them), and RELEASE_LOCK's statements commit it. A runner
** that dies leaves nothing of its run behind. LOCK_HOLDER is not used. */
#define RETORT_DIALECT_LOCK_IS_TRANSACTION 0x2u
/* Added in ABI 1.3. Tables and columns carry comments, which autogenerate
** then compares (SQLite's have none). */
#define RETORT_DIALECT_COMMENTS 0x4u

/* Receives the rows of a query, one call per row, each value as text; a
** value whose data is NULL is SQL NULL. Returns RETORT_OK, or another status
** to stop reading. Added in ABI 1.1. */
typedef struct retort_row_sink {
  uint32_t struct_size;
  void *ctx;
  int (*row)(void *ctx, const retort_str *values, size_t count);
} retort_row_sink;

/* Receives rendered statements, one call per statement, without terminator.
** Returns RETORT_OK, or RETORT_ABORTED to make the dialect stop rendering. */
typedef struct retort_statement_sink {
  uint32_t struct_size;
  void *ctx;
  int (*statement)(void *ctx, const char *sql, size_t size);
  /* Added in ABI 1.1. Runs a query on the database being migrated, e.g. to
  ** read the catalog; NULL when there is none (an offline --sql script).
  ** Same contract as retort_operations.query. */
  int (*query)(void *ctx, const char *sql, size_t size,
               const retort_row_sink *rows);
} retort_statement_sink;

/* Threads. The host may call every function of a dialect's table from
** several threads at once, with one loaded plugin: a fleet run (--targets
** -j N) renders, connects and redacts for N databases in parallel, and the
** host renders its own tables (the history's rows) offline while other
** threads render online. Each call has its own arguments and sinks, which
** it uses on its own thread and only until it returns. So a dialect must be
** reentrant: state kept across calls (the SQLite dialect's model of the
** tables a run changed) is guarded, and a call's context (its statement
** sink, for query) is kept per thread, never in a global. The host renders
** each offline script (--sql) on one thread, in order. Since ABI 1.0;
** stated in 1.4. */
typedef struct retort_dialect {
  uint32_t struct_size;
  /* URL schemes served, NULL-terminated, e.g. {"sqlite", NULL}. */
  const char *const *url_schemes;
  uint32_t flags; /* RETORT_DIALECT_* */
  /* Offline scripts: appended to each statement (e.g. ";"), the line written
  ** after each statement ("GO", "/") or NULL, and the statements that open
  ** and close a transaction (without terminator). */
  const char *statement_terminator;
  const char *batch_separator;
  const char *begin_transaction;
  const char *commit_transaction;
  /* Turns a URL into an ODBC connection string written to out. The message
  ** written to error must not contain the password. */
  int (*connection_string)(const char *url, size_t url_size,
                           const retort_sink *out, const retort_sink *error);
  /* Renders one operation as zero or more statements. */
  int (*render)(const retort_operation *op, const retort_statement_sink *out,
                const retort_sink *error);
  /* Writes a URL with its password replaced by "***" to out. */
  int (*redact_url)(const char *url, size_t url_size, const retort_sink *out);
  /* Added in ABI 1.3. Whether the type of a model's column differs from
  ** reflected, a type as RETORT_OP_REFLECT_COLUMNS spells it: writes 1 to
  ** *differs when it does, 0 when the two are the same type to this database
  ** (VARCHAR(30) and String(30), int4 and Integer). A parameter stated on one
  ** side only is not compared. RETORT_UNSUPPORTED: the dialect cannot tell,
  ** and the host leaves the type alone. NULL: same as RETORT_UNSUPPORTED. */
  int (*compare_type)(const retort_column *model, retort_str reflected,
                      int *differs, const retort_sink *error);
} retort_dialect;

/* ---- Revision modules. Since ABI 1.0. ------------------------------------- */

/* Added in ABI 1.1: the statements are written to an SQL script (--sql),
** not run; a query cannot run. */
#define RETORT_OPERATIONS_OFFLINE 0x1u

/* Where a revision's operations go. submit returns RETORT_OK, or another
** status when the operation failed; the revision must then stop and return
** RETORT_ABORTED (the host already holds the reason). */
typedef struct retort_operations {
  uint32_t struct_size;
  void *ctx;
  int (*submit)(void *ctx, const retort_operation *op);
  /* Added in ABI 1.1. */
  uint32_t flags; /* RETORT_OPERATIONS_* */
  /* Runs one query and hands each row to rows. Returns RETORT_OK; or
  ** RETORT_UNSUPPORTED offline (flags has RETORT_OPERATIONS_OFFLINE), or
  ** another status when the query failed. Like submit, the host holds the
  ** reason and the revision must stop with RETORT_ABORTED. */
  int (*query)(void *ctx, const char *sql, size_t size,
               const retort_row_sink *rows);
  /* Added in ABI 1.4. The name of the database the revision runs on, in an
  ** environment of several (the multidb template's `databases` key); absent
  ** (data NULL) in an environment of one. */
  retort_str database_name;
} retort_operations;

typedef struct retort_revision retort_revision;

/* upgrade/downgrade: self is the revision being run. A failure that is the
** revision's own (not a submit) is described in error. */
typedef int (*retort_migrate_fn)(const retort_revision *self,
                                 const retort_operations *ops,
                                 const retort_sink *error);

struct retort_revision {
  uint32_t struct_size;
  const char *id;
  /* NULL-terminated lists; an empty list is a pointer to NULL. */
  const char *const *down_revisions; /* none = a base; several = a merge */
  const char *const *branch_labels;
  const char *const *depends_on;
  const char *message;
  const char *create_date; /* "YYYY-MM-DD HH:MM:SS", may be empty */
  retort_migrate_fn upgrade;
  retort_migrate_fn downgrade;
};

/* One module may hold one revision or many (a pack). */
typedef struct retort_revision_module {
  uint32_t struct_size;
  size_t revision_count;
  const retort_revision *const *revisions;
} retort_revision_module;

/* ---- Model modules. Added in ABI 1.3. --------------------------------------- */

/* The schema an application expects (model.cpp), for autogenerate. declare
** submits, through ops, one RETORT_OP_CREATE_TABLE per table of the model
** (columns, constraints, comment), each followed by one RETORT_OP_CREATE_INDEX
** per index of that table; nothing is run. Same contract as
** retort_migrate_fn: a failed submit makes it stop with RETORT_ABORTED. */
typedef struct retort_model {
  uint32_t struct_size;
  int (*declare)(const retort_operations *ops, const retort_sink *error);
} retort_model;

/* ---- Environment modules. Added in ABI 1.4. ------------------------------- */

/* The environment (env.cpp in script_location), Alembic's env.py compiled:
** configure is called once per command that runs on a database (upgrade,
** downgrade, stamp, current, check, revision --autogenerate), before it
** connects, and decides through host how the command runs. What it does
** not set stays as the configuration says. */

/* retort_env_host.on_version_apply's direction. */
#define RETORT_DIRECTION_UPGRADE 1
#define RETORT_DIRECTION_DOWNGRADE 2
#define RETORT_DIRECTION_STAMP 3

/* retort_env_host.flags: the command writes an SQL script (--sql). */
#define RETORT_ENV_OFFLINE 0x1u

/* Called after each step of a run has been applied (inside its transaction,
** before the commit): the revision's id (the revision stamped, or absent
** when stamping to base) and RETORT_DIRECTION_*. Anything but RETORT_OK
** fails the step, with the message written to error. */
typedef int (*retort_version_apply_fn)(void *user, retort_str revision,
                                       uint32_t direction,
                                       const retort_sink *error);
/* Asked by autogenerate for each object of the model and of the database:
** its name, its type ("table" or "column"; later hosts may ask of other
** types, which a filter should let through) and, for a column, the table it
** belongs to (absent for a table). Returns 1 to compare it, 0 to leave it
** out. */
typedef int (*retort_include_object_fn)(void *user, retort_str name,
                                        retort_str type, retort_str table);
/* Frees the user data of a callback once the host no longer calls it; may
** be NULL. */
typedef void (*retort_free_fn)(void *user);

/* What configure reads and sets. Valid during configure only; the callbacks
** it registers are kept (with their user data, freed through free_user)
** while the module is loaded. Getters write to out and set *found to 1, or
** write nothing and set *found to 0. */
typedef struct retort_env_host {
  uint32_t struct_size;
  void *ctx;
  uint32_t flags; /* RETORT_ENV_* */
  /* A key of the configuration's main section, interpolated. */
  int (*get_main_option)(void *ctx, retort_str key, const retort_sink *out,
                         int *found);
  /* A -x key=value argument; the key then counts as read. */
  int (*get_x_argument)(void *ctx, retort_str key, const retort_sink *out,
                        int *found);
  /* Every -x argument, one row (key, value) each; all count as read. */
  int (*x_arguments)(void *ctx, const retort_row_sink *rows);
  /* --tag of upgrade, downgrade or stamp. */
  int (*get_tag_argument)(void *ctx, const retort_sink *out, int *found);
  /* The URL the command connects to (the url key, or -x url=...). With the
  ** application's connection (Config::attributes) the command runs on
  ** that, and a URL set here only names the dialect. */
  int (*get_url)(void *ctx, const retort_sink *out, int *found);
  int (*set_url)(void *ctx, retort_str url);
  /* 1 (the default): each revision in a transaction of its own; 0: the
  ** whole run in one, where DDL is transactional. */
  int (*set_transaction_per_migration)(void *ctx, int on);
  int (*set_version_table)(void *ctx, retort_str table);
  /* Absent: the connection's default schema. */
  int (*set_version_table_schema)(void *ctx, retort_str schema);
  int (*set_on_version_apply)(void *ctx, retort_version_apply_fn fn,
                              void *user, retort_free_fn free_user);
  int (*set_include_object)(void *ctx, retort_include_object_fn fn,
                            void *user, retort_free_fn free_user);
} retort_env_host;

typedef struct retort_environment {
  uint32_t struct_size;
  /* RETORT_OK, or a failure described in error (the command then stops). */
  int (*configure)(const retort_env_host *host, const retort_sink *error);
} retort_environment;

#ifdef __cplusplus
} /* extern "C" */
#endif

/* clang-format on */

#endif /* RETORT_ABI_H */
