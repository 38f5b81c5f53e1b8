#include "config/interpolation.hpp"

#include <fmt/format.h>

#include <string_view>

namespace retort {
namespace {

class Interpolator {
 public:
  Interpolator(const RawOptionLookup& lookup, const std::string& key, const std::string& section)
      : lookup_(lookup), key_(key), section_(section) {}

  // Appends the expansion of `rest` to out_; `depth` counts the values
  // being expanded, starting at 1 for the option's own value.
  Error expand(std::string_view rest, int depth);
  std::string take_output() { return std::move(out_); }

 private:
  Error fail(const std::string& why, std::string hint) const {
    return Error(
        ErrorCategory::kConfig,
        fmt::format("bad interpolation in key '{}' of section [{}]: {}", key_, section_, why),
        std::move(hint));
  }

  const RawOptionLookup& lookup_;
  const std::string& key_;
  const std::string& section_;
  std::string out_;
};

Error Interpolator::expand(std::string_view rest, int depth) {
  if (depth > kMaxInterpolationDepth) {
    return fail(fmt::format("recursion limit exceeded, the value cannot be substituted in {} steps",
                            kMaxInterpolationDepth),
                "look for options whose %(...)s references lead back to themselves");
  }
  while (!rest.empty()) {
    const auto percent = rest.find('%');
    out_ += rest.substr(0, percent);
    if (percent == std::string_view::npos) return Error::success();
    rest.remove_prefix(percent);

    if (rest.starts_with("%%")) {
      out_ += '%';
      rest.remove_prefix(2);
      continue;
    }
    if (!rest.starts_with("%(")) {
      return fail(fmt::format("'%' must be followed by '%' or '(', found '{}'", rest),
                  "write a literal '%' as '%%'");
    }
    // ConfigParser's pattern: %\(([^)]+)\)s
    const auto close = rest.find(')');
    if (close == std::string_view::npos || close == 2 || rest.substr(close + 1, 1) != "s") {
      return fail(fmt::format("bad interpolation variable reference '{}'", rest),
                  "write a reference as %(name)s, and a literal '%' as '%%'");
    }
    const std::string_view reference = rest.substr(0, close + 2);
    std::string name(rest.substr(2, close - 2));
    for (char& c : name) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    rest.remove_prefix(reference.size());

    const auto value = lookup_(name);
    if (!value) {
      return fail(fmt::format("no option '{}' for '{}'", name, reference),
                  fmt::format("define '{}' in [{}] or [DEFAULT], or write a literal '%' as '%%'",
                              name, section_));
    }
    if (value->find('%') == std::string::npos) {
      out_ += *value;
      continue;
    }
    if (auto err = expand(*value, depth + 1)) return err;
  }
  return Error::success();
}

}  // namespace

Expected<std::string> interpolate(const std::string& raw, const RawOptionLookup& lookup,
                                  const std::string& key, const std::string& section) {
  Interpolator interpolator(lookup, key, section);
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
