/* A second dialect claiming the "cdialect" URL scheme under another name, so
** the dialect search can be shown refusing to guess between two plugins. It
** is built into rival/, apart from the other test plugins, so that searching
** RETORT_TEST_PLUGIN_DIR alone still finds one cdialect. */
#include <retort/abi.h>
#include <string.h>

static int render(const retort_operation *op, const retort_statement_sink *out,
                  const retort_sink *error) {
  static const char kMessage[] = "rival_cdialect renders nothing";
  (void)op;
  (void)out;
  if (error != NULL && error->write != NULL) error->write(error->ctx, kMessage, strlen(kMessage));
  return RETORT_UNSUPPORTED;
}

static int redact_url(const char *url, size_t url_size, const retort_sink *out) {
  out->write(out->ctx, url, url_size);
  return RETORT_OK;
}

static const char *const kSchemes[] = {"cdialect", "rival", NULL};

static const retort_dialect kDialect = {
    .struct_size = sizeof(retort_dialect),
    .url_schemes = kSchemes,
    .flags = 0,
    .statement_terminator = ";",
    .batch_separator = NULL,
    .begin_transaction = "BEGIN",
    .commit_transaction = "COMMIT",
    .connection_string = NULL,
    .render = render,
    .redact_url = redact_url,
};

static const retort_plugin kDescriptor = {
    .struct_size = sizeof(retort_plugin),
    .kind = RETORT_KIND_DIALECT,
    .abi_major = RETORT_ABI_MAJOR,
    .abi_minor = RETORT_ABI_MINOR,
    .name = "rival_cdialect",
    .version = "2.0.0",
    .table = &kDialect,
};

RETORT_EXPORT const retort_plugin *retort_plugin_entry(const retort_host *host) {
  (void)host;
  return &kDescriptor;
}
