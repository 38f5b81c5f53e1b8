// Plan targets: Alembic's _walk, _parse_upgrade_target and
// _parse_downgrade_target, with the relative forms +N, -N, rev+N, rev-N,
// label@+N, label@-N and label@rev±N. Where Alembic fails an assertion
// (a rev±N walk past the end, "label@-N" matching no or several current
// revisions) we report an error instead.
#include "revision/revision_error.hpp"
#include "revision/revision_map.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <utility>

namespace retort {
namespace {

std::string plural(size_t n, std::string_view noun) {
  return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s");
}

bool word_character(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         u >= 0x80;
}

// Alembic's pattern (?:(.+?)@)?(\w+)?((?:\+|-)\d+), matched at the start;
// we also require the digits to end the identifier, so "ae10+2xyz" is not
// silently read as "ae10+2". The label, when there is one, is everything
// before the last "@" (the symbol cannot hold one).
struct Relative {
  std::string label;
  std::string symbol;   // empty: relative to the current revisions
  bool up;              // the sign; "+0" and "-0" count as zero steps
  long long steps;      // signed
  std::string written;  // "+2", as given
  std::string count;    // "2"

  // Alembic prints the count as an int in some messages: "-2", "0".
  std::string as_int() const { return steps == 0 ? "0" : (up ? "" : "-") + count; }
};

std::optional<Relative> parse_relative(std::string_view target) {
  Relative relative;
  std::string_view rest = target;
  if (const size_t at = target.rfind('@'); at != std::string_view::npos) {
    if (at == 0) return std::nullopt;
    relative.label = std::string(target.substr(0, at));
    rest = target.substr(at + 1);
  }
  const size_t sign = rest.find_first_of("+-");
  if (sign == std::string_view::npos) return std::nullopt;
  for (char c : rest.substr(0, sign)) {
    if (!word_character(c)) return std::nullopt;
  }
  const std::string_view digits = rest.substr(sign + 1);
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  unsigned long long n = 0;
  if (std::from_chars(digits.data(), digits.data() + digits.size(), n).ec != std::errc() ||
      n > static_cast<unsigned long long>(INT64_MAX)) {
    n = INT64_MAX;  // more than any history holds
  }
  relative.symbol = std::string(rest.substr(0, sign));
  relative.up = rest[sign] == '+';
  relative.steps = relative.up ? static_cast<long long>(n) : -static_cast<long long>(n);
  relative.written = std::string(rest.substr(sign));
  relative.count = fmt::format("{}", n);
  return relative;
}

Error did_not_produce(std::string_view shown, const Relative& relative, std::string hint) {
  return revision_error(
      fmt::format("Relative revision {} didn't produce {} migrations", shown, relative.count),
      std::move(hint));
}

Error walked_too_far(std::string_view target, bool up) {
  return revision_error("Walked too far",
                        fmt::format("'{}' goes past {}", target, up ? "the head" : "base"));
}

std::string joined(const std::vector<std::string>& idents) {
  return fmt::format("{}", fmt::join(idents, " "));
}

}  // namespace

// Alembic's _walk: N steps up (through children, on the branch's lineage
// when given) or down (through down_revisions; from a base to base). Up
// from base are the bases. Down from base is past the end, where Alembic
// walks down from the heads ("base-1" is the head).
Expected<RevisionMap::Walk> RevisionMap::walk(size_t start, long long steps,
                                              const RevisionSet* branch, bool no_overwalk) const {
  const bool up = steps > 0;
  const unsigned long long count = up ? steps : -static_cast<unsigned long long>(steps);
  size_t at = start;
  for (unsigned long long taken = 0; taken < count; ++taken) {
    size_t next = kNowhere;
    size_t found = 0;
    if (up) {
      for (size_t c : at == kBase ? Indices(graph_.bases()) : graph_.children(at)) {
        if (branch && !(*branch)[c]) continue;
        next = c;
        ++found;
      }
    } else if (at != kBase) {
      found = std::max<size_t>(graph_.parents(at).size(), 1);
      next = graph_.parents(at).empty() ? kBase : graph_.parents(at).front();
    }
    if (found == 0) return Walk{no_overwalk ? kNowhere : at, static_cast<size_t>(taken)};
    if (found > 1) {
      return revision_error("Ambiguous walk",
                            "the walk meets a branch point, a merge point or several bases; name "
                            "the target revision by its id or narrow it with a branch label");
    }
    at = next;
  }
  return Walk{at, static_cast<size_t>(count)};
}

// Alembic's _parse_upgrade_target: the revisions an upgrade aims at.
// `current` is the lower bound as given (the version table's rows for an
// upgrade). May hold kBase (for "rev-N" reaching base).
Expected<std::vector<size_t>> RevisionMap::upgrade_targets(const Ident& current,
                                                           const Ident& target,
                                                           bool assert_relative_length,
                                                           const Wording& wording) const {
  std::optional<Relative> relative;
  if (target.size() == 1) relative = parse_relative(target.front());
  if (!relative) return get_revisions(target, wording);

  if (relative->steps <= 0) {
    if (relative->symbol.empty()) {
      return did_not_produce(
          relative->as_int(), *relative,
          fmt::format("an upgrade cannot move down; use 'retort downgrade {}'", relative->written));
    }
    auto start = get_revision(relative->label.empty()
                                  ? relative->symbol
                                  : fmt::format("{}@{}", relative->label, relative->symbol),
                              wording);
    if (!start) return start.take_error();
    auto walked = walk(*start, relative->steps, nullptr, assert_relative_length);
    if (!walked) return walked.take_error();
    // Alembic fails an assertion here.
    if (walked->position == kNowhere) return walked_too_far(target.front(), false);
    return std::vector<size_t>{walked->position};
  }

  std::optional<RevisionSet> branch;
  if (!relative->label.empty()) {
    auto lineage = lineage_of(relative->label, false, wording);
    if (!lineage) return lineage.take_error();
    branch = std::move(*lineage);
  }
  const RevisionSet* on_branch = branch ? &*branch : nullptr;

  if (!relative->symbol.empty()) {
    auto start = get_revision(relative->symbol, wording);
    if (!start) return start.take_error();
    auto walked = walk(*start, relative->steps, on_branch, assert_relative_length);
    if (!walked) return walked.take_error();
    if (walked->position == kNowhere) return walked_too_far(target.front(), true);  // an assertion
    return std::vector<size_t>{walked->position};
  }

  size_t start = kBase;
  if (!relative->label.empty()) {
    // The current revisions on the branch; if none, the tips of their
    // ancestors on it; if none, base.
    auto revisions = get_revisions(current, wording);
    if (!revisions) return revisions.take_error();
    std::vector<size_t> known;
    for (size_t r : *revisions) {
      if (r != kBase && r != kNowhere) known.push_back(r);
    }
    auto starts = filter_for_lineage(known, relative->label, false, wording);
    if (!starts) return starts.take_error();
    if (starts->empty()) {
      const RevisionSet below = graph_.ancestors(known, Edges::kNormalized);
      RevisionSet active(below.size(), 0);
      for (size_t i = 0; i < below.size(); ++i) active[i] = below[i] && (*branch)[i];
      RevisionSet revised(below.size(), 0);
      for (size_t i = 0; i < active.size(); ++i) {
        if (!active[i]) continue;
        for (size_t p : graph_.parents(i, Edges::kNormalized)) revised[p] = 1;
      }
      for (size_t i = 0; i < active.size(); ++i) {
        if (active[i] && !revised[i]) starts->push_back(i);
      }
    }
    if (starts->size() > 1) {
      return revision_error("Ambiguous upgrade from multiple current revisions",
                            fmt::format("the database is at {} on branch '{}'; name the target "
                                        "revision",
                                        describe_rows(*starts), relative->label));
    }
    if (!starts->empty()) start = starts->front();
  } else if (!current.empty()) {
    if (current.size() > 1) {
      return revision_error("Ambiguous upgrade from multiple current revisions",
                            fmt::format("the database is at {}; name the target revision, or "
                                        "narrow it with a branch label: 'label@{}'",
                                        joined(current), relative->written));
    }
    auto position = get_revision(current.front(), wording);
    if (!position) return position.take_error();
    start = *position;
  }
  auto walked = walk(start, relative->steps, on_branch, assert_relative_length);
  if (!walked) return walked.take_error();
  if (walked->position == kNowhere) {
    return did_not_produce(
        relative->written, *relative,
        fmt::format("the head is {} above {}", plural(walked->taken, "step"),
                    start == kBase ? "base" : fmt::format("'{}'", revisions_[start].id)));
  }
  return std::vector<size_t>{walked->position};
}

// Alembic's _get_all_current: the revisions, everything they need, reduced
// to the tips through down_revision; in map order.
std::vector<size_t> RevisionMap::all_current(const std::vector<size_t>& revisions) const {
  const RevisionSet applied = graph_.ancestors(revisions, Edges::kNormalized);
  std::vector<size_t> tips;
  for (size_t i = 0; i < applied.size(); ++i) {
    if (!applied[i]) continue;
    bool covered = false;
    for (size_t c : graph_.children(i)) covered = covered || applied[c];
    if (!covered) tips.push_back(i);
  }
  return tips;
}

// Alembic's _parse_downgrade_target: the branch label the target names (or
// implies) and the revision to downgrade to (kBase for base). `current` is
// the upper bound as given (the version table's rows for a downgrade).
Expected<std::pair<std::string, size_t>> RevisionMap::downgrade_target(
    const Ident& current, std::string_view target, bool assert_relative_length,
    const Wording& wording) const {
  std::optional<Relative> relative = parse_relative(target);
  if (!relative) {
    const size_t at = target.rfind('@');
    auto position =
        get_revision(at == std::string_view::npos ? target : target.substr(at + 1), wording);
    if (!position) return position.take_error();
    std::string label = at == std::string_view::npos ? "" : std::string(target.substr(0, at));
    return std::pair{std::move(label), *position};
  }

  if (relative->steps >= 0) {
    if (relative->symbol.empty()) {
      return did_not_produce(
          relative->written, *relative,
          fmt::format("a downgrade cannot move up; use 'retort upgrade {}'", relative->written));
    }
    std::optional<RevisionSet> branch;
    if (!relative->label.empty()) {
      auto lineage = lineage_of(relative->label, false, wording);
      if (!lineage) return lineage.take_error();
      branch = std::move(*lineage);
    }
    auto start = get_revision(relative->symbol, wording);
    if (!start) return start.take_error();
    auto walked =
        walk(*start, relative->steps, branch ? &*branch : nullptr, assert_relative_length);
    if (!walked) return walked.take_error();
    if (walked->position == kNowhere) return walked_too_far(target, true);
    return std::pair{relative->label, walked->position};
  }

  const bool from_current = relative->symbol.empty();
  std::string label = relative->label;
  std::string symbol = relative->symbol;
  if (from_current && !label.empty()) {
    // The one current revision on the branch, else the one tip of what the
    // current revisions need on it. Alembic asserts there is exactly one.
    std::vector<size_t> known;
    for (const std::string& row : current) {
      auto revision = resolve_key(row);
      if (!revision) return revision.take_error();
      known.push_back(*revision);
    }
    auto on_branch = filter_for_lineage(known, label, false, wording);
    if (!on_branch) return on_branch.take_error();
    if (on_branch->empty()) {
      on_branch = filter_for_lineage(all_current(known), label, false, wording);
      if (!on_branch) return on_branch.take_error();
    }
    if (on_branch->empty()) {
      return did_not_produce(relative->written, *relative,
                             fmt::format("the database has no revision on branch '{}'", label));
    }
    if (on_branch->size() > 1) {
      return revision_error(
          fmt::format("downgrade {} from multiple heads is ambiguous", target),
          fmt::format("the database is at {} on branch '{}'; name the head to start from, "
                      "e.g. '{}{}'",
                      describe_rows(*on_branch), label, revisions_[on_branch->front()].id,
                      relative->written));
    }
    symbol = revisions_[on_branch->front()].id;
  } else if (from_current) {
    if (current.empty()) {
      return did_not_produce(relative->written, *relative, "the database has no revision applied");
    }
    // Alembic warns that this "will be disallowed in a future release" and
    // steps down from the first row the database returned; we refuse now.
    for (const std::string& row : current) {
      if (row == current.front()) continue;
      return revision_error(
          fmt::format("downgrade {} from multiple heads is ambiguous", target),
          fmt::format("the database is at {}; name the head to start from, e.g. '{}{}'",
                      fmt::format("'{}'", fmt::join(current, "', '")), current.front(),
                      relative->written));
    }
    symbol = current.front();
    label = symbol;  // keep the downgrade to that head's branch
  }
  auto start = get_revision(label.empty() ? symbol : fmt::format("{}@{}", label, symbol), wording);
  if (!start) return start.take_error();
  auto walked = walk(*start, relative->steps, nullptr, assert_relative_length);
  if (!walked) return walked.take_error();
  if (walked->position == kNowhere) {
    if (!from_current) return walked_too_far(target, false);
    return did_not_produce(
        relative->written, *relative,
        fmt::format("base is {} below '{}'", plural(walked->taken, "step"), symbol));
  }
  return std::pair{std::move(label), walked->position};
}

}  // namespace retort
