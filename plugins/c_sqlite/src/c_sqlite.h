/*
** c_sqlite: a retort dialect for SQLite in plain C99. This header is private
** to the plugin; only retort_plugin_entry (entry.c) is exported.
*/
#ifndef C_SQLITE_H
#define C_SQLITE_H

#include <retort/abi.h>

#include <stddef.h>

/* A growable NUL-terminated string. After an allocation failure `failed` is
** set, every later append is ignored, and the text must not be used. */
typedef struct cs_text {
  char *data;
  size_t size;
  size_t capacity;
  int failed;
} cs_text;

void cs_text_free(cs_text *t);
void cs_append(cs_text *t, const char *data, size_t size);
void cs_append_c(cs_text *t, const char *s);
void cs_append_str(cs_text *t, retort_str s);
void cs_append_int(cs_text *t, long value);

/* Writes a NUL-terminated message to a caller's sink (which may be NULL). */
void cs_say(const retort_sink *sink, const char *message);
/* Writes "<prefix>'<name>'<suffix>" to a sink: a message naming an object. */
void cs_say_named(const retort_sink *sink, const char *prefix, retort_str name, const char *suffix);

/* Is the string absent (data NULL) rather than given? */
int cs_absent(retort_str s);

/* "name" with '"' doubled. RETORT_INVALID (message in error) when the name
** is empty or holds a NUL. */
int cs_quote_identifier(cs_text *t, retort_str name, const char *what, const retort_sink *error);
/* 'text' with ' doubled; RETORT_INVALID on a NUL. */
int cs_quote_literal(cs_text *t, retort_str text, const retort_sink *error);

/* The dialect table's functions. */
int cs_connection_string(const char *url, size_t url_size, const retort_sink *out,
                         const retort_sink *error);
int cs_redact_url(const char *url, size_t url_size, const retort_sink *out);
int cs_render(const retort_operation *op, const retort_statement_sink *out,
              const retort_sink *error);

#endif /* C_SQLITE_H */
