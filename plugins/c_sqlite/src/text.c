/* c_sqlite's growable strings, messages and quoting. */
#include "c_sqlite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cs_text_free(cs_text *t) {
  free(t->data);
  t->data = NULL;
  t->size = t->capacity = 0;
}

void cs_append(cs_text *t, const char *data, size_t size) {
  if (t->failed) return;
  if (t->size + size + 1 > t->capacity) {
    size_t capacity = t->capacity == 0 ? 128 : t->capacity;
    char *grown;
    while (capacity < t->size + size + 1) capacity *= 2;
    grown = (char *)realloc(t->data, capacity);
    if (grown == NULL) {
      t->failed = 1;
      return;
    }
    t->data = grown;
    t->capacity = capacity;
  }
  if (size > 0) memcpy(t->data + t->size, data, size);
  t->size += size;
  t->data[t->size] = '\0';
}

void cs_append_c(cs_text *t, const char *s) { cs_append(t, s, strlen(s)); }

void cs_append_str(cs_text *t, retort_str s) {
  if (s.data != NULL) cs_append(t, s.data, s.size);
}

void cs_append_int(cs_text *t, long value) {
  char digits[32];
  int n = snprintf(digits, sizeof digits, "%ld", value);
  if (n > 0) cs_append(t, digits, (size_t)n);
}

void cs_say(const retort_sink *sink, const char *message) {
  if (sink == NULL || sink->write == NULL) return;
  sink->write(sink->ctx, message, strlen(message));
}

void cs_say_named(const retort_sink *sink, const char *prefix, retort_str name,
                  const char *suffix) {
  if (sink == NULL || sink->write == NULL) return;
  sink->write(sink->ctx, prefix, strlen(prefix));
  sink->write(sink->ctx, "'", 1);
  if (name.data != NULL) sink->write(sink->ctx, name.data, name.size);
  sink->write(sink->ctx, "'", 1);
  sink->write(sink->ctx, suffix, strlen(suffix));
}

int cs_absent(retort_str s) { return s.data == NULL; }

/* Appends `s` between two `quote` characters, each quote inside doubled. */
static void enclose(cs_text *t, retort_str s, char quote) {
  size_t i;
  cs_append(t, &quote, 1);
  for (i = 0; i < s.size; ++i) {
    cs_append(t, s.data + i, 1);
    if (s.data[i] == quote) cs_append(t, &quote, 1);
  }
  cs_append(t, &quote, 1);
}

int cs_quote_identifier(cs_text *t, retort_str name, const char *what, const retort_sink *error) {
  if (name.data == NULL || name.size == 0) {
    cs_say(error, "the operation has no ");
    cs_say(error, what);
    return RETORT_INVALID;
  }
  if (memchr(name.data, '\0', name.size) != NULL) {
    cs_say(error, "an identifier cannot hold a NUL character");
    return RETORT_INVALID;
  }
  /* Always quoted: SQLite then needs no reserved-word list, and a '"' in a
  ** name is doubled, so nothing can end the quoting early. */
  enclose(t, name, '"');
  return RETORT_OK;
}

int cs_quote_literal(cs_text *t, retort_str text, const retort_sink *error) {
  if (text.size > 0 && memchr(text.data, '\0', text.size) != NULL) {
    cs_say(error, "a string literal cannot hold a NUL character");
    return RETORT_INVALID;
  }
  enclose(t, text, '\'');
  return RETORT_OK;
}
