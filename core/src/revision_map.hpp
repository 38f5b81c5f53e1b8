// The revision graph: built from every revision's declared down_revision,
// validated, and used to resolve identifiers and plan migrations.
#ifndef RETORT_REVISION_MAP_HPP
#define RETORT_REVISION_MAP_HPP

#include <retort/abi.h>
#include <retort/error.hpp>

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "revision_graph.hpp"

namespace retort {

struct Revision {
  std::string id;
  std::vector<std::string> down_revisions;  // empty: a base
  std::vector<std::string> branch_labels;
  std::vector<std::string> depends_on;
  std::string message;
  std::string create_date;
  std::string path;                         // the source file, else the module it came from
  const retort_revision* module = nullptr;  // null in tests

  bool is_base() const { return down_revisions.empty(); }
};

// One step of a plan.
struct MigrationStep {
  const Revision* revision;
  bool upgrade;
  // The version-table rows the step replaces and the rows that replace them
  // (other rows stay as they are). Upgrading: the down_revisions that are
  // rows, in declared order -> {rev}; so {} -> {rev} for a base or a second
  // branch off a revision, {down} -> {rev} on a line, {c1, c2} -> {rev} for
  // a merge. Downgrading: {rev} -> the down_revisions that no remaining
  // applied revision revises. Several from_heads: delete all but the last,
  // update the last; several to_heads: insert all but the last, update to
  // the last (Alembic's HeadMaintainer, with a fixed order).
  std::vector<std::string> from_heads;
  std::vector<std::string> to_heads;
};

class RevisionMap {
 public:
  RevisionMap() = default;  // empty

  // Validates: a self-loop, an identifier that is empty, reserved or holds
  // one of "@-+:", duplicate ids, a missing or repeated down_revision, and
  // cycles; the first problem found is reported as one error naming the
  // revisions. Map order is input order.
  static Expected<RevisionMap> build(std::vector<Revision> revisions);

  const std::vector<Revision>& revisions() const { return revisions_; }
  const Revision* find(std::string_view id) const;  // exact id only
  std::vector<std::string> heads() const;
  std::vector<std::string> bases() const;
  // The children of a revision (those naming it as down_revision).
  std::vector<std::string> children(std::string_view id) const;

  // One revision from an identifier: an exact id, a unique prefix (of ids
  // longer than 3 characters), or "head" ("heads" when there is one).
  // "base", and "head" in an empty map, resolve to nullptr.
  Expected<const Revision*> resolve(std::string_view ident) const;

  // The steps that take the database from `current` (its version-table
  // rows) to `target`, oldest first: head, heads, base, an id or prefix, +N,
  // rev+N, rev-N. A target already applied gives no steps.
  Expected<std::vector<MigrationStep>> upgrade_plan(const std::vector<std::string>& current,
                                                    std::string_view target) const;
  // The steps down to `target`, newest first: base, an id or prefix, -N,
  // rev-N, rev+N.
  Expected<std::vector<MigrationStep>> downgrade_plan(const std::vector<std::string>& current,
                                                      std::string_view target) const;

  // Every revision, newest first (children before their parents), in
  // Alembic's order.
  std::vector<const Revision*> history() const;

 private:
  // A position in the graph: a revision's index, or kBase, below every base.
  static constexpr size_t kBase = static_cast<size_t>(-1);

  // Where a walk of N steps ended; `overwalked` when it ran out of
  // revisions after `taken` steps.
  struct Walk {
    size_t position;
    bool overwalked;
    size_t taken;
  };

  RevisionMap(std::vector<Revision> revisions, std::map<std::string, size_t, std::less<>> index,
              RevisionGraph graph);

  // revision_resolution.cpp
  std::string describe_rows(const std::vector<size_t>& rows) const;  // "'a', 'b'" or "base"
  Expected<size_t> resolve_position(std::string_view ident) const;
  Expected<size_t> resolve_prefix(std::string_view ident) const;
  Expected<Walk> walk(size_t start, bool up, size_t steps) const;
  Expected<std::vector<size_t>> upgrade_targets(const std::vector<size_t>& rows,
                                                std::string_view target) const;
  Expected<size_t> downgrade_target(const std::vector<size_t>& rows, std::string_view target) const;

  // revision_plan.cpp
  Error check_plannable() const;
  Expected<std::vector<size_t>> version_rows(const std::vector<std::string>& current) const;

  std::vector<Revision> revisions_;
  std::map<std::string, size_t, std::less<>> index_;  // id -> index in revisions_
  RevisionGraph graph_;
};

}  // namespace retort

#endif  // RETORT_REVISION_MAP_HPP
