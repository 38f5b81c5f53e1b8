// Plans: the steps of an upgrade or a downgrade (Alembic's _upgrade_revs
// and _downgrade_revs, on iterate_revisions in revision_iterate.cpp) and how
// each step changes the version table's rows (HeadMaintainer).
#include "revision/revision_error.hpp"
#include "revision/revision_map.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <utility>

namespace retort {
namespace {

// The version table while a plan runs. The applied revisions are closed
// under the normalized down revisions; the rows are the applied revisions
// that no applied revision needs (Alembic's heads: one row per branch tip,
// none for a revision only depended on). Counting the applied revisions
// that need each one keeps every step O(its down revisions). This is
// HeadMaintainer's outcome; its choice of which row to update and which to
// insert or delete is the declared order here.
class VersionRows {
 public:
  VersionRows(const RevisionGraph& graph, RevisionSet applied)
      : graph_(graph), applied_(std::move(applied)), needed_by_(graph.size(), 0) {
    for (size_t i = 0; i < graph_.size(); ++i) {
      if (!applied_[i]) continue;
      for (size_t p : graph_.parents(i, Edges::kNormalized)) ++needed_by_[p];
    }
  }

  bool is_row(size_t i) const { return applied_[i] && needed_by_[i] == 0; }

  // Applies `rev`; returns the rows it replaces, in declared order.
  std::vector<size_t> upgrade(size_t rev) {
    assert(!applied_[rev]);
    std::vector<size_t> replaced;
    for (size_t p : graph_.parents(rev, Edges::kNormalized)) {
      assert(applied_[p]);
      if (is_row(p)) replaced.push_back(p);
      ++needed_by_[p];
    }
    applied_[rev] = 1;
    return replaced;
  }

  // Unapplies `rev`, which must be a row; returns the rows that replace it,
  // in declared order.
  std::vector<size_t> downgrade(size_t rev) {
    assert(is_row(rev));
    applied_[rev] = 0;
    std::vector<size_t> exposed;
    for (size_t p : graph_.parents(rev, Edges::kNormalized)) {
      if (--needed_by_[p] == 0) exposed.push_back(p);
    }
    return exposed;
  }

 private:
  const RevisionGraph& graph_;
  RevisionSet applied_;
  std::vector<size_t> needed_by_;
};

}  // namespace

Error RevisionMap::check_version_rows(const std::vector<std::string>& current,
                                      bool unknown_allowed) const {
  std::vector<size_t> rows;
  for (const std::string& id : current) {
    auto it = index_.find(id);
    if (it != index_.end()) {
      // A repeated row reads as one: an UPDATE moves both alike.
      if (std::find(rows.begin(), rows.end(), it->second) == rows.end()) rows.push_back(it->second);
      continue;
    }
    if (unknown_allowed) continue;
    Error err = revision_error(
        fmt::format("can't locate revision identified by '{}' in the version table", id),
        "the database was migrated by revisions this script directory does not have; "
        "restore the missing revision files, or reset the version table with "
        "'retort stamp --purge <revision>'");
    return std::move(err).with_detail(UnknownRevision{id});
  }
  if (rows.size() < 2) return Error::success();

  std::vector<size_t> below;
  for (size_t r : rows) {
    const auto& parents = graph_.parents(r, Edges::kNormalized);
    below.insert(below.end(), parents.begin(), parents.end());
  }
  const RevisionSet strictly_below = graph_.ancestors(below, Edges::kNormalized);
  if (std::none_of(rows.begin(), rows.end(), [&](size_t r) { return strictly_below[r]; })) {
    return Error::success();
  }
  // Name it as Alembic does: the first row with another row below it.
  for (size_t r : rows) {
    const RevisionSet under =
        graph_.ancestors(graph_.parents(r, Edges::kNormalized), Edges::kNormalized);
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
                    "branch; {} below '{}', or reset the table with 'retort stamp --purge "
                    "<revision>'",
                    overlaps.size() == 1 ? "delete the row that is" : "delete the rows that are",
                    revisions_[r].id));
  }
  assert(false && "an overlap that no row explains");
  return Error::success();
}

Expected<std::vector<size_t>> RevisionMap::version_rows(
    const std::vector<std::string>& current) const {
  if (Error err = check_version_rows(current)) return err;
  std::vector<size_t> rows;
  for (const std::string& id : current) {
    const size_t i = index_.find(id)->second;
    if (std::find(rows.begin(), rows.end(), i) == rows.end()) rows.push_back(i);
  }
  return rows;
}

Expected<std::vector<size_t>> RevisionMap::upgrade_order(const std::vector<size_t>& rows,
                                                         std::string_view target) const {
  Ident lower;
  for (size_t r : rows) lower.push_back(revisions_[r].id);
  IterateOptions options;
  options.implicit_base = true;
  auto order = iterate(split(target), lower, options, Wording{Context::kUpgrade, {}, target});
  if (!order) return order.take_error();
  std::reverse(order->begin(), order->end());
  return order;
}

Expected<std::vector<MigrationStep>> RevisionMap::upgrade_plan(
    const std::vector<std::string>& current, std::string_view target) const {
  auto rows = version_rows(current);
  if (!rows) return rows.take_error();
  auto order = upgrade_order(*rows, target);
  if (!order) return order.take_error();

  VersionRows table(graph_, graph_.ancestors(*rows, Edges::kNormalized));
  std::vector<MigrationStep> steps;
  steps.reserve(order->size());
  for (size_t i : *order) {
    MigrationStep step{&revisions_[i], true, {}, {revisions_[i].id}};
    for (size_t r : table.upgrade(i)) step.from_heads.push_back(revisions_[r].id);
    steps.push_back(std::move(step));
  }
  return steps;
}

Expected<std::vector<const Revision*>> RevisionMap::upgrade_revisions(
    const std::vector<std::string>& current, std::string_view target) const {
  auto rows = version_rows(current);
  if (!rows) return rows.take_error();
  auto order = upgrade_order(*rows, target);
  if (!order) return order.take_error();
  return at(*order);
}

Expected<std::vector<const Revision*>> RevisionMap::downgrade_revisions(
    const std::vector<std::string>& current, std::string_view target) const {
  auto rows = version_rows(current);
  if (!rows) return rows.take_error();
  auto order = downgrade_order(*rows, target);
  if (!order) return order.take_error();
  return at(*order);
}

Expected<std::vector<MigrationStep>> RevisionMap::downgrade_plan(
    const std::vector<std::string>& current, std::string_view target) const {
  auto rows = version_rows(current);
  if (!rows) return rows.take_error();
  auto order = downgrade_order(*rows, target);
  if (!order) return order.take_error();

  VersionRows table(graph_, graph_.ancestors(*rows, Edges::kNormalized));
  std::vector<MigrationStep> steps;
  steps.reserve(order->size());
  for (size_t i : *order) {
    MigrationStep step{&revisions_[i], false, {revisions_[i].id}, {}};
    for (size_t r : table.downgrade(i)) step.to_heads.push_back(revisions_[r].id);
    steps.push_back(std::move(step));
  }
  return steps;
}

Expected<std::vector<size_t>> RevisionMap::downgrade_order(const std::vector<size_t>& rows,
                                                           std::string_view target) const {
  const Ident destination = split(target);
  if (destination.size() != 1) {
    return revision_error(destination.empty()
                              ? "no downgrade target"
                              : fmt::format("a downgrade target is one revision, not '{}'", target),
                          "name one revision, or 'base'");
  }
  Ident upper;
  for (size_t r : rows) upper.push_back(revisions_[r].id);
  IterateOptions options;
  options.select_for_downgrade = true;
  return iterate(upper, destination, options, Wording{Context::kDowngrade, {}, target});
}

}  // namespace retort
