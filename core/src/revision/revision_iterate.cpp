// Alembic's iterate_revisions: which revisions lie between two identifiers
// (_collect_upgrade_revisions and _collect_downgrade_revisions) and in which
// order (_topological_sort, in revision_order.cpp); history ranges on it.
#include "revision/revision_error.hpp"
#include "revision/revision_map.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace retort {
namespace {

// An identifier as Alembic prints it in "Revision %s is not an ancestor".
std::string shown(const std::vector<std::string>& ident) {
  if (ident.empty()) return "base";
  if (ident.size() == 1) return ident.front();
  return fmt::format("('{}')", fmt::join(ident, "', '"));
}

}  // namespace

// Identifiers separated by white space: Alembic's tuple. Empty is None.
RevisionMap::Ident RevisionMap::split(std::string_view text) {
  Ident out;
  size_t at = 0;
  while (at < text.size()) {
    const size_t begin = text.find_first_not_of(" \t\n", at);
    if (begin == std::string_view::npos) break;
    const size_t end = std::min(text.find_first_of(" \t\n", begin), text.size());
    out.emplace_back(text.substr(begin, end - begin));
    at = end;
  }
  return out;
}

// Alembic's RangeNotAncestorError, in the words of the one who asked.
Error RevisionMap::not_an_ancestor(const Ident& lower, const Ident& upper,
                                   const Wording& wording) const {
  switch (wording.context) {
    case Context::kGraph:
      return revision_error(
          fmt::format("Revision {} is not an ancestor of revision {}", shown(lower), shown(upper)));
    case Context::kUpgrade:
      return revision_error(fmt::format(
          "Destination {} is not a valid upgrade target from current head(s)", wording.end));
    case Context::kDowngrade:
      return revision_error(
          fmt::format("Destination {} is not a valid downgrade target from current head(s)",
                      wording.end),
          fmt::format("the database is at {}; a downgrade target must be below it",
                      upper.empty() ? "base" : fmt::format("'{}'", fmt::join(upper, "', '"))));
    default:
      return revision_error(
          fmt::format("Requested range {}:{} does not refer to ancestor/descendant revisions "
                      "along the same branch",
                      wording.start, wording.end),
          fmt::format("'{}' must be below '{}' on one line of descent", wording.start,
                      wording.end));
  }
}

// Alembic's _get_ancestor_nodes / _get_descendant_nodes with check=True:
// the targets and everything below (or above) them, refusing a target that
// lies below (or above) another, named as Alembic's walk meets them.
Expected<RevisionSet> RevisionMap::related_checked(const std::vector<size_t>& targets, Edges edges,
                                                   bool down) const {
  const size_t n = revisions_.size();
  RevisionSet seen(n, 0);
  RevisionSet is_target(n, 0);
  for (size_t t : targets) is_target[t] = 1;
  std::vector<size_t> stack;
  std::vector<size_t> met(n, static_cast<size_t>(-1));
  for (size_t k = 0; k < targets.size(); ++k) {
    const size_t target = targets[k];
    std::vector<size_t> overlaps;
    stack.assign(1, target);
    while (!stack.empty()) {
      const size_t i = stack.back();
      stack.pop_back();
      if (is_target[i] && i != target && met[i] != k) {
        met[i] = k;
        overlaps.push_back(i);
      }
      if (seen[i]) continue;
      seen[i] = 1;
      const auto& next = down ? graph_.parents(i, edges) : graph_.children(i, edges);
      stack.insert(stack.end(), next.begin(), next.end());
    }
    if (overlaps.empty()) continue;
    std::sort(overlaps.begin(), overlaps.end());
    std::vector<std::string> ids;
    for (size_t o : overlaps) ids.push_back(revisions_[o].id);
    return revision_error(
        fmt::format("Requested revision {} overlaps with other requested revisions {}",
                    revisions_[target].id, fmt::join(ids, ", ")),
        fmt::format("'{}' lies {} {}; name only one revision per line of descent",
                    revisions_[target].id, down ? "above" : "below", describe_rows(overlaps)));
  }
  return seen;
}

Expected<RevisionMap::Collected> RevisionMap::collect_upgrade(const Ident& upper,
                                                              const Ident& lower,
                                                              const IterateOptions& options,
                                                              const Wording& wording) const {
  auto found = upgrade_targets(lower, upper, options.assert_relative_length, wording);
  if (!found) return found.take_error();
  std::vector<size_t> targets;
  for (size_t t : *found) {
    // "rev-N" reaching base: Alembic fails an assertion; nothing to do.
    if (t == kBase) continue;
    if (t == kNowhere) return revision_error("Walked too far", "a relative step goes past base");
    targets.push_back(t);
  }

  // A named lower bound ("ebranch@d") keeps the targets on that branch;
  // a revision id there stands for its one label.
  if (lower.size() == 1 && lower.front().find('@') != std::string::npos) {
    const std::string branch = lower.front().substr(0, lower.front().find('@'));
    std::string label = branch;
    auto named = get_revision(branch, wording);
    if (!named) return named.take_error();
    if (*named != kBase && revisions_[*named].id == branch) {
      const auto& labels = branch_labels_[*named];
      // Alembic asserts the revision has exactly one label.
      if (labels.size() != 1) {
        return revision_error(
            fmt::format("revision {} names a branch in '{}' but carries {} branch labels", branch,
                        lower.front(), labels.empty() ? "no" : "several"),
            labels.empty()
                ? "name a branch label before '@'"
                : fmt::format("name one of them before '@': '{}'", fmt::join(labels, "', '")));
      }
      label = labels.front();
    }
    std::vector<size_t> kept;
    for (size_t t : targets) {
      if (has_label(t, label) && std::find(kept.begin(), kept.end(), t) == kept.end()) {
        kept.push_back(t);
      }
    }
    targets = std::move(kept);
  }

  auto required = related_checked(targets, Edges::kNormalized, true);
  if (!required) return required.take_error();

  auto resolved = get_revisions(lower, wording);
  if (!resolved) return resolved.take_error();
  std::vector<size_t> current;
  bool overwalked = false;
  for (size_t c : *resolved) {
    if (c == kNowhere) {
      overwalked = true;
    } else if (c != kBase) {  // "-N" reaching base: Alembic fails an assertion
      current.push_back(c);
    }
  }
  if (!options.implicit_base) {
    for (size_t c : current) {
      if (!(*required)[c]) return not_an_ancestor(lower, upper, wording);
    }
  }
  // A relative lower bound that walked past base ("-5:c" in history):
  // Alembic walks down from the upper bound instead.
  if (overwalked) {
    if (lower.size() != 1)
      return revision_error("Walked too far", "a relative step goes past base");
    auto target = downgrade_target(upper, lower.front(), options.assert_relative_length, wording);
    if (!target) return target.take_error();
    current.clear();
    if (target->second != kBase) current.push_back(target->second);
  }

  auto below = related_checked(current, Edges::kNormalized, true);
  if (!below) return below.take_error();
  RevisionSet needs = std::move(*required);
  for (size_t i = 0; i < needs.size(); ++i) needs[i] = needs[i] && !(*below)[i];
  if (options.inclusive) {
    for (size_t c : current) needs[c] = 1;
  }
  if (!current.empty() && !options.implicit_base) {
    auto above = related_checked(current, Edges::kVersioned, false);
    if (!above) return above.take_error();
    for (size_t i = 0; i < needs.size(); ++i) needs[i] = needs[i] && (*above)[i];
  }
  return Collected{std::move(needs), std::move(targets)};
}

Expected<RevisionMap::Collected> RevisionMap::collect_downgrade(const Ident& upper,
                                                                const Ident& lower,
                                                                const IterateOptions& options,
                                                                const Wording& wording) const {
  std::string label;
  size_t target = kBase;
  if (lower.size() > 1) {
    return revision_error(
        fmt::format("a downgrade target is one revision, not '{}'", fmt::join(lower, " ")));
  }
  if (!lower.empty()) {
    auto parsed = downgrade_target(upper, lower.front(), options.assert_relative_length, wording);
    if (!parsed) return parsed.take_error();
    label = std::move(parsed->first);
    target = parsed->second;
  }

  std::vector<size_t> roots;
  if (target == kBase) {
    roots = graph_.bases();
  } else if (options.inclusive) {
    roots = {target};
  } else {
    const Indices children = graph_.children(target);
    roots.assign(children.begin(), children.end());
  }
  if (!label.empty() && roots.size() > 1) {
    auto branch = resolve_branch(label);
    if (!branch) return branch.take_error();
    const RevisionSet below = graph_.ancestors({branch->revision}, Edges::kVersioned);
    std::erase_if(roots, [&](size_t r) { return !below[r]; });
    if (roots.empty()) {
      return revision_error(
          "Not a valid downgrade target from current heads",
          fmt::format("'{}' is not on the line of descent of '{}'", lower.front(), label));
    }
  }

  auto found = get_revisions(upper, wording);
  if (!found) return found.take_error();
  std::vector<size_t> heads;
  for (size_t h : *found) {
    if (h != kBase && h != kNowhere) heads.push_back(h);
  }
  RevisionSet drop = graph_.descendants(roots, Edges::kAll);
  const RevisionSet active = graph_.ancestors(heads, Edges::kNormalized);
  for (size_t i = 0; i < drop.size(); ++i) drop[i] = drop[i] && active[i];
  if (options.implicit_base) {
    const RevisionSet kept = graph_.ancestors(roots, Edges::kNormalized);
    for (size_t i = 0; i < drop.size(); ++i) drop[i] = drop[i] || (active[i] && !kept[i]);
  }
  if (target != kBase && std::none_of(drop.begin(), drop.end(), [](char c) { return c; }) &&
      std::find(heads.begin(), heads.end(), target) == heads.end()) {
    // Alembic: RangeNotAncestorError("Nothing to drop", upper), which only
    // its downgrade command words clearly; we use those words throughout.
    Wording downgrade = wording;
    if (wording.context != Context::kDowngrade) {
      downgrade = Wording{Context::kDowngrade, wording.start, lower.front()};
    }
    return not_an_ancestor(lower, upper, downgrade);
  }
  return Collected{std::move(drop), std::move(heads)};
}

Expected<std::vector<size_t>> RevisionMap::iterate(const Ident& upper, const Ident& lower,
                                                   const IterateOptions& options,
                                                   const Wording& wording) const {
  auto collected = options.select_for_downgrade ? collect_downgrade(upper, lower, options, wording)
                                                : collect_upgrade(upper, lower, options, wording);
  if (!collected) return collected.take_error();
  return graph_.topological_order(collected->revisions, collected->heads);
}

Expected<std::vector<const Revision*>> RevisionMap::iterate_revisions(
    std::string_view upper, std::string_view lower, const IterateOptions& options) const {
  auto order = iterate(split(upper), split(lower), options, Wording{Context::kGraph});
  if (!order) return order.take_error();
  return at(*order);
}

Expected<std::vector<const Revision*>> RevisionMap::history_range(std::string_view start,
                                                                  std::string_view end) const {
  const std::string_view lower = split(start).empty() ? "base" : start;
  const std::string_view upper = split(end).empty() ? "heads" : end;
  IterateOptions options;
  options.inclusive = true;
  options.assert_relative_length = false;
  auto order =
      iterate(split(upper), split(lower), options, Wording{Context::kHistory, lower, upper});
  if (!order) return order.take_error();
  return at(*order);
}

}  // namespace retort
