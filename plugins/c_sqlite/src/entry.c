/*
** c_sqlite's traits and its one exported symbol, retort_plugin_entry.
*/
#include "c_sqlite.h"

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

static void warn(const retort_host *host, const char *message) {
  if (host == NULL || host->struct_size < sizeof(retort_host) || host->log == NULL) return;
  host->log(host->ctx, RETORT_LOG_WARNING, message, strlen(message));
}

RETORT_EXPORT const retort_plugin *retort_plugin_entry(const retort_host *host) {
  /* The host refuses a plugin of another major itself; this only says why
  ** when an older 1.x host could not cope. Nothing here needs ABI 1.1. */
  if (host != NULL && host->abi_major != RETORT_ABI_MAJOR) {
    warn(host, "dialect 'c_sqlite' failed to start: built for retort ABI 1.x");
    return NULL;
  }
  return &kPlugin;
}
