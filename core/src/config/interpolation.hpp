// ConfigParser's BasicInterpolation, as Alembic uses it: %(name)s is
// replaced by the value of option `name`, %% is a literal %, and any other %
// is an error. Referenced values are expanded in turn, at most
// kMaxInterpolationDepth levels deep, and, unlike ConfigParser, only so far:
// a value expands to at most kMaxInterpolatedSize bytes (or its own length,
// if longer), reading at most kMaxInterpolationRead bytes of other option
// values (nine levels of twelve references would otherwise make 5e9 bytes).
//
// Errors never quote a password: what they quote of a value goes through
// redact() and shorten() (<retort/url.hpp>, <retort/shorten.hpp>).
#ifndef RETORT_INTERPOLATION_HPP
#define RETORT_INTERPOLATION_HPP

#include <cstddef>
#include <functional>
#include <optional>
#include <retort/error.hpp>
#include <string>

namespace retort {

// ConfigParser's MAX_INTERPOLATION_DEPTH.
inline constexpr int kMaxInterpolationDepth = 10;
// The most bytes one value may expand to.
inline constexpr size_t kMaxInterpolatedSize = size_t{1} << 20;
// The most bytes of option values that expanding one value may read (each
// value counted every time it is expanded): references to empty options
// cost time without making output.
inline constexpr size_t kMaxInterpolationRead = size_t{16} << 20;

// The raw value of option `name` (already lower case) as seen from the
// section being read, or nullopt if there is none.
using RawOptionLookup = std::function<std::optional<std::string>(const std::string& name)>;

// Expands `raw`, the value of option `key` in `section`; `key` and
// `section` only name the option in error messages, which read
// "bad interpolation in key 'url' of section [retort]: ...". A message
// quotes a piece of a value only when redact() would show it; otherwise, and
// always for a url key (url, *.url, *_url), it quotes the redacted value.
Expected<std::string> interpolate(const std::string& raw, const RawOptionLookup& lookup,
                                  const std::string& key, const std::string& section);

// `text` with every % doubled, so that it interpolates to itself.
std::string escape_percent(const std::string& text);

}  // namespace retort

#endif  // RETORT_INTERPOLATION_HPP
