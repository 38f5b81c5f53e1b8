#include "config/interpolation.hpp"

#include <retort/shorten.hpp>
#include <retort/url.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string_view>

namespace retort {
namespace {

// "1 MiB", "16 MiB".
std::string mebibytes(size_t bytes) { return fmt::format("{} MiB", bytes >> 20); }

bool is_url_key(std::string_view key) {
  return key == "url" || key.ends_with(".url") || key.ends_with("_url");
}

class Interpolator {
 public:
  Interpolator(const std::string& raw, const RawOptionLookup& lookup, const std::string& key,
               const std::string& section)
      : raw_(raw), lookup_(lookup), key_(key), section_(section) {}

  // Appends the expansion of `value` to out_; `depth` counts the values
  // being expanded, starting at 1 for the option's own value.
  Error expand(std::string_view value, int depth);
  std::string take_output() { return std::move(out_); }

 private:
  Error fail(const std::string& why, std::string hint) const {
    return Error(
        ErrorCategory::kConfig,
        fmt::format("bad interpolation in key '{}' of section [{}]: {}", key_, section_, why),
        std::move(hint));
  }

  // `piece` of `value` (the value being expanded), shortened, when a message
  // may quote it: redact() would show it. Else nullopt, and the message
  // quotes where() instead.
  std::optional<std::string> quotable(std::string_view piece, std::string_view value) const {
    const std::string shown = redact(is_url_key(key_) ? std::string_view(raw_) : value);
    if (shown.find(piece) == std::string::npos) return std::nullopt;
    return shorten(piece);
  }
  // The value a message names when it cannot quote a piece of it.
  std::string where(std::string_view value) const {
    return fmt::format("in '{}'",
                       shorten(redact(is_url_key(key_) ? std::string_view(raw_) : value)));
  }

  // Counts `bytes` more of option values read, the option's own not counted.
  Error read(size_t bytes) {
    read_ += bytes;
    if (read_ <= kMaxInterpolationRead + raw_.size()) return Error::success();
    return too_large(fmt::format("expanding the value reads more than {} of option values",
                                 mebibytes(kMaxInterpolationRead)));
  }
  // A value longer than the limit as written may stay as long.
  Error append(std::string_view text) {
    if (text.size() > std::max(kMaxInterpolatedSize, raw_.size()) - out_.size()) {
      return too_large(
          fmt::format("the value expands to more than {}", mebibytes(kMaxInterpolatedSize)));
    }
    out_ += text;
    return Error::success();
  }
  Error too_large(std::string why) const {
    return fail(std::move(why),
                "look for %(...)s references that repeat other options many times, or write the "
                "value out");
  }

  const std::string& raw_;
  const RawOptionLookup& lookup_;
  const std::string& key_;
  const std::string& section_;
  std::string out_;
  size_t read_ = 0;  // bytes of values expanded so far
};

Error Interpolator::expand(std::string_view value, int depth) {
  if (depth > kMaxInterpolationDepth) {
    return fail(fmt::format("recursion limit exceeded, the value cannot be substituted in {} steps",
                            kMaxInterpolationDepth),
                "look for options whose %(...)s references lead back to themselves");
  }
  if (auto err = read(value.size())) return err;
  std::string_view rest = value;
  while (!rest.empty()) {
    const auto percent = rest.find('%');
    if (auto err = append(rest.substr(0, percent))) return err;
    if (percent == std::string_view::npos) return Error::success();
    rest.remove_prefix(percent);

    if (rest.starts_with("%%")) {
      if (auto err = append("%")) return err;
      rest.remove_prefix(2);
      continue;
    }
    if (!rest.starts_with("%(")) {
      const std::string hint = "write a literal '%' as '%%'";
      if (auto found = quotable(rest, value)) {
        return fail(fmt::format("'%' must be followed by '%' or '(', found '{}'", *found), hint);
      }
      return fail(fmt::format("'%' must be followed by '%' or '(' {}", where(value)),
                  hint + "; in a url, double each '%' of a percent-encoded password too (%%40)");
    }
    // ConfigParser's pattern: %\(([^)]+)\)s
    const auto close = rest.find(')');
    if (close == std::string_view::npos || close == 2 || rest.substr(close + 1, 1) != "s") {
      const std::string hint = "write a reference as %(name)s, and a literal '%' as '%%'";
      if (auto found = quotable(rest, value)) {
        return fail(fmt::format("bad interpolation variable reference '{}'", *found), hint);
      }
      return fail(fmt::format("bad interpolation variable reference {}", where(value)), hint);
    }
    const std::string_view reference = rest.substr(0, close + 2);
    std::string name(rest.substr(2, close - 2));
    for (char& c : name) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    rest.remove_prefix(reference.size());

    const auto referenced = lookup_(name);
    if (!referenced) {
      if (auto found = quotable(reference, value)) {
        return fail(fmt::format("no option '{}' for '{}'", shorten(name), *found),
                    fmt::format("define '{}' in [{}] or [DEFAULT], or write a literal '%' as '%%'",
                                shorten(name), section_));
      }
      return fail(fmt::format("a %(...)s reference names no option {}", where(value)),
                  fmt::format("define the option in [{}] or [DEFAULT], or write a literal '%' "
                              "as '%%'",
                              section_));
    }
    if (referenced->find('%') == std::string::npos) {
      if (auto err = read(referenced->size())) return err;
      if (auto err = append(*referenced)) return err;
      continue;
    }
    if (auto err = expand(*referenced, depth + 1)) return err;
  }
  return Error::success();
}

}  // namespace

Expected<std::string> interpolate(const std::string& raw, const RawOptionLookup& lookup,
                                  const std::string& key, const std::string& section) {
  Interpolator interpolator(raw, lookup, key, section);
  if (auto err = interpolator.expand(raw, 1)) return err;
  return interpolator.take_output();
}

std::string escape_percent(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '%') out += '%';
    out += c;
  }
  return out;
}

}  // namespace retort
