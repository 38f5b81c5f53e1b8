/*
** csqlite URLs: csqlite:///relative.db, csqlite:////absolute.db and
** csqlite:///:memory:, turned into the SQLite3 ODBC driver's
** "Driver=SQLite3;Database=/absolute/path".
*/
#define _POSIX_C_SOURCE 200809L /* getcwd */

#include "c_sqlite.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Appends the percent-decoded path; RETORT_INVALID on a bad escape. */
static int decode_path(cs_text *t, const char *s, size_t size, const retort_sink *error) {
  size_t i;
  for (i = 0; i < size; ++i) {
    char c = s[i];
    if (c == '%') {
      int hi = i + 2 < size ? hex_value(s[i + 1]) : -1;
      int lo = i + 2 < size ? hex_value(s[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        cs_say(error, "invalid percent-escape in the database path of the csqlite URL");
        return RETORT_INVALID;
      }
      c = (char)(hi * 16 + lo);
      i += 2;
    }
    cs_append(t, &c, 1);
  }
  return RETORT_OK;
}

/* The current directory, or NULL (out of memory, or it was removed). */
static char *current_dir(void) {
  size_t size = 256;
  for (;;) {
    char *buffer = (char *)malloc(size);
    if (buffer == NULL) return NULL;
    if (getcwd(buffer, size) != NULL) return buffer;
    free(buffer);
    if (size > 65536) return NULL;
    size *= 2;
  }
}

/* Checks "csqlite://" (any case, an optional "+driver") and finds what follows. */
static int after_scheme(const char *url, size_t url_size, size_t *rest, const retort_sink *error) {
  static const char kScheme[] = "csqlite";
  const size_t n = sizeof kScheme - 1;
  size_t i;
  for (i = 0; i < n; ++i) {
    if (i >= url_size || tolower((unsigned char)url[i]) != kScheme[i]) break;
  }
  if (i == n && i < url_size && url[i] == '+') {
    while (i < url_size && url[i] != ':') ++i;
  }
  if (i < n || url_size - i < 3 || memcmp(url + i, "://", 3) != 0) {
    cs_say(error, "not a csqlite URL: write csqlite:///relative.db or csqlite:////absolute.db");
    return RETORT_INVALID;
  }
  *rest = i + 3;
  return RETORT_OK;
}

int cs_connection_string(const char *url, size_t url_size, const retort_sink *out,
                         const retort_sink *error) {
  cs_text path = {0};
  cs_text result = {0};
  size_t begin;
  size_t end;
  int status;
  if (url == NULL || out == NULL || out->write == NULL) {
    cs_say(error, "connection_string needs a URL and an output sink");
    return RETORT_INVALID;
  }
  status = after_scheme(url, url_size, &begin, error);
  if (status != RETORT_OK) return status;
  if (begin >= url_size || url[begin] != '/') {
    cs_say(error,
           "a csqlite URL names a file, not a server: write csqlite:///relative.db or "
           "csqlite:////absolute.db");
    return RETORT_INVALID;
  }
  ++begin;
  for (end = begin; end < url_size && url[end] != '?'; ++end) {
  }
  if (end < url_size) {
    cs_say(error, "a csqlite URL takes no query parameters: remove everything from '?'");
    return RETORT_INVALID;
  }
  status = decode_path(&path, url + begin, end - begin, error);
  if (status == RETORT_OK && path.size > 0 && memchr(path.data, ';', path.size) != NULL) {
    /* The SQLite3 ODBC driver reads a value up to the next ';' and knows no braces. */
    cs_say(error, "the SQLite ODBC driver cannot open a path holding ';'");
    status = RETORT_INVALID;
  }
  if (status == RETORT_OK && path.size > 0 && memchr(path.data, '\0', path.size) != NULL) {
    cs_say(error, "the database path of the csqlite URL holds a NUL character");
    status = RETORT_INVALID;
  }
  if (status == RETORT_OK) {
    cs_append_c(&result, "Driver=SQLite3;Database=");
    if (path.size == 0) {
      cs_append_c(&result, ":memory:");
    } else if (path.data[0] == '/' || strcmp(path.data, ":memory:") == 0) {
      cs_append(&result, path.data, path.size);
    } else {
      char *cwd = current_dir();
      if (cwd == NULL) {
        cs_say(error, "cannot read the current directory to resolve the csqlite database path");
        status = RETORT_ERROR;
      } else {
        cs_append_c(&result, cwd);
        if (strcmp(cwd, "/") != 0) cs_append_c(&result, "/");
        cs_append(&result, path.data, path.size);
        free(cwd);
      }
    }
  }
  if (status == RETORT_OK && (path.failed || result.failed)) {
    cs_say(error, "out of memory");
    status = RETORT_ERROR;
  }
  if (status == RETORT_OK) out->write(out->ctx, result.data, result.size);
  cs_text_free(&path);
  cs_text_free(&result);
  return status;
}

int cs_redact_url(const char *url, size_t url_size, const retort_sink *out) {
  /* A csqlite URL has no password; should a user:password@ slip in anyway,
  ** the password becomes "***". */
  size_t begin = 0;
  size_t end;
  size_t at = 0;
  size_t colon = 0;
  size_t i;
  int has_at = 0;
  int has_colon = 0;
  if (url == NULL || out == NULL || out->write == NULL) return RETORT_INVALID;
  for (i = 0; i + 2 < url_size; ++i) {
    if (memcmp(url + i, "://", 3) == 0) {
      begin = i + 3;
      break;
    }
  }
  for (end = begin; end < url_size && url[end] != '/' && url[end] != '?'; ++end) {
    if (url[end] == '@') {
      has_at = 1;
      at = end;
    }
  }
  for (i = begin; has_at && i < at; ++i) {
    if (url[i] == ':') {
      has_colon = 1;
      colon = i;
      break;
    }
  }
  if (!has_at || !has_colon) {
    out->write(out->ctx, url, url_size);
    return RETORT_OK;
  }
  out->write(out->ctx, url, colon + 1);
  out->write(out->ctx, "***", 3);
  out->write(out->ctx, url + at, url_size - at);
  return RETORT_OK;
}
