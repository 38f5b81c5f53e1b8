/*
** c_sqlite's traits and its one exported symbol, retort_plugin_entry.
*/
#include "c_sqlite.h"

#include <stddef.h>
#include <string.h>

#ifndef C_SQLITE_VERSION
#define C_SQLITE_VERSION "1.0.0"
#endif

/* Distinct from the built-in "sqlite", so both can be installed at once. */
static const char *const kUrlSchemes[] = {"csqlite", NULL};

static const retort_dialect kDialect = {
    sizeof(retort_dialect),
    kUrlSchemes,
    /* SQLite runs DDL inside a transaction and rolls it back with it. */
    RETORT_DIALECT_TRANSACTIONAL_DDL,
    ";",      /* statement_terminator */
    NULL,     /* batch_separator: the sqlite3 shell needs none */
    "BEGIN",  /* begin_transaction */
    "COMMIT", /* commit_transaction */
    cs_connection_string,
    cs_render,
    cs_redact_url,
};

static const retort_plugin kPlugin = {
    sizeof(retort_plugin), RETORT_KIND_DIALECT, RETORT_ABI_MAJOR, RETORT_ABI_MINOR, "c_sqlite",
    C_SQLITE_VERSION,      &kDialect,
};

/* Whether the host's struct, maybe an older host's and shorter, holds the
** member that ends at `end` (abi.h, rule 2). */
static int host_has(const retort_host *host, size_t end) {
  return host != NULL && host->struct_size >= end;
}

/* Says why the entry returns NULL: through refuse (ABI 1.4), or in the log
** of an older host. */
static void refuse(const retort_host *host, const char *reason) {
#if RETORT_ABI_MINOR >= 4 /* built against an SDK that has refuse */
  if (host_has(host, offsetof(retort_host, refuse) + sizeof host->refuse) && host->refuse != NULL) {
    host->refuse(host->ctx, reason, strlen(reason));
    return;
  }
#endif
  if (host_has(host, offsetof(retort_host, log) + sizeof host->log) && host->log != NULL) {
    host->log(host->ctx, RETORT_LOG_WARNING, reason, strlen(reason));
  }
}

RETORT_EXPORT const retort_plugin *retort_plugin_entry(const retort_host *host) {
  /* The host refuses a plugin of another major itself; this only says why
  ** when an older 1.x host could not cope. Nothing here needs ABI 1.1. */
  if (host != NULL && host->abi_major != RETORT_ABI_MAJOR) {
    refuse(host, "dialect 'c_sqlite' failed to start: built for retort ABI 1.x");
    return NULL;
  }
  return &kPlugin;
}
