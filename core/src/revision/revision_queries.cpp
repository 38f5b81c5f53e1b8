// What the commands ask beyond plans: stamp steps (Alembic's _stamp_revs and
// StampStep under HeadMaintainer), what `current` shows, every revision an
// identifier names, and the parents and dependencies of a new revision.
#include "revision/revision_error.hpp"
#include "revision/revision_map.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace retort {
namespace {

Error walked_past(std::string_view ident) {
  return revision_error(fmt::format("'{}' walks past base", ident),
                        "use fewer steps, or name the revision by its id");
}

bool contains(const std::vector<size_t>& list, size_t i) {
  return std::find(list.begin(), list.end(), i) != list.end();
}

}  // namespace

Expected<std::vector<const Revision*>> RevisionMap::resolve_all(std::string_view ident) const {
  auto found = get_revisions(split(ident), Wording{Context::kCommand});
  if (!found) return found.take_error();
  std::vector<const Revision*> out;
  for (size_t i : *found) {
    if (i == kNowhere) return walked_past(ident);
    if (i != kBase) out.push_back(&revisions_[i]);
  }
  return out;
}

Expected<std::vector<std::string>> RevisionMap::current_display(
    const std::vector<std::string>& rows) const {
  auto known = version_rows(rows);
  if (!known) return known.take_error();
  std::vector<std::string> ids;
  for (size_t i : all_current(*known)) ids.push_back(revisions_[i].id);
  return ids;
}

// Alembic's _stamp_revs computes one StampStep per destination against the
// rows on the destinations' lineage ("filtered"): delete each of them for
// base, nothing for a destination already a row, one step from all of them
// to a destination above or below one, an insert otherwise. HeadMaintainer
// then applies each step to the rows as they stand. Where Alembic would fail
// (a row an earlier step already removed), the step keeps to the rows still
// there; a repeated destination is taken once.
Expected<std::vector<MigrationStep>> RevisionMap::stamp_plan(
    const std::vector<std::string>& rows, const std::vector<std::string>& targets) const {
  const Wording wording{Context::kStamp};
  auto known = version_rows(rows);
  if (!known) return known.take_error();
  std::sort(known->begin(), known->end());
  Ident destinations;
  for (const std::string& target : targets) {
    for (std::string& ident : split(target)) destinations.push_back(std::move(ident));
  }
  if (destinations.empty()) destinations.push_back("base");

  std::vector<size_t> filtered;
  for (const std::string& ident : destinations) {
    auto on_lineage = filter_for_lineage(*known, ident, true, wording);
    if (!on_lineage) return on_lineage.take_error();
    for (size_t r : *on_lineage) {
      if (!contains(filtered, r)) filtered.push_back(r);
    }
  }
  auto found = get_revisions(destinations, wording);
  if (!found) return found.take_error();
  std::vector<size_t> dests;
  for (size_t d : *found) {
    if (d == kNowhere) return walked_past(fmt::format("{}", fmt::join(destinations, " ")));
    if (!contains(dests, d)) dests.push_back(d);
  }
  if (dests.empty()) dests.push_back(kBase);

  std::vector<size_t> heads = *known;
  std::vector<MigrationStep> steps;
  auto id_of = [this](size_t i) { return revisions_[i].id; };
  for (size_t dest : dests) {
    if (dest == kBase) {
      for (size_t row : filtered) {
        if (!contains(heads, row)) continue;
        std::erase(heads, row);
        steps.push_back(MigrationStep{nullptr, false, {id_of(row)}, {}, true});
      }
      continue;
    }
    if (contains(filtered, dest)) continue;

    const RevisionSet above = graph_.descendants({dest}, Edges::kAll);
    const RevisionSet below = graph_.ancestors({dest}, Edges::kNormalized);
    const bool rows_above =
        std::any_of(filtered.begin(), filtered.end(), [&](size_t r) { return above[r]; });
    const bool rows_below =
        std::any_of(filtered.begin(), filtered.end(), [&](size_t r) { return below[r]; });
    MigrationStep step{&revisions_[dest], !rows_above, {}, {}, true};
    const bool branch_move = !rows_above && !rows_below;
    std::vector<size_t> from;
    if (!branch_move) {
      for (size_t r : filtered) {
        if (contains(heads, r) && r != dest) from.push_back(r);
      }
    }
    // HeadMaintainer: a new branch inserts; otherwise the rows it leaves
    // are deleted but the last, which is updated (a plain update for one).
    const bool dest_is_row = contains(heads, dest);
    if (from.empty() && dest_is_row) continue;
    for (size_t r : from) {
      step.from_heads.push_back(id_of(r));
      std::erase(heads, r);
    }
    if (!dest_is_row) {
      step.to_heads.push_back(id_of(dest));
      heads.push_back(dest);
    }
    steps.push_back(std::move(step));
  }
  return steps;
}

Expected<std::vector<const Revision*>> RevisionMap::new_revision_parents(std::string_view heads,
                                                                         bool splice) const {
  Ident idents = split(heads);
  if (idents.empty()) idents.push_back("head");
  auto found = get_revisions(idents, Wording{Context::kRevision});
  if (!found) return found.take_error();
  std::vector<size_t> parents;
  for (size_t p : *found) {
    if (p == kNowhere) return walked_past(heads);
    if (p == kBase) continue;  // Alembic asserts; base has no parent to add
    if (contains(parents, p)) {
      return revision_error("Duplicate head revisions specified",
                            fmt::format("'{}' names '{}' more than once", heads, revisions_[p].id));
    }
    parents.push_back(p);
  }
  std::vector<const Revision*> out;
  for (size_t p : parents) {
    if (!splice && !graph_.children(p).empty()) {
      return revision_error(
          fmt::format("Revision {} is not a head revision; please specify --splice to create a "
                      "new branch from this revision",
                      revisions_[p].id),
          fmt::format("'retort heads' lists the heads; '{}' is revised by {}", revisions_[p].id,
                      describe_rows(graph_.children(p))));
    }
    out.push_back(&revisions_[p]);
  }
  return out;
}

Expected<const Revision*> RevisionMap::new_revision_parent(std::string_view head,
                                                           bool splice) const {
  auto parents = new_revision_parents(head, splice);
  if (!parents) return parents.take_error();
  if (parents->size() > 1) {
    std::vector<std::string> ids;
    for (const Revision* rev : *parents) ids.push_back(rev->id);
    return multiple_heads(ids, head, Wording{Context::kRevision});
  }
  return parents->empty() ? nullptr : parents->front();
}

// Alembic's generate_revision keeps a branch label of the revision a
// dependency names as written, and replaces anything else (a prefix,
// "label@head") by the full id.
Expected<std::vector<std::string>> RevisionMap::new_revision_dependencies(
    const std::vector<std::string>& depends_on) const {
  std::vector<std::string> out;
  for (const std::string& dep : depends_on) {
    auto revision = get_revision(dep, Wording{Context::kCommand});
    if (!revision) return revision.take_error();
    if (*revision == kBase) {
      return revision_error(fmt::format("depends_on '{}' names no revision", dep),
                            "name a revision id, a branch label or a unique prefix");
    }
    out.push_back(has_label(*revision, dep) ? dep : revisions_[*revision].id);
  }
  return out;
}

}  // namespace retort
