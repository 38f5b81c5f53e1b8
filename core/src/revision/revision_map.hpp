// The revision graph: built from every revision's down_revision, branch
// labels and depends_on, validated, and used to resolve identifiers and plan
// migrations as Alembic's RevisionMap does.
//
// Identifiers, wherever one is taken: "head", "heads", "base", an id or
// branch label, a unique prefix of one (of keys longer than 3 characters),
// "label@head", "label@base", "label@rev" (label may also be a revision id or
// prefix: "that revision's lineage"), "-N" and "label@-N" (down from the
// heads). Plan targets also take "+N", "rev+N", "rev-N", "label@+N",
// "label@rev+N". A string holding spaces is a tuple of identifiers, as
// Alembic's lists; an empty string is None. "current" belongs to the
// commands, which replace it by the version table's rows.
#ifndef RETORT_REVISION_MAP_HPP
#define RETORT_REVISION_MAP_HPP

#include <retort/abi.h>
#include <retort/error.hpp>

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "revision/key_index.hpp"
#include "revision/revision_graph.hpp"

namespace retort {

// Revision, ScriptDirectory and MigrationContext share their names with the
// public API's (retort/script_directory.hpp, retort/revision_info.hpp,
// retort/migration_context.hpp), which wraps them in `inline namespace api`.
// The inline namespace keeps the two apart while code inside core goes on
// writing `Revision`. A file that sees both includes core's headers first
// and names each in full (script/script_directory_api.hpp).
inline namespace internal {

struct Revision {
  std::string id;
  std::vector<std::string> down_revisions;  // empty: a base
  std::vector<std::string> branch_labels;   // as declared; see RevisionMap::branch_labels
  std::vector<std::string> depends_on;      // ids, branch labels or unique prefixes
  std::string message;
  std::string create_date;
  std::string path;                         // the source file, else the module it came from
  const retort_revision* module = nullptr;  // null in tests

  bool is_base() const { return down_revisions.empty(); }
};

}  // namespace internal

// One step of a plan.
struct MigrationStep {
  // The revision the step runs or, for a stamp, the one it stamps: nullptr
  // when stamping to base (the step then only deletes `from_heads`).
  const Revision* revision;
  bool upgrade;
  // The version-table rows the step replaces and the rows that replace them
  // (other rows stay as they are), as Alembic's HeadMaintainer, in a fixed
  // order. A revision's "down revisions" here are its down_revisions plus
  // the depends_on that no ancestor already declares. Upgrading: those of
  // them that are rows, in declared order -> {rev}; so {} -> {rev} for a base
  // or a new branch, {down} -> {rev} on a line, {c1, c2} -> {rev} for a
  // merge. Downgrading: {rev} -> those down revisions that no remaining
  // applied revision needs, in declared order; {rev} -> {} deletes the row.
  // Several from_heads: delete all but the last, update the last; several
  // to_heads: insert all but the last, update to the last.
  std::vector<std::string> from_heads;
  std::vector<std::string> to_heads;
  // A stamp: the version table changes as above, no revision runs
  // (Alembic's StampStep, logged as "stamp_revision a -> b").
  bool stamp = false;
};

// Alembic's iterate_revisions flags.
struct IterateOptions {
  bool implicit_base = false;          // also the lower bound's unrelated branches
  bool inclusive = false;              // the lower bound itself too
  bool assert_relative_length = true;  // a relative walk past the end fails
  bool select_for_downgrade = false;   // Alembic's downgrade selection
};

class RevisionMap {
 public:
  RevisionMap() = default;  // empty

  // Validates, reporting the first problem as one error naming the
  // revisions: an id that is empty, reserved, or holds one of "@-+:" or a
  // space; a duplicate id; a self-loop; a missing, repeated or label
  // down_revision; a branch label that collides with an id or another label,
  // or is not usable in an identifier; a depends_on naming nothing, several
  // revisions, or itself; cycles, then dependency cycles: first as Alembic
  // finds them (every revision on or above one, sorted), then any other
  // (its revisions in order). Map order is input order. Labels propagate as
  // Alembic's _add_branches.
  static Expected<RevisionMap> build(std::vector<Revision> revisions);
  // The revisions, in map order, as build() was given them; the map is
  // left empty. For a caller that lends its revisions to a map for a while.
  std::vector<Revision> release() && { return std::move(revisions_); }

  const std::vector<Revision>& revisions() const { return revisions_; }
  const Revision* find(std::string_view id) const;  // exact id only
  std::vector<std::string> heads() const { return heads(false); }
  std::vector<std::string> bases() const;
  // The children of a revision (those naming it as down_revision), map order.
  std::vector<std::string> children(std::string_view id) const;

  // One revision from an identifier (Alembic's get_revision): "base", and
  // "head" in an empty map, give nullptr; several give a "multiple heads"
  // error.
  Expected<const Revision*> resolve(std::string_view ident) const;

  // The steps that take the database from `current` (its version-table
  // rows) to `target`, oldest first (Alembic's _upgrade_revs). A target
  // already applied gives no steps.
  Expected<std::vector<MigrationStep>> upgrade_plan(const std::vector<std::string>& current,
                                                    std::string_view target) const;
  // The steps down to `target`, newest first (Alembic's _downgrade_revs).
  // "-N" from several rows is refused, where Alembic warns and picks one.
  Expected<std::vector<MigrationStep>> downgrade_plan(const std::vector<std::string>& current,
                                                      std::string_view target) const;
  // The revisions those plans run, in the same order, without the steps'
  // version-table bookkeeping: for a caller that needs only which and in
  // what order (the checksums of every revision, the applied ones).
  Expected<std::vector<const Revision*>> upgrade_revisions(const std::vector<std::string>& current,
                                                           std::string_view target) const;
  Expected<std::vector<const Revision*>> downgrade_revisions(
      const std::vector<std::string>& current, std::string_view target) const;

  // Every revision, newest first (children before their parents), in
  // Alembic's order: `history` with no range.
  std::vector<const Revision*> history() const;

  // ---- Graph facts for the commands (Alembic's Revision properties). ----
  // Versioned heads (no child through down_revision), in map order; with
  // `resolve_dependencies`, only "real" heads (nothing depends on them
  // either), as `heads --resolve-dependencies` shows.
  std::vector<std::string> heads(bool resolve_dependencies) const;
  // Every branch label a revision carries, declared and propagated along its
  // segment (Alembic's _add_branches), sorted.
  std::vector<std::string> branch_labels(std::string_view id) const;
  bool is_branch_point(std::string_view id) const;  // several children
  bool is_merge_point(std::string_view id) const;   // several down_revisions
  // A head only because another revision depends on it (not a real head).
  bool is_effective_head(std::string_view id) const;

  // Every revision an identifier names, as Alembic's get_revisions: "heads",
  // "head", "base" (none), "label@head", "label@base", "label@rev", ids,
  // labels and prefixes, "-N"; a tuple of identifiers separated by spaces.
  Expected<std::vector<const Revision*>> resolve_all(std::string_view ident) const;

  // The one check of the version table's rows that every command reading
  // them makes (current, history, show current, check, stamp, upgrade,
  // downgrade, resolve): no row below another row (Alembic's "Requested
  // revision ... overlaps"), and each one in the scripts unless
  // `unknown_allowed` (check reports those as missing). A repeated row reads
  // as one. A NULL row never gets here: MigrationContext::current_heads
  // refuses it. `stamp --purge` empties the table before it is checked.
  Error check_version_rows(const std::vector<std::string>& rows,
                           bool unknown_allowed = false) const;

  // What `current` shows for the version table's rows: the rows plus the
  // revisions they depend on, reduced to branch tips (get_all_current), in
  // map order.
  Expected<std::vector<std::string>> current_display(const std::vector<std::string>& rows) const;

  // The steps that stamp the version table from `rows` to `targets` without
  // running any revision (Alembic's _stamp_revs; no targets is base): each
  // step's revision is the destination (nullptr for base), from/to rows as
  // in MigrationStep, `stamp` set. Rows are taken in map order, so the rows
  // a merge deletes do not depend on the order the database returned them.
  Expected<std::vector<MigrationStep>> stamp_plan(const std::vector<std::string>& rows,
                                                  const std::vector<std::string>& targets) const;

  // `history -r start:end`: the revisions between the two (either may be
  // empty, meaning "base" and "heads"; "current" already replaced by the
  // caller's rows, space-separated), newest first, as Alembic's
  // walk_revisions (iterate_revisions, inclusive, not asserting walks).
  Expected<std::vector<const Revision*>> history_range(std::string_view start,
                                                       std::string_view end) const;

  // The revisions a new revision is based on for `revision --head X` and
  // `merge X Y` (Alembic's generate_revision; empty means "head"): none for
  // "base", one per revision X names. With `splice` false, each must be a
  // head.
  Expected<std::vector<const Revision*>> new_revision_parents(std::string_view heads,
                                                              bool splice) const;
  // The same when the command wants one parent: nullptr for "base"; an
  // error when X names several.
  Expected<const Revision*> new_revision_parent(std::string_view head, bool splice) const;
  // depends_on for a new revision as Alembic writes it: each identifier
  // resolved to a full id, except a branch label of the revision it names.
  Expected<std::vector<std::string>> new_revision_dependencies(
      const std::vector<std::string>& depends_on) const;

  // Alembic's RevisionMap.iterate_revisions(upper, lower, ...), with its
  // RevisionMap messages (the commands word some of them differently).
  Expected<std::vector<const Revision*>> iterate_revisions(
      std::string_view upper, std::string_view lower, const IterateOptions& options = {}) const;

 private:
  // Below every base: Alembic's None and "base".
  static constexpr size_t kBase = static_cast<size_t>(-1);
  // Where a walk past the end of the history lands: Alembic's None result.
  static constexpr size_t kNowhere = static_cast<size_t>(-2);

  // Whose words an error uses: Alembic's RevisionMap, or one of its
  // commands, which reword "multiple heads" and "not an ancestor"
  // (_catch_revision_errors). `start` and `end` are the arguments as given.
  enum class Context { kGraph, kCommand, kUpgrade, kDowngrade, kHistory, kStamp, kRevision };
  struct Wording {
    Context context;
    std::string_view start = {};
    std::string_view end = {};
  };
  // An identifier split as Alembic's _resolve_revision_number: the ids it
  // names ("head" and "heads" already replaced) and its branch label.
  struct Number {
    std::vector<std::string> ids;
    std::string label;  // empty: none
  };
  // A branch given before "@", resolved once, with its lineage.
  struct Branch {
    std::string_view name;
    size_t revision;
    RevisionSet lineage;
  };
  struct Walk {
    size_t position;  // an index, kBase, or kNowhere after an overwalk
    size_t taken;     // steps taken
  };
  struct Collected {
    RevisionSet revisions;
    std::vector<size_t> heads;  // where the topological order starts
  };
  using Ident = std::vector<std::string>;     // Alembic's str, tuple or None
  static Ident split(std::string_view text);  // on white space

  void propagate_branch_labels();  // revision_map.cpp

  // revision_resolution.cpp
  std::string describe_rows(Indices rows) const;
  std::vector<const Revision*> at(
      const std::vector<size_t>& indices) const;  // in that order  // "'a', 'b'" or "base"
  Error multiple_heads(const std::vector<std::string>& heads, std::string_view argument,
                       const Wording& wording) const;
  Error multiple_heads_error(const std::vector<std::string>& heads, std::string_view argument,
                             const Wording& wording) const;  // without the detail
  Expected<Number> resolve_number(std::string_view ident, const Wording& wording) const;
  Expected<size_t> current_head(std::string_view label, const Wording& wording) const;
  Expected<size_t> resolve_key(std::string_view id) const;
  Expected<Branch> resolve_branch(std::string_view label) const;
  Expected<size_t> revision_for_ident(std::optional<std::string_view> id,
                                      const Branch* branch) const;
  Expected<std::vector<size_t>> get_revisions(std::string_view ident, const Wording& wording) const;
  Expected<std::vector<size_t>> get_revisions(const Ident& idents, const Wording& wording) const;
  Expected<size_t> get_revision(std::string_view ident, const Wording& wording) const;
  RevisionSet lineage(const std::vector<size_t>& revisions, bool include_dependencies) const;
  Expected<std::optional<RevisionSet>> lineage_of(std::string_view check_against,
                                                  bool include_dependencies, const Wording& wording,
                                                  bool targets_present = true) const;
  Expected<std::vector<size_t>> filter_for_lineage(const std::vector<size_t>& targets,
                                                   std::string_view check_against,
                                                   bool include_dependencies,
                                                   const Wording& wording) const;
  bool has_label(size_t revision, std::string_view label) const;

  // revision_targets.cpp
  Expected<Walk> walk(size_t start, long long steps, const RevisionSet* branch,
                      bool no_overwalk) const;
  Expected<std::vector<size_t>> upgrade_targets(const Ident& current, const Ident& target,
                                                bool assert_relative_length,
                                                const Wording& wording) const;
  Expected<std::pair<std::string, size_t>> downgrade_target(const Ident& current,
                                                            std::string_view target,
                                                            bool assert_relative_length,
                                                            const Wording& wording) const;
  std::vector<size_t> all_current(const std::vector<size_t>& revisions) const;

  // revision_iterate.cpp
  Error not_an_ancestor(const Ident& lower, const Ident& upper, const Wording& wording) const;
  Expected<RevisionSet> related_checked(const std::vector<size_t>& targets, Edges edges,
                                        bool down) const;
  Expected<Collected> collect_upgrade(const Ident& upper, const Ident& lower,
                                      const IterateOptions& options, const Wording& wording) const;
  Expected<Collected> collect_downgrade(const Ident& upper, const Ident& lower,
                                        const IterateOptions& options,
                                        const Wording& wording) const;
  Expected<std::vector<size_t>> iterate(const Ident& upper, const Ident& lower,
                                        const IterateOptions& options,
                                        const Wording& wording) const;

  // revision_plan.cpp: the rows, checked (check_version_rows), as indices;
  // the revisions a plan from those rows runs, in order.
  Expected<std::vector<size_t>> version_rows(const std::vector<std::string>& current) const;
  Expected<std::vector<size_t>> upgrade_order(const std::vector<size_t>& rows,
                                              std::string_view target) const;
  Expected<std::vector<size_t>> downgrade_order(const std::vector<size_t>& rows,
                                                std::string_view target) const;

  std::vector<Revision> revisions_;
  KeyIndex index_;                                       // id -> index in revisions_
  std::map<std::string, size_t, std::less<>> labels_;    // declared branch label -> index
  std::vector<std::vector<std::string>> branch_labels_;  // per index, sorted
  RevisionGraph graph_;
};

}  // namespace retort

#endif  // RETORT_REVISION_MAP_HPP
