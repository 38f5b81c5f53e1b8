// Values in the fields of retort's line-based caches (the source metadata
// and the checksum caches): records end at a newline and fields at a tab,
// so a backslash escapes those, the carriage return, itself, and, where a
// field holds a space-separated list, the space (\s).
#ifndef RETORT_FIELD_ESCAPE_HPP
#define RETORT_FIELD_ESCAPE_HPP

#include <optional>
#include <string>
#include <string_view>

namespace retort {

enum class Spaces { kKept, kEscaped };

// Appends `value` to `out`, escaped.
void append_escaped(std::string& out, std::string_view value, Spaces spaces = Spaces::kKept);

// The value an escaped field holds; nullopt for an escape no writer makes or
// a lone backslash at its end (a damaged cache).
std::optional<std::string> unescaped(std::string_view field);

}  // namespace retort

#endif  // RETORT_FIELD_ESCAPE_HPP
