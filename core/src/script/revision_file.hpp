// The pieces of a new revision source: its id, its file name from
// file_template, and its text from the environment's template.
#ifndef RETORT_REVISION_FILE_HPP
#define RETORT_REVISION_FILE_HPP

#include <retort/error.hpp>

#include <ctime>
#include <map>
#include <string>
#include <vector>

namespace retort {

// A new revision id: 12 random hex digits, as Alembic makes them.
std::string new_revision_id();
// Ids go into file names and C++ string literals: letters, digits and _.
Error check_revision_id(const std::string& id);

// Alembic's slug: the message's words, lower case, joined by _, cut at a
// word boundary to at most `max_length` characters (then ending in _).
std::string slugify(const std::string& message, size_t max_length);

// The largest width or precision a file_template may give: a file name
// holds at most 255 bytes.
inline constexpr size_t kMaxFileTemplateWidth = 255;

// Formats a file_template such as "%(rev)s_%(slug)s" or
// "%(year)d_%(month).2d_%(rev)s": keys rev, slug, epoch, year, month, day,
// hour, minute, second. A width or precision over kMaxFileTemplateWidth is
// refused.
Expected<std::string> format_file_template(const std::string& file_template, const std::string& rev,
                                           const std::string& slug, std::time_t when);

// Replaces ${name} in `text`; unknown names are left as they are.
std::string substitute(const std::string& text, const std::map<std::string, std::string>& values);

// `text` as a C++ string literal, quotes included, that no byte of `text`
// can end early or spread over two lines: \r, \n, other control characters,
// bytes that are not UTF-8, backslashes, quotes and '?' (trigraphs) are
// escaped. read_revision_source() decodes it back to `text`.
std::string cpp_string_literal(const std::string& text);

}  // namespace retort

#endif  // RETORT_REVISION_FILE_HPP
