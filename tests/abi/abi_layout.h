/* Every field of every ABI struct, in declaration order, so that the layout
** the C compiler gives abi.h (abi_c99.c) can be compared with the one the
** C++ compiler gives it (tests/unit/abi_layout_test.cpp). When a field is
** appended in ABI 1.N, append it here too. */
#ifndef RETORT_TESTS_ABI_LAYOUT_H
#define RETORT_TESTS_ABI_LAYOUT_H

#include <retort/abi.h>
#include <stddef.h>

/* RETORT_ABI_LAYOUT(S, F) expands S(type) once per struct and F(type, field)
** once per field. */
/* clang-format off */
#define RETORT_ABI_LAYOUT(S, F)                                                  \
  S(retort_str) F(retort_str, data) F(retort_str, size)                          \
  S(retort_sink) F(retort_sink, struct_size) F(retort_sink, ctx)                 \
  F(retort_sink, write)                                                          \
  S(retort_host) F(retort_host, struct_size) F(retort_host, abi_major)           \
  F(retort_host, abi_minor) F(retort_host, ctx) F(retort_host, log)              \
  F(retort_host, refuse)                                                         \
  S(retort_plugin) F(retort_plugin, struct_size) F(retort_plugin, kind)          \
  F(retort_plugin, abi_major) F(retort_plugin, abi_minor) F(retort_plugin, name) \
  F(retort_plugin, version) F(retort_plugin, table)                              \
  S(retort_column) F(retort_column, struct_size) F(retort_column, name)          \
  F(retort_column, type) F(retort_column, length) F(retort_column, precision)    \
  F(retort_column, scale) F(retort_column, type_name) F(retort_column, flags)    \
  F(retort_column, server_default) F(retort_column, comment)                     \
  S(retort_constraint) F(retort_constraint, struct_size)                         \
  F(retort_constraint, kind) F(retort_constraint, name)                          \
  F(retort_constraint, columns) F(retort_constraint, column_count)               \
  F(retort_constraint, referred_schema) F(retort_constraint, referred_table)     \
  F(retort_constraint, referred_columns)                                         \
  F(retort_constraint, referred_column_count) F(retort_constraint, on_delete)    \
  F(retort_constraint, on_update) F(retort_constraint, condition)                \
  S(retort_value) F(retort_value, kind) F(retort_value, integer)                 \
  F(retort_value, real) F(retort_value, text)                                    \
  S(retort_operation) F(retort_operation, struct_size) F(retort_operation, kind) \
  F(retort_operation, schema) F(retort_operation, table)                         \
  F(retort_operation, name) F(retort_operation, columns)                         \
  F(retort_operation, column_count) F(retort_operation, column_names)            \
  F(retort_operation, column_name_count) F(retort_operation, flags)              \
  F(retort_operation, sql) F(retort_operation, version)                          \
  F(retort_operation, old_version) F(retort_operation, constraints)              \
  F(retort_operation, constraint_count) F(retort_operation, comment)             \
  F(retort_operation, existing_comment) F(retort_operation, condition)           \
  F(retort_operation, column_name_flags) F(retort_operation, alter)              \
  F(retort_operation, existing) F(retort_operation, existing_column)             \
  F(retort_operation, values) F(retort_operation, row_count)                     \
  S(retort_row_sink) F(retort_row_sink, struct_size) F(retort_row_sink, ctx)     \
  F(retort_row_sink, row)                                                        \
  S(retort_statement_sink) F(retort_statement_sink, struct_size)                 \
  F(retort_statement_sink, ctx) F(retort_statement_sink, statement)              \
  F(retort_statement_sink, query)                                                \
  S(retort_dialect) F(retort_dialect, struct_size) F(retort_dialect, url_schemes) \
  F(retort_dialect, flags) F(retort_dialect, statement_terminator)               \
  F(retort_dialect, batch_separator) F(retort_dialect, begin_transaction)        \
  F(retort_dialect, commit_transaction) F(retort_dialect, connection_string)     \
  F(retort_dialect, render) F(retort_dialect, redact_url)                        \
  F(retort_dialect, compare_type)                                                \
  S(retort_operations) F(retort_operations, struct_size)                         \
  F(retort_operations, ctx) F(retort_operations, submit)                         \
  F(retort_operations, flags) F(retort_operations, query)                        \
  F(retort_operations, database_name)                                            \
  S(retort_revision) F(retort_revision, struct_size) F(retort_revision, id)      \
  F(retort_revision, down_revisions) F(retort_revision, branch_labels)           \
  F(retort_revision, depends_on) F(retort_revision, message)                     \
  F(retort_revision, create_date) F(retort_revision, upgrade)                    \
  F(retort_revision, downgrade)                                                  \
  S(retort_revision_module) F(retort_revision_module, struct_size)               \
  F(retort_revision_module, revision_count) F(retort_revision_module, revisions) \
  S(retort_model) F(retort_model, struct_size) F(retort_model, declare)          \
  S(retort_environment) F(retort_environment, struct_size)                       \
  F(retort_environment, configure)                                               \
  S(retort_env_host) F(retort_env_host, struct_size) F(retort_env_host, ctx)     \
  F(retort_env_host, flags) F(retort_env_host, get_main_option)                  \
  F(retort_env_host, set_include_object)
/* clang-format on */

/* One measurement: "sizeof(retort_plugin)" or "retort_plugin.table". */
typedef struct retort_abi_layout_entry {
  const char *what;
  size_t value;
} retort_abi_layout_entry;

#define RETORT_ABI_LAYOUT_SIZE(type) {"sizeof(" #type ")", sizeof(type)},
#define RETORT_ABI_LAYOUT_OFFSET(type, field) {#type "." #field, offsetof(type, field)},

#ifdef __cplusplus
extern "C" {
#endif

/* The layout as the C compiler saw it; `count` receives the number of
** entries. Defined in abi_c99.c. */
const retort_abi_layout_entry *retort_abi_c99_layout(size_t *count);

#ifdef __cplusplus
}
#endif

#endif /* RETORT_TESTS_ABI_LAYOUT_H */
