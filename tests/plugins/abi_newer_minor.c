/* A dialect built for the next minor ABI, 1.(RETORT_ABI_MINOR + 1): it may use
** table members this host does not have, so the host must refuse it. */
#include <retort/abi.h>

static const int kTable = 0;

static const retort_plugin kDescriptor = {
    .struct_size = sizeof(retort_plugin),
    .kind = RETORT_KIND_DIALECT,
    .abi_major = RETORT_ABI_MAJOR,
    .abi_minor = RETORT_ABI_MINOR + 1,
    .name = "newer",
    .version = "1.1.0",
    .table = &kTable,
};

RETORT_EXPORT const retort_plugin *retort_plugin_entry(const retort_host *host) {
  (void)host;
  return &kDescriptor;
}
