/* A dialect built for ABI 2.0, which this host does not speak. Its table is
** never read, so it is a placeholder. */
#include <retort/abi.h>

static const int kTable = 0;

static const retort_plugin kDescriptor = {
    .struct_size = sizeof(retort_plugin),
    .kind = RETORT_KIND_DIALECT,
    .abi_major = 2,
    .abi_minor = 0,
    .name = "future",
    .version = "2.0.0",
    .table = &kTable,
};

RETORT_EXPORT const retort_plugin *retort_plugin_entry(const retort_host *host) {
  (void)host;
  return &kDescriptor;
}
