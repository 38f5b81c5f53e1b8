/* A valid revision module with no revisions, for tests that load it where a
** dialect is expected. */
#include <retort/abi.h>

static const retort_revision *const kNoRevisions[] = {NULL};

static const retort_revision_module kModule = {sizeof(retort_revision_module), 0, kNoRevisions};

static const retort_plugin kDescriptor = {
    .struct_size = sizeof(retort_plugin),
    .kind = RETORT_KIND_REVISIONS,
    .abi_major = RETORT_ABI_MAJOR,
    .abi_minor = RETORT_ABI_MINOR,
    .name = "empty",
    .version = "1.0.0",
    .table = &kModule,
};

RETORT_EXPORT const retort_plugin *retort_plugin_entry(const retort_host *host) {
  (void)host;
  return &kDescriptor;
}
