/* Not a retort plugin: a shared object that exports no retort_plugin_entry.
** The loader must refuse it by name rather than crash. */
int retort_test_no_entry_answer(void);

int retort_test_no_entry_answer(void) { return 42; }
