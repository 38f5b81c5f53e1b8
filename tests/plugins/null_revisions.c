/* A revision module whose table claims a revision and has no array. */
#include <retort/abi.h>

static const retort_revision_module kTable = {
    .struct_size = sizeof(retort_revision_module),
    .revision_count = 1,
    .revisions = NULL,
};

static const retort_plugin kDescriptor = {
    .struct_size = sizeof(retort_plugin),
    .kind = RETORT_KIND_REVISIONS,
    .abi_major = RETORT_ABI_MAJOR,
    .abi_minor = RETORT_ABI_MINOR,
    .name = "nullrevs",
    .version = "0",
    .table = &kTable,
};

RETORT_EXPORT const retort_plugin *retort_plugin_entry(const retort_host *host) {
  (void)host;
  return &kDescriptor;
}
