// ConfigParser's BasicInterpolation, as Alembic uses it: %(name)s is
// replaced by the value of option `name`, %% is a literal %, and any other %
// is an error. Referenced values are expanded in turn, at most
// kMaxInterpolationDepth levels deep.
#ifndef RETORT_INTERPOLATION_HPP
#define RETORT_INTERPOLATION_HPP

#include <functional>
#include <optional>
#include <retort/error.hpp>
#include <string>

namespace retort {

// ConfigParser's MAX_INTERPOLATION_DEPTH.
inline constexpr int kMaxInterpolationDepth = 10;

// The raw value of option `name` (already lower case) as seen from the
// section being read, or nullopt if there is none.
using RawOptionLookup = std::function<std::optional<std::string>(const std::string& name)>;

// Expands `raw`, the value of option `key` in `section`; `key` and
// `section` only name the option in error messages, which read
// "bad interpolation in key 'url' of section [retort]: ...".
Expected<std::string> interpolate(const std::string& raw, const RawOptionLookup& lookup,
                                  const std::string& key, const std::string& section);

// `text` with every % doubled, so that it interpolates to itself.
std::string escape_percent(const std::string& text);

}  // namespace retort

#endif  // RETORT_INTERPOLATION_HPP
