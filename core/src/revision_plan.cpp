// Plans: which revisions an upgrade or a downgrade runs, in which order, and
// how each step changes the version table's rows. The sets are Alembic's
// (_collect_upgrade_revisions with implicit_base, and
// _collect_downgrade_revisions), the order its _topological_sort.
#include "revision_map.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <utility>

namespace retort {
namespace {

Error revision_error(std::string message, std::string hint = {}) {
  return Error(ErrorCategory::kRevision, std::move(message), std::move(hint));
}

// The version table while a plan runs. The applied revisions are closed
// under down_revision; the rows are the applied revisions that no applied
// revision revises (Alembic's heads: one row per branch tip). Counting the
// applied revisers of each revision keeps every step O(its down_revisions).
class VersionRows {
 public:
  VersionRows(const RevisionGraph& graph, RevisionSet applied)
      : graph_(graph), applied_(std::move(applied)), revisers_(graph.size(), 0) {
    for (size_t i = 0; i < graph_.size(); ++i) {
      if (!applied_[i]) continue;
      for (size_t p : graph_.parents(i)) ++revisers_[p];
    }
  }

  const RevisionSet& applied() const { return applied_; }
  bool is_row(size_t i) const { return applied_[i] && revisers_[i] == 0; }

  // Applies `rev`; returns the rows it replaces, in down_revision order.
  std::vector<size_t> upgrade(size_t rev) {
    assert(!applied_[rev]);
    std::vector<size_t> replaced;
    for (size_t p : graph_.parents(rev)) {
      assert(applied_[p]);
      if (is_row(p)) replaced.push_back(p);
      ++revisers_[p];
    }
    applied_[rev] = 1;
    return replaced;
  }

  // Unapplies `rev`, which must be a row; returns the rows that replace it,
  // in down_revision order.
  std::vector<size_t> downgrade(size_t rev) {
    assert(is_row(rev));
    applied_[rev] = 0;
    std::vector<size_t> exposed;
    for (size_t p : graph_.parents(rev)) {
      if (--revisers_[p] == 0) exposed.push_back(p);
    }
    return exposed;
  }

 private:
  const RevisionGraph& graph_;
  RevisionSet applied_;
  std::vector<size_t> revisers_;
};

}  // namespace

Error RevisionMap::check_plannable() const {
  for (const Revision& rev : revisions_) {
    if (rev.depends_on.empty()) continue;
    return revision_error(
        fmt::format("revision '{}' declares depends_on, which retort does not support yet", rev.id),
        "remove depends_on, or make the dependency an ancestor through down_revision");
  }
  return Error::success();
}

// The version table's rows as revision indices, without repeats. Each must
// be in the map, and none may be an ancestor of another.
Expected<std::vector<size_t>> RevisionMap::version_rows(
    const std::vector<std::string>& current) const {
  std::vector<size_t> rows;
  for (const std::string& id : current) {
    auto it = index_.find(id);
    if (it == index_.end()) {
      return revision_error(
          fmt::format("can't locate revision identified by '{}' in the version table", id),
          "the database was migrated by revisions this script directory does not have; "
          "restore the missing revision files, or reset the version table");
    }
    if (std::find(rows.begin(), rows.end(), it->second) == rows.end()) rows.push_back(it->second);
  }
  if (rows.size() < 2) return rows;

  std::vector<size_t> below;
  for (size_t r : rows) {
    below.insert(below.end(), graph_.parents(r).begin(), graph_.parents(r).end());
  }
  const RevisionSet strictly_below = graph_.ancestors(below);
  if (std::none_of(rows.begin(), rows.end(), [&](size_t r) { return strictly_below[r]; })) {
    return rows;
  }
  // Name it as Alembic does: the first row with another row below it.
  for (size_t r : rows) {
    const RevisionSet under = graph_.ancestors(graph_.parents(r));
    std::vector<size_t> overlaps;
    for (size_t other : rows) {
      if (under[other]) overlaps.push_back(other);
    }
    if (overlaps.empty()) continue;
    std::string ids;
    for (size_t o : overlaps) ids += (ids.empty() ? "" : ", ") + revisions_[o].id;
    return revision_error(
        fmt::format("Requested revision {} overlaps with other requested revisions {}",
                    revisions_[r].id, ids),
        fmt::format("the version table should hold only the newest applied revision of each "
                    "branch; {} below '{}'",
                    overlaps.size() == 1 ? "delete the row that is" : "delete the rows that are",
                    revisions_[r].id));
  }
  assert(false && "an overlap that no row explains");
  return rows;
}

Expected<std::vector<MigrationStep>> RevisionMap::upgrade_plan(
    const std::vector<std::string>& current, std::string_view target) const {
  if (auto err = check_plannable()) return err;
  auto rows = version_rows(current);
  if (!rows) return rows.take_error();
  auto targets = upgrade_targets(*rows, target);
  if (!targets) return targets.take_error();

  VersionRows table(graph_, graph_.ancestors(*rows));
  // What the targets need that is not applied. A target that is applied
  // already, or below what is, needs nothing: Alembic's implicit_base.
  const RevisionSet needed = graph_.ancestors(*targets, &table.applied());
  std::vector<size_t> order = graph_.topological_order(needed, *targets);
  std::reverse(order.begin(), order.end());

  std::vector<MigrationStep> steps;
  steps.reserve(order.size());
  for (size_t i : order) {
    MigrationStep step{&revisions_[i], true, {}, {revisions_[i].id}};
    for (size_t r : table.upgrade(i)) step.from_heads.push_back(revisions_[r].id);
    steps.push_back(std::move(step));
  }
  return steps;
}

Expected<std::vector<MigrationStep>> RevisionMap::downgrade_plan(
    const std::vector<std::string>& current, std::string_view target) const {
  if (auto err = check_plannable()) return err;
  auto rows = version_rows(current);
  if (!rows) return rows.take_error();
  auto destination = downgrade_target(*rows, target);
  if (!destination) return destination.take_error();

  VersionRows table(graph_, graph_.ancestors(*rows));
  // Everything applied above the destination.
  const std::vector<size_t>& roots =
      *destination == kBase ? graph_.bases() : graph_.children(*destination);
  const RevisionSet drop = graph_.descendants_within(roots, table.applied());
  const std::vector<size_t> order = graph_.topological_order(drop, *rows);
  if (order.empty() && *destination != kBase &&
      std::find(rows->begin(), rows->end(), *destination) == rows->end()) {
    return revision_error(
        fmt::format("Destination {} is not a valid downgrade target from current head(s)", target),
        fmt::format("the database is at {}; a downgrade target must be below it",
                    describe_rows(*rows)));
  }

  std::vector<MigrationStep> steps;
  steps.reserve(order.size());
  for (size_t i : order) {
    MigrationStep step{&revisions_[i], false, {revisions_[i].id}, {}};
    for (size_t r : table.downgrade(i)) step.to_heads.push_back(revisions_[r].id);
    steps.push_back(std::move(step));
  }
  return steps;
}

}  // namespace retort
