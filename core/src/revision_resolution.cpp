// Identifiers: "head", "heads", "base", an exact id, a unique prefix, and
// the relative forms (+N, -N, rev+N, rev-N) that plans accept as targets.
// Messages are Alembic's where it has one (capitalised, as it writes them).
#include "revision_map.hpp"

#include <fmt/format.h>

#include <charconv>
#include <optional>
#include <utility>

namespace retort {
namespace {

Error revision_error(std::string message, std::string hint = {}) {
  return Error(ErrorCategory::kRevision, std::move(message), std::move(hint));
}

std::string plural(size_t n, std::string_view noun) {
  return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s");
}

// A target moved by a number of steps: "+2", "-1", "ae10+2", "head-1".
// Alembic's pattern is (?:(.+?)@)?(\w+)?((?:\+|-)\d+), matched at the start
// only; we require the digits to end the identifier.
struct Relative {
  std::string_view symbol;  // empty: relative to the current revision
  bool up;
  size_t steps;
  std::string count;  // the step count as written, without leading zeros
  std::string signed_count() const { return (up ? "+" : "-") + count; }
};

std::optional<Relative> parse_relative(std::string_view target) {
  const size_t sign = target.find_first_of("+-");
  if (sign == std::string_view::npos) return std::nullopt;
  std::string_view digits = target.substr(sign + 1);
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  Relative relative{target.substr(0, sign), target[sign] == '+', 0, {}};
  if (std::from_chars(digits.data(), digits.data() + digits.size(), relative.steps).ec !=
      std::errc()) {
    relative.steps = static_cast<size_t>(-1);  // more than any history holds
  }
  const size_t first = digits.find_first_not_of('0');
  relative.count = first == std::string_view::npos ? "0" : std::string(digits.substr(first));
  return relative;
}

Error labels_unsupported(std::string_view ident) {
  return revision_error(fmt::format("branch labels are not supported yet: '{}'", ident),
                        "name the revision by its id, or use 'head' or 'base'");
}

Error did_not_produce(const Relative& relative, std::string hint) {
  return revision_error(fmt::format("Relative revision {} didn't produce {} migrations",
                                    relative.signed_count(), relative.count),
                        std::move(hint));
}

Error walked_too_far(std::string_view target, bool up) {
  return revision_error("Walked too far",
                        fmt::format("'{}' goes past {}", target, up ? "the head" : "base"));
}

}  // namespace

std::string RevisionMap::describe_rows(const std::vector<size_t>& rows) const {
  if (rows.empty()) return "base";
  std::string out;
  for (size_t i : rows) {
    if (!out.empty()) out += ", ";
    out += fmt::format("'{}'", revisions_[i].id);
  }
  return out;
}

Expected<const Revision*> RevisionMap::resolve(std::string_view ident) const {
  auto position = resolve_position(ident);
  if (!position) return position.take_error();
  if (*position == kBase) return nullptr;
  return &revisions_[*position];
}

Expected<size_t> RevisionMap::resolve_position(std::string_view ident) const {
  if (ident.find('@') != std::string_view::npos) return labels_unsupported(ident);
  if (ident == "base") return kBase;
  if (ident == "head" || ident == "heads") {
    const std::vector<size_t>& heads = graph_.heads();
    if (heads.empty()) return kBase;  // an empty map: Alembic resolves to nothing too
    if (heads.size() > 1) {
      return revision_error(
          fmt::format("Multiple head revisions are present for given argument '{}'; please "
                      "specify a specific target revision, '<branchname>@head' to narrow to "
                      "a specific head, or 'heads' for all heads",
                      ident),
          fmt::format("the heads are {}", describe_rows(heads)));
    }
    return heads.front();
  }
  if (auto it = index_.find(ident); it != index_.end()) return it->second;
  return resolve_prefix(ident);
}

// As Alembic: only ids longer than 3 characters are candidates (shorter
// ones match exactly or not at all), but the prefix itself may be shorter.
Expected<size_t> RevisionMap::resolve_prefix(std::string_view ident) const {
  std::vector<size_t> candidates;
  if (!ident.empty()) {
    for (auto it = index_.lower_bound(ident); it != index_.end() && it->first.starts_with(ident);
         ++it) {
      if (it->first.size() > 3) candidates.push_back(it->second);
    }
  }
  if (candidates.size() == 1) return candidates.front();
  if (candidates.empty()) {
    return revision_error(
        fmt::format("No such revision or branch '{}'{}", ident,
                    ident.size() < 4 ? "; please ensure at least four characters are present "
                                       "for partial revision identifier matches"
                                     : ""),
        "'retort history' lists the revision ids");
  }
  // index_ is sorted, so the candidates are too. Alembic lists only the
  // first three and adds "..."; we list them all.
  return revision_error(
      fmt::format("Multiple revisions start with '{}': {}", ident, describe_rows(candidates)),
      "give more characters of the revision id");
}

Expected<RevisionMap::Walk> RevisionMap::walk(size_t start, bool up, size_t steps) const {
  size_t at = start;
  for (size_t taken = 0; taken < steps; ++taken) {
    if (!up && at == kBase) return Walk{at, true, taken};
    const std::vector<size_t>& next =
        up ? (at == kBase ? graph_.bases() : graph_.children(at)) : graph_.parents(at);
    if (up && next.empty()) return Walk{at, true, taken};
    if (next.size() > 1) {
      return revision_error("Ambiguous walk",
                            "the walk meets a branch point, a merge point or several bases; "
                            "name the target revision by its id");
    }
    at = next.empty() ? kBase : next.front();  // down from a base reaches base
  }
  return Walk{at, false, steps};
}

// Alembic's _parse_upgrade_target, without branch labels. An overwalking
// rev+N or rev-N is "Walked too far" here, where Alembic fails an assertion.
Expected<std::vector<size_t>> RevisionMap::upgrade_targets(const std::vector<size_t>& rows,
                                                           std::string_view target) const {
  if (target.find('@') != std::string_view::npos) return labels_unsupported(target);
  std::optional<Relative> relative = parse_relative(target);
  if (!relative) {
    if (target == "heads") return graph_.heads();
    auto position = resolve_position(target);
    if (!position) return position.take_error();
    if (*position == kBase) return std::vector<size_t>{};
    return std::vector<size_t>{*position};
  }

  size_t start = kBase;
  if (relative->symbol.empty()) {
    if (!relative->up) {
      return did_not_produce(*relative, fmt::format("an upgrade cannot move down; use "
                                                    "'retort downgrade -{}'",
                                                    relative->count));
    }
    if (rows.size() > 1) {
      return revision_error(
          "Ambiguous upgrade from multiple current revisions",
          fmt::format("the database is at {}; name the target revision", describe_rows(rows)));
    }
    if (!rows.empty()) start = rows.front();
  } else {
    auto position = resolve_position(relative->symbol);
    if (!position) return position.take_error();
    start = *position;
  }

  auto walked = walk(start, relative->up, relative->steps);
  if (!walked) return walked.take_error();
  if (walked->overwalked) {
    if (!relative->symbol.empty()) return walked_too_far(target, relative->up);
    return did_not_produce(
        *relative,
        fmt::format("the head is {} above {}", plural(walked->taken, "step"), describe_rows(rows)));
  }
  if (walked->position == kBase) return std::vector<size_t>{};
  return std::vector<size_t>{walked->position};
}

// Alembic's _parse_downgrade_target, without branch labels. "-N" from
// several current heads is refused, where Alembic warns and picks the first.
Expected<size_t> RevisionMap::downgrade_target(const std::vector<size_t>& rows,
                                               std::string_view target) const {
  if (target.find('@') != std::string_view::npos) return labels_unsupported(target);
  std::optional<Relative> relative = parse_relative(target);
  if (!relative) return resolve_position(target);

  size_t start = kBase;
  if (relative->symbol.empty()) {
    if (relative->up) {
      return did_not_produce(*relative, fmt::format("a downgrade cannot move up; use "
                                                    "'retort upgrade +{}'",
                                                    relative->count));
    }
    if (rows.empty()) {
      return did_not_produce(*relative, "the database has no revision applied");
    }
    if (rows.size() > 1) {
      return revision_error(
          fmt::format("downgrade {} from multiple heads is ambiguous", target),
          fmt::format("the database is at {}; name the head to start from, e.g. '{}{}'",
                      describe_rows(rows), revisions_[rows.front()].id, target));
    }
    start = rows.front();
  } else {
    auto position = resolve_position(relative->symbol);
    if (!position) return position.take_error();
    start = *position;
  }

  auto walked = walk(start, relative->up, relative->steps);
  if (!walked) return walked.take_error();
  if (walked->overwalked) {
    if (!relative->symbol.empty()) return walked_too_far(target, relative->up);
    return did_not_produce(
        *relative,
        fmt::format("base is {} below {}", plural(walked->taken, "step"), describe_rows(rows)));
  }
  return walked->position;
}

}  // namespace retort
