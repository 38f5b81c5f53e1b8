// Fixtures for the revision graph tests: graphs written out in full, as
// Alembic's tests write them, and plans shown as text.
#ifndef RETORT_TESTS_REVISION_TEST_SUPPORT_HPP
#define RETORT_TESTS_REVISION_TEST_SUPPORT_HPP

#include "revision/revision_map.hpp"

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <initializer_list>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace revision_test {

using retort::Error;
using retort::ErrorCategory;
using retort::IterateOptions;
using retort::MigrationStep;
using retort::Revision;
using retort::RevisionMap;

using Lines = std::vector<std::string>;
using Rows = std::set<std::string>;

// One revision of a fixture: its id, down_revisions, branch labels and
// depends_on, as Alembic's Revision(id, down, dependencies=, branch_labels=).
struct Rev {
  std::string id;
  std::vector<std::string> down;
  std::vector<std::string> labels = {};
  std::vector<std::string> deps = {};
};

inline std::vector<Revision> revisions(std::initializer_list<Rev> specs) {
  std::vector<Revision> out;
  for (const Rev& spec : specs) {
    Revision rev;
    rev.id = spec.id;
    rev.down_revisions = spec.down;
    rev.branch_labels = spec.labels;
    rev.depends_on = spec.deps;
    out.push_back(std::move(rev));
  }
  return out;
}

inline RevisionMap build(std::vector<Revision> revs) {
  auto map = RevisionMap::build(std::move(revs));
  INFO(map.error().message());
  REQUIRE(map);
  return std::move(*map);
}

inline RevisionMap build(std::initializer_list<Rev> specs) { return build(revisions(specs)); }

// The error that refuses the revisions.
inline Error build_error(std::vector<Revision> revs) {
  auto map = RevisionMap::build(std::move(revs));
  REQUIRE_FALSE(map);
  CHECK(map.error().category() == ErrorCategory::kRevision);
  return map.take_error();
}

inline Error build_error(std::initializer_list<Rev> specs) { return build_error(revisions(specs)); }

// Alembic's _assert_iteration defaults: inclusive, upgrade-style.
constexpr IterateOptions kInclusive{.inclusive = true};
constexpr IterateOptions kInclusiveDowngrade{.inclusive = true, .select_for_downgrade = true};
constexpr IterateOptions kDowngrade{.select_for_downgrade = true};

inline Lines ids(const std::vector<const Revision*>& revs) {
  Lines out;
  for (const Revision* rev : revs) out.push_back(rev->id);
  return out;
}

// iterate_revisions(upper, lower, ...) as ids, in yield order.
inline Lines iterate(const RevisionMap& map, std::string_view upper, std::string_view lower,
                     const IterateOptions& options = {}) {
  auto revs = map.iterate_revisions(upper, lower, options);
  INFO("iterate " << upper << " : " << lower << ": " << revs.error().message());
  REQUIRE(revs);
  return ids(*revs);
}

inline Error iterate_error(const RevisionMap& map, std::string_view upper, std::string_view lower,
                           const IterateOptions& options = {}) {
  auto revs = map.iterate_revisions(upper, lower, options);
  REQUIRE_FALSE(revs);
  CHECK(revs.error().category() == ErrorCategory::kRevision);
  return revs.take_error();
}

inline std::string resolved(const RevisionMap& map, std::string_view ident) {
  auto rev = map.resolve(ident);
  INFO(ident << ": " << rev.error().message());
  REQUIRE(rev);
  return *rev == nullptr ? "base" : (*rev)->id;
}

inline Lines resolved_all(const RevisionMap& map, std::string_view ident) {
  auto revs = map.resolve_all(ident);
  INFO(ident << ": " << revs.error().message());
  REQUIRE(revs);
  return ids(*revs);
}

inline Error resolve_error(const RevisionMap& map, std::string_view ident) {
  auto rev = map.resolve(ident);
  REQUIRE_FALSE(rev);
  CHECK(rev.error().category() == ErrorCategory::kRevision);
  return rev.take_error();
}

inline std::vector<MigrationStep> upgrade(const RevisionMap& map, const Lines& current,
                                          std::string_view target) {
  auto plan = map.upgrade_plan(current, target);
  INFO("upgrade " << target << ": " << plan.error().message());
  REQUIRE(plan);
  return *plan;
}

inline std::vector<MigrationStep> downgrade(const RevisionMap& map, const Lines& current,
                                            std::string_view target) {
  auto plan = map.downgrade_plan(current, target);
  INFO("downgrade " << target << ": " << plan.error().message());
  REQUIRE(plan);
  return *plan;
}

inline std::vector<MigrationStep> stamp(const RevisionMap& map, const Lines& current,
                                        const Lines& targets) {
  auto plan = map.stamp_plan(current, targets);
  INFO("stamp: " << plan.error().message());
  REQUIRE(plan);
  return *plan;
}

inline Error upgrade_error(const RevisionMap& map, const Lines& current, std::string_view target) {
  auto plan = map.upgrade_plan(current, target);
  REQUIRE_FALSE(plan);
  CHECK(plan.error().category() == ErrorCategory::kRevision);
  return plan.take_error();
}

inline Error downgrade_error(const RevisionMap& map, const Lines& current,
                             std::string_view target) {
  auto plan = map.downgrade_plan(current, target);
  REQUIRE_FALSE(plan);
  CHECK(plan.error().category() == ErrorCategory::kRevision);
  return plan.take_error();
}

inline std::string rows_text(const Lines& rows) {
  return fmt::format("{{{}}}", fmt::join(rows, ", "));
}

// A plan as text, one line per step: "up b: {a} -> {b}"; stamps as
// "stamp b: {d1, c2} -> {b}".
inline Lines describe(const std::vector<MigrationStep>& steps) {
  Lines out;
  for (const MigrationStep& step : steps) {
    const std::string kind = step.stamp ? "stamp" : step.upgrade ? "up" : "down";
    out.push_back(fmt::format("{} {}: {} -> {}", kind,
                              step.revision ? step.revision->id : std::string("base"),
                              rows_text(step.from_heads), rows_text(step.to_heads)));
  }
  return out;
}

// The steps as Alembic's tests compare them: "up b", "down c".
inline Lines steps(const std::vector<MigrationStep>& plan) {
  Lines out;
  for (const MigrationStep& step : plan) {
    out.push_back(fmt::format("{} {}", step.upgrade ? "up" : "down", step.revision->id));
  }
  return out;
}

// Replays a plan on the version table's rows as the runner will, checking
// that each step replaces rows that are there and adds rows that are not.
inline Rows rows_after(const Lines& current, const std::vector<MigrationStep>& plan) {
  Rows rows(current.begin(), current.end());
  for (const MigrationStep& step : plan) {
    const std::string id = step.revision ? step.revision->id : "base";
    for (const auto& row : step.from_heads) {
      INFO("step " << id << " replaces " << row);
      CHECK(rows.erase(row) == 1);
    }
    for (const auto& row : step.to_heads) {
      INFO("step " << id << " adds " << row);
      CHECK(rows.insert(row).second);
    }
  }
  return rows;
}

// Alembic's RevisionPathTest: a linear history with real-looking ids.
namespace path_ids {
inline const std::string a = "e6239818bb3a";
inline const std::string b = "548bbb905360";
inline const std::string c = "b7ea43dc85e4";
inline const std::string d = "1bbe33445780";
inline const std::string e = "3975fb1a0125";
}  // namespace path_ids

inline RevisionMap path_map() {
  using namespace path_ids;
  return build({{a, {}}, {b, {a}}, {c, {b}}, {d, {c}}, {e, {d}}});
}

// Alembic's MultipleBaseCrossDependencyTestOne: three bases, labels b_1..b_3,
// and b1b and c2 depending on a3.
inline RevisionMap cross_dependency_map() {
  return build({{"base1", {}, {"b_1"}},
                {"a1a", {"base1"}},
                {"a1b", {"base1"}},
                {"b1a", {"a1a"}},
                {"b1b", {"a1b"}, {}, {"a3"}},
                {"base2", {}, {"b_2"}},
                {"a2", {"base2"}},
                {"b2", {"a2"}},
                {"c2", {"b2"}, {}, {"a3"}},
                {"d2", {"c2"}},
                {"base3", {}, {"b_3"}},
                {"a3", {"base3"}},
                {"b3", {"a3"}}});
}

// Alembic's LabeledBranchTest: two lines, labels abranch and ebranch.
inline RevisionMap labeled_map() {
  return build({{"a", {}, {"abranch"}},
                {"b", {"a"}},
                {"somelongername", {"b"}},
                {"c", {"somelongername"}},
                {"d", {}},
                {"e", {"d"}, {"ebranch"}},
                {"someothername", {"e"}},
                {"f", {"someothername"}}});
}

// Alembic's MultipleBaseTest: three bases, a merge of two of the lines.
inline RevisionMap multiple_base_map() {
  return build({{"base1", {}},
                {"base2", {}},
                {"base3", {}},
                {"a1a", {"base1"}},
                {"a1b", {"base1"}},
                {"a2", {"base2"}},
                {"a3", {"base3"}},
                {"b1a", {"a1a"}},
                {"b1b", {"a1b"}},
                {"b2", {"a2"}},
                {"b3", {"a3"}},
                {"c2", {"b2"}},
                {"d2", {"c2"}},
                {"mergeb3d2", {"b3", "d2"}}});
}

}  // namespace revision_test

#endif  // RETORT_TESTS_REVISION_TEST_SUPPORT_HPP
