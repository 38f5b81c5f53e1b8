/* A plugin whose entry point declines this host and says why through the
** host's error channel (ABI 1.4), the way a plugin refuses a missing
** library or a bad environment. The reason's second line must not reach
** the user: a refusal is one line. */
#include <retort/abi.h>

#include <stddef.h>
#include <string.h>

RETORT_EXPORT const retort_plugin *retort_plugin_entry(const retort_host *host) {
  static const char kReason[] =
      "needs libfoo 2, found 1; install libfoo 2\nthis second line is dropped";
  if (host != NULL && host->struct_size >= offsetof(retort_host, refuse) + sizeof host->refuse &&
      host->refuse != NULL) {
    host->refuse(host->ctx, kReason, strlen(kReason));
  }
  return NULL;
}
