/* A plugin whose entry point declines this host by returning NULL. */
#include <retort/abi.h>

RETORT_EXPORT const retort_plugin *retort_plugin_entry(const retort_host *host) {
  (void)host;
  return NULL;
}
