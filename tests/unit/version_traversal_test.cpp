// Upgrade, downgrade and stamp plans and the version-table rows each step
// leaves: Alembic's tests/test_version_traversal.py (ScriptDirectory's
// _upgrade_revs, _downgrade_revs and _stamp_revs under HeadMaintainer),
// graphs written out in full. Where Alembic lets the order of a Python set
// decide which row a merge updates or an unmerge inserts, we take the
// declared order: delete (insert) all but the last down revision, update
// the last.
#include "revision_test_support.hpp"

#include <map>

using namespace revision_test;
using namespace revision_test::path_ids;

namespace {

// The path's steps with short names.
Lines path_steps(const std::vector<MigrationStep>& plan) {
  static const std::map<std::string, std::string> names = {
      {a, "a"}, {b, "b"}, {c, "c"}, {d, "d"}, {e, "e"}};
  Lines out;
  for (const std::string& step : steps(plan)) {
    const size_t space = step.find(' ');
    out.push_back(step.substr(0, space + 1) + names.at(step.substr(space + 1)));
  }
  return out;
}

RevisionMap branched_map() {
  return build({{"a", {}},
                {"b", {"a"}},
                {"c1", {"b"}, {"c1branch"}},
                {"d1", {"c1"}},
                {"c2", {"b"}, {"c2branch"}},
                {"d2", {"c2"}}});
}

}  // namespace

// -------------------------------------------------------------- a line

TEST_CASE("version traversal upgrades and downgrades a line", "[version_traversal]") {
  auto map = path_map();
  CHECK(downgrade(map, {}, "base").empty());
  CHECK(downgrade(map, {a}, a).empty());  // #838
  CHECK(downgrade(map, {e}, e).empty());  // #839

  auto up = upgrade(map, {c}, e);
  CHECK(path_steps(up) == Lines{"up d", "up e"});
  CHECK(rows_after({c}, up) == Rows{e});
  CHECK(describe(upgrade(map, {}, c)) == Lines{"up " + a + ": {} -> {" + a + "}",
                                               "up " + b + ": {" + a + "} -> {" + b + "}",
                                               "up " + c + ": {" + b + "} -> {" + c + "}"});
  CHECK(path_steps(upgrade(map, {a}, "+2")) == Lines{"up b", "up c"});
  CHECK(path_steps(upgrade(map, {a}, "+1")) == Lines{"up b"});
  CHECK(path_steps(upgrade(map, {b}, "+3")) == Lines{"up c", "up d", "up e"});
  CHECK(path_steps(upgrade(map, {a}, b + "+2")) == Lines{"up b", "up c", "up d"});
  CHECK(path_steps(upgrade(map, {a}, d + "-2")) == Lines{"up b"});

  auto down = downgrade(map, {e}, c);
  CHECK(path_steps(down) == Lines{"down e", "down d"});
  CHECK(rows_after({e}, down) == Rows{c});
  CHECK(describe(downgrade(map, {c}, "base")).back() == "down " + a + ": {" + a + "} -> {}");
  CHECK(path_steps(downgrade(map, {c}, "-1")) == Lines{"down c"});
  CHECK(path_steps(downgrade(map, {e}, "-3")) == Lines{"down e", "down d", "down c"});
  CHECK(path_steps(downgrade(map, {d}, a + "+2")) == Lines{"down d"});
  CHECK(path_steps(downgrade(map, {d}, c + "-2")) == Lines{"down d", "down c", "down b"});
}

TEST_CASE("version traversal takes more relative forms on a line", "[version_traversal]") {
  auto map = path_map();
  CHECK(path_steps(upgrade(map, {}, "+1")) == Lines{"up a"});
  CHECK(path_steps(upgrade(map, {}, "base+1")) == Lines{"up a"});
  CHECK(path_steps(upgrade(map, {a}, "head-1")) == Lines{"up b", "up c", "up d"});
  CHECK(path_steps(upgrade(map, {a}, "b7ea")) == Lines{"up b", "up c"});
  CHECK(path_steps(upgrade(map, {b}, "heads")) == Lines{"up c", "up d", "up e"});
  // Alembic fails an assertion for a rev-N that reaches base; nothing to do.
  CHECK(upgrade(map, {}, b + "-2").empty());
  // Upgrading "down" is a silent no-op, as in Alembic (implicit_base).
  CHECK(upgrade(map, {c}, a).empty());
  CHECK(upgrade(map, {c}, "base").empty());
  CHECK(path_steps(downgrade(map, {d}, "base+2")) == Lines{"down d", "down c"});
  CHECK(path_steps(downgrade(map, {c}, "-3")) == Lines{"down c", "down b", "down a"});
}

TEST_CASE("version traversal refuses relative steps it cannot take", "[version_traversal]") {
  auto map = path_map();
  auto down = upgrade_error(map, {b}, "-2");
  CHECK(down.message() == "Relative revision -2 didn't produce 2 migrations");
  CHECK(down.hint() == "an upgrade cannot move down; use 'retort downgrade -2'");
  auto past = upgrade_error(map, {b}, "+5");
  CHECK(past.message() == "Relative revision +5 didn't produce 5 migrations");
  CHECK(past.hint() == "the head is 3 steps above '" + b + "'");
  // Alembic fails an assertion for these two.
  auto up = upgrade_error(map, {a}, d + "+5");
  CHECK(up.message() == "Walked too far");
  CHECK(up.hint() == "'" + d + "+5' goes past the head");
  CHECK(upgrade_error(map, {a}, "head-9").hint() == "'head-9' goes past base");

  auto under = downgrade_error(map, {b}, "-5");
  CHECK(under.message() == "Relative revision -5 didn't produce 5 migrations");
  CHECK(under.hint() == "base is 2 steps below '" + b + "'");
  auto over = downgrade_error(map, {b}, "+2");
  CHECK(over.message() == "Relative revision +2 didn't produce 2 migrations");
  CHECK(over.hint() == "a downgrade cannot move up; use 'retort upgrade +2'");
  CHECK(downgrade_error(map, {}, "-1").message() ==
        "Relative revision -1 didn't produce 1 migrations");
  CHECK(downgrade_error(map, {b}, e + "+1").message() == "Walked too far");
  CHECK(downgrade_error(map, {b}, b + "-3").hint() == "'" + b + "-3' goes past base");
  CHECK(downgrade_error(map, {b}, "").message() == "no downgrade target");
}

TEST_CASE("version traversal refuses a downgrade target above the database",
          "[version_traversal]") {
  auto map = path_map();
  auto err = downgrade_error(map, {}, "548");
  CHECK(err.message() == "Destination 548 is not a valid downgrade target from current head(s)");
  CHECK(err.hint() == "the database is at base; a downgrade target must be below it");
  auto above = downgrade_error(map, {b}, "b7ea");
  CHECK(above.message() == "Destination b7ea is not a valid downgrade target from current head(s)");
  CHECK(above.hint() == "the database is at '" + b + "'; a downgrade target must be below it");
  CHECK(downgrade_error(map, {c}, "head").message() ==
        "Destination head is not a valid downgrade target from current head(s)");
}

TEST_CASE("version traversal stamps a line to base", "[version_traversal]") {
  auto plan = stamp(path_map(), {d}, {"base"});
  CHECK(describe(plan) == Lines{"stamp base: {" + d + "} -> {}"});
  CHECK(plan.front().revision == nullptr);
  CHECK(plan.front().stamp);
  CHECK_FALSE(plan.front().upgrade);
  CHECK(describe(stamp(path_map(), {d}, {})) == describe(plan));
}

TEST_CASE("version traversal refuses version table rows it cannot use", "[version_traversal]") {
  auto err = upgrade_error(path_map(), {"deadbeef0000"}, "head");
  CHECK(err.message() == "can't locate revision identified by 'deadbeef0000' in the version table");
  CHECK(err.hint() ==
        "the database was migrated by revisions this script directory does not have; restore "
        "the missing revision files, or reset the version table with 'retort stamp --purge "
        "<revision>'");
  CHECK(downgrade_error(path_map(), {c, "zz"}, "base").message() ==
        "can't locate revision identified by 'zz' in the version table");

  auto map = build({{"a", {}}, {"b", {"a"}}, {"c", {"b"}}});
  auto overlap = upgrade_error(map, {"a", "c"}, "head");
  CHECK(overlap.message() == "Requested revision c overlaps with other requested revisions a");
  CHECK(overlap.hint() ==
        "the version table should hold only the newest applied revision of each branch; "
        "delete the row that is below 'c', or reset the table with 'retort stamp --purge "
        "<revision>'");
  CHECK(downgrade_error(map, {"c", "b", "a"}, "base").message() ==
        "Requested revision c overlaps with other requested revisions b, a");
  CHECK(steps(upgrade(map, {"b", "b"}, "head")) == Lines{"up c"});  // a repeated row is fine
  // Every reader of the table refuses it alike (issue 15): stamp too, and
  // current's display; `stamp --purge` empties the table first.
  CHECK(map.stamp_plan({"a", "c"}, {"b"}).error().message() ==
        "Requested revision c overlaps with other requested revisions a");
  CHECK(map.current_display({"c", "a"}).error().message() ==
        "Requested revision c overlaps with other requested revisions a");
  CHECK_FALSE(map.check_version_rows({"zz", "c"}, /*unknown_allowed=*/true));
  CHECK(map.check_version_rows({"a", "zz", "c"}, /*unknown_allowed=*/true).message() ==
        "Requested revision c overlaps with other requested revisions a");
}

// ------------------------------------------------------------ branches

TEST_CASE("version traversal plans along one branch of two", "[version_traversal]") {
  // BranchedPathTest
  auto map = branched_map();
  auto up = upgrade(map, {"b"}, "d1");
  CHECK(steps(up) == Lines{"up c1", "up d1"});
  CHECK(rows_after({"b"}, up) == Rows{"d1"});

  auto both = upgrade(map, {"a"}, "d1 d2");
  CHECK(steps(both) == Lines{"up b", "up c2", "up d2", "up c1", "up d1"});
  CHECK(describe(both) == Lines{"up b: {a} -> {b}", "up c2: {b} -> {c2}", "up d2: {c2} -> {d2}",
                                "up c1: {} -> {c1}", "up d1: {c1} -> {d1}"});
  CHECK(rows_after({"a"}, both) == Rows{"d1", "d2"});

  auto down = downgrade(map, {"d1", "d2"}, "a");
  CHECK(steps(down) == Lines{"down d1", "down c1", "down d2", "down c2", "down b"});
  CHECK(describe(down) == Lines{"down d1: {d1} -> {c1}", "down c1: {c1} -> {}",
                                "down d2: {d2} -> {c2}", "down c2: {c2} -> {b}",
                                "down b: {b} -> {a}"});
  CHECK(rows_after({"d1", "d2"}, down) == Rows{"a"});

  auto one = upgrade(map, {"b"}, "c2branch@head-1");
  CHECK(steps(one) == Lines{"up c2"});
  CHECK(rows_after({"b"}, one) == Rows{"c2"});

  auto to_b = downgrade(map, {"d2", "d1"}, "base+2");
  CHECK(steps(to_b) == Lines{"down d1", "down c1", "down d2", "down c2"});
  CHECK(rows_after({"d2", "d1"}, to_b) == Rows{"b"});
  auto branch = downgrade(map, {"d2", "d1"}, "c2branch@base+2");
  CHECK(steps(branch) == Lines{"down d2", "down c2"});
  CHECK(rows_after({"d2", "d1"}, branch) == Rows{"d1"});
  for (const char* target : {"c2", "c2branch@base+3"}) {
    INFO(target);
    auto plan = downgrade(map, {"d2", "d1"}, target);
    CHECK(steps(plan) == Lines{"down d2"});
    CHECK(rows_after({"d2", "d1"}, plan) == Rows{"d1", "c2"});
  }
}

TEST_CASE("version traversal steps down one branch named by a label", "[version_traversal]") {
  // BranchedPathTest, continued.
  auto map = branched_map();
  auto label = downgrade(map, {"d1", "d2"}, "c1branch@-1");
  CHECK(steps(label) == Lines{"down d1"});
  CHECK(rows_after({"d1", "d2"}, label) == Rows{"c1", "d2"});
  for (const Lines& rows : {Lines{"d2", "c1"}, Lines{"c1", "d2"}}) {  // #765
    auto plan = downgrade(map, rows, "d2-1");
    CHECK(steps(plan) == Lines{"down d2"});
    CHECK(rows_after(rows, plan) == Rows{"c1", "c2"});
  }
  auto c1 = downgrade(map, {"c1", "d2"}, "c1branch@b");
  CHECK(steps(c1) == Lines{"down c1"});
  CHECK(rows_after({"c1", "d2"}, c1) == Rows{"d2"});
  auto c2 = downgrade(map, {"c1", "d2"}, "c2branch@b");
  CHECK(steps(c2) == Lines{"down d2", "down c2"});
  CHECK(rows_after({"c1", "d2"}, c2) == Rows{"c1"});
  auto by_rev = downgrade(map, {"d1", "d2"}, "c2@b");  // a revision used as the branch
  CHECK(steps(by_rev) == Lines{"down d2", "down c2"});
  CHECK(rows_after({"d1", "d2"}, by_rev) == Rows{"d1"});
  auto d1 = downgrade(map, {"d1", "d2"}, "d1@b");
  CHECK(steps(d1) == Lines{"down d1", "down c1"});
  CHECK(rows_after({"d1", "d2"}, d1) == Rows{"d2"});
  auto head = downgrade(map, {"d1", "d2"}, "c1branch@head-1");
  CHECK(steps(head) == Lines{"down d1"});
  CHECK(rows_after({"d1", "d2"}, head) == Rows{"c1", "d2"});
  CHECK(downgrade(map, {"d1", "c2"}, "c2").empty());
  CHECK(downgrade(map, {"d1", "c2"}, "d1").empty());
}

TEST_CASE("version traversal refuses -N from several heads", "[version_traversal]") {
  // Alembic warns "downgrade -1 from multiple heads is ambiguous; this usage
  // will be disallowed in a future release" and steps down from the first
  // row the database returned: from [d2, d1] it downgrades d2, from [d1, d2]
  // d1. We refuse now; "d2-1" or "c1branch@-1" say which.
  auto map = branched_map();
  for (const Lines& rows : {Lines{"d2", "d1"}, Lines{"c2", "d1"}, Lines{"d1", "d2"}}) {
    auto err = downgrade_error(map, rows, "-1");
    CHECK(err.message() == "downgrade -1 from multiple heads is ambiguous");
    CHECK(err.hint() == fmt::format("the database is at '{}', '{}'; name the head to start from, "
                                    "e.g. '{}-1'",
                                    rows[0], rows[1], rows[0]));
  }
  auto down = downgrade(map, {"c1", "d2"}, "c1branch@-1");
  CHECK(steps(down) == Lines{"down c1"});
  CHECK(rows_after({"c1", "d2"}, down) == Rows{"d2"});
  // "c1-1" names the branch point b with no branch, so, as in Alembic,
  // both branches above b go.
  CHECK(rows_after({"c1", "d2"}, downgrade(map, {"c1", "d2"}, "c1-1")) == Rows{"b"});
  auto plan = downgrade(map, {"a"}, "-1");
  CHECK(steps(plan) == Lines{"down a"});
  CHECK(rows_after({"a"}, plan).empty());
}

TEST_CASE("version traversal walks up a branch that is not applied", "[version_traversal]") {
  // BranchedPathTest: from c1, c2branch@+1 backtracks to the branch point b.
  auto map = branched_map();
  auto plan = upgrade(map, {"c1"}, "c2branch@+1");
  CHECK(steps(plan) == Lines{"up c2"});
  CHECK(rows_after({"c1"}, plan) == Rows{"c1", "c2"});
  auto next = upgrade(map, {"c1", "c2"}, "c2branch@+1");
  CHECK(steps(next) == Lines{"up d2"});
  CHECK(rows_after({"c1", "c2"}, next) == Rows{"c1", "d2"});

  auto err = upgrade_error(map, {"c1", "c2"}, "+1");
  CHECK(err.message() == "Ambiguous upgrade from multiple current revisions");
  CHECK(err.hint() ==
        "the database is at c1 c2; name the target revision, or narrow it with a branch label: "
        "'label@+1'");
  CHECK(steps(upgrade(map, {}, "base+1")) == Lines{"up a"});
  CHECK(steps(upgrade(map, {}, "+1")) == Lines{"up a"});
  CHECK(upgrade_error(map, {"b"}, "+1").message() == "Ambiguous walk");
}

TEST_CASE("version traversal stamps across branches", "[version_traversal]") {
  // BranchedPathTest's stamps, as (deleted, updated from, updated to).
  auto map = branched_map();
  auto merge = stamp(map, {"d1", "c2"}, {"b"});  // ([d1], c2, b)
  CHECK(describe(merge) == Lines{"stamp b: {d1, c2} -> {b}"});
  CHECK_FALSE(merge.front().upgrade);
  CHECK(rows_after({"d1", "c2"}, merge) == Rows{"b"});
  CHECK(describe(stamp(map, {"d1", "c2"}, {"c1branch@base"})) == Lines{"stamp base: {d1} -> {}"});
  auto up = stamp(map, {"d1", "c2"}, {"c2branch@head"});  // ([], c2, d2)
  CHECK(describe(up) == Lines{"stamp d2: {c2} -> {d2}"});
  CHECK(up.front().upgrade);
  // The rows are taken in map order, whatever order the database gave.
  CHECK(describe(stamp(map, {"c2", "d1"}, {"b"})) == Lines{"stamp b: {d1, c2} -> {b}"});
}

// --------------------------------------------------------------- merges

TEST_CASE("version traversal plans through a diamond with Alembic's row changes",
          "[version_traversal]") {
  auto map = build({{"a", {}}, {"b", {"a"}}, {"c1", {"b"}}, {"c2", {"b"}}, {"d", {"c1", "c2"}}});
  CHECK(describe(upgrade(map, {}, "d")) == Lines{"up a: {} -> {a}", "up b: {a} -> {b}",
                                                 "up c2: {b} -> {c2}", "up c1: {} -> {c1}",
                                                 "up d: {c1, c2} -> {d}"});
  CHECK(describe(downgrade(map, {"d"}, "a")) == Lines{"down d: {d} -> {c1, c2}",
                                                      "down c1: {c1} -> {}", "down c2: {c2} -> {b}",
                                                      "down b: {b} -> {a}"});
  // Down to a merge parent only removes the merge.
  auto parent = downgrade(map, {"d"}, "c1");
  CHECK(describe(parent) == Lines{"down d: {d} -> {c1, c2}"});
  CHECK(rows_after({"d"}, parent) == Rows{"c1", "c2"});
}

TEST_CASE("version traversal branches from a merge point", "[version_traversal]") {
  // BranchFromMergepointTest
  auto map = build({{"a1", {}},
                    {"b1", {"a1"}},
                    {"c1", {"b1"}},
                    {"a2", {}},
                    {"b2", {"a2"}},
                    {"c2", {"b2"}},
                    {"d1", {"c1", "c2"}},
                    {"d2", {"c2"}}});
  auto up = upgrade(map, {"d2", "b1"}, "d1");
  CHECK(describe(up) == Lines{"up c1: {b1} -> {c1}", "up d1: {c1} -> {d1}"});
  CHECK(rows_after({"d2", "b1"}, up) == Rows{"d1", "d2"});
  auto down = downgrade(map, {"d2", "d1"}, "b1");
  CHECK(describe(down) == Lines{"down d1: {d1} -> {c1}", "down c1: {c1} -> {b1}"});
  CHECK(rows_after({"d2", "d1"}, down) == Rows{"b1", "d2"});
}

TEST_CASE("version traversal branches from a three-way merge point", "[version_traversal]") {
  // BranchFrom3WayMergepointTest
  auto map = build({{"a1", {}},
                    {"b1", {"a1"}},
                    {"c1", {"b1"}},
                    {"a2", {}},
                    {"b2", {"a2"}},
                    {"c2", {"b2"}},
                    {"a3", {}},
                    {"b3", {"a3"}},
                    {"c3", {"b3"}},
                    {"d1", {"c1", "c2", "c3"}},
                    {"d2", {"c2"}},
                    {"d3", {"c3"}}});
  auto up = upgrade(map, {"d3", "d2", "b1"}, "d1");
  CHECK(steps(up) == Lines{"up c1", "up d1"});
  CHECK(rows_after({"d3", "d2", "b1"}, up) == Rows{"d3", "d2", "d1"});
  auto down = downgrade(map, {"d3", "d2", "d1"}, "b1");
  CHECK(steps(down) == Lines{"down d1", "down c1"});
  CHECK(rows_after({"d3", "d2", "d1"}, down) == Rows{"d3", "d2", "b1"});
  auto merge = upgrade(map, {"d3", "b2", "b1"}, "d1");
  CHECK(describe(merge) ==
        Lines{"up c2: {b2} -> {c2}", "up c1: {b1} -> {c1}", "up d1: {c1, c2} -> {d1}"});
  CHECK(rows_after({"d3", "b2", "b1"}, merge) == Rows{"d3", "d1"});
  auto d2 = upgrade(map, {"d3", "d1"}, "d2");
  CHECK(steps(d2) == Lines{"up d2"});
  CHECK(rows_after({"d3", "d1"}, d2) == Rows{"d3", "d2", "d1"});
}

TEST_CASE("version traversal merges twin merges step by step", "[version_traversal]") {
  // TwinMergeTest (#297): HeadMaintainer fed one step at a time from {a}.
  auto map = build({{"a", {}},
                    {"b1", {"a"}},
                    {"b2", {"a"}},
                    {"b3", {"a"}},
                    {"c1", {"b1", "b2", "b3"}},
                    {"c2", {"b1", "b2", "b3"}},
                    {"d1", {"c1"}},
                    {"d2", {"c2"}}});
  Lines rows{"a"};
  const std::vector<std::pair<std::string, Rows>> expected = {
      {"b3", {"b3"}}, {"b1", {"b1", "b3"}}, {"b2", {"b1", "b2", "b3"}}, {"c2", {"c2"}},
      {"d2", {"d2"}}, {"c1", {"c1", "d2"}}, {"d1", {"d1", "d2"}}};
  for (const auto& [target, after] : expected) {
    INFO("up " << target);
    auto plan = upgrade(map, rows, target);
    REQUIRE(steps(plan) == Lines{"up " + target});
    const Rows now = rows_after(rows, plan);
    CHECK(now == after);
    rows.assign(now.begin(), now.end());
  }
}

TEST_CASE("version traversal merges overlapping merges step by step", "[version_traversal]") {
  // NotQuiteTwinMergeTest
  auto map = build({{"a", {}},
                    {"b1", {"a"}},
                    {"b2", {"a"}},
                    {"b3", {"a"}},
                    {"c1", {"b1", "b2"}},
                    {"c2", {"b2", "b3"}},
                    {"d1", {"c1"}},
                    {"d2", {"c2"}}});
  Lines rows{"a"};
  const std::vector<std::pair<std::string, Rows>> expected = {
      {"b2", {"b2"}},       {"b3", {"b2", "b3"}}, {"c2", {"c2"}},      {"d2", {"d2"}},
      {"b1", {"b1", "d2"}}, {"c1", {"c1", "d2"}}, {"d1", {"d1", "d2"}}};
  for (const auto& [target, after] : expected) {
    INFO("up " << target);
    auto plan = upgrade(map, rows, target);
    REQUIRE(steps(plan) == Lines{"up " + target});
    const Rows now = rows_after(rows, plan);
    CHECK(now == after);
    rows.assign(now.begin(), now.end());
  }
  // At c1 only b1 of its parents is a row: a plain update.
  CHECK(describe(upgrade(map, {"b1", "d2"}, "c1")) == Lines{"up c1: {b1} -> {c1}"});
}

TEST_CASE("version traversal keeps no row below another when a merge names an ancestor",
          "[version_traversal]") {
  // c revises b and also a, which b already revises. With another head
  // present Alembic's HeadMaintainer restores both a and b on the way down,
  // leaving a row below another; we restore only b. The same holds for a
  // dependency on a sibling (HEAD Alembic reduces only when no other head).
  auto map = build({{"a", {}}, {"b", {"a"}}, {"c", {"b", "a"}}, {"x", {}}});
  CHECK(describe(upgrade(map, {}, "c")) ==
        Lines{"up a: {} -> {a}", "up b: {a} -> {b}", "up c: {b} -> {c}"});
  CHECK(describe(downgrade(map, {"c", "x"}, "b")) == Lines{"down c: {c} -> {b}"});
  auto sibling = build({{"a", {}}, {"b", {"a"}}, {"c", {"a"}, {}, {"b"}}, {"x", {}}});
  CHECK(describe(downgrade(sibling, {"c", "x"}, "a")) ==
        Lines{"down c: {c} -> {b}", "down b: {b} -> {a}"});
}

TEST_CASE("version traversal plans a merged path in Alembic's order", "[version_traversal]") {
  // MergedPathTest
  auto map = build({{"a", {}},
                    {"b", {"a"}},
                    {"c1", {"b"}},
                    {"d1", {"c1"}},
                    {"c2", {"b"}, {"c2branch"}},
                    {"d2", {"c2"}},
                    {"e", {"d1", "d2"}},
                    {"f", {"e"}}});
  CHECK(describe(upgrade(map, {"b"}, "f")) == Lines{"up c2: {b} -> {c2}", "up d2: {c2} -> {d2}",
                                                    "up c1: {} -> {c1}", "up d1: {c1} -> {d1}",
                                                    "up e: {d1, d2} -> {e}", "up f: {e} -> {f}"});
  CHECK(describe(downgrade(map, {"f"}, "b")) ==
        Lines{"down f: {f} -> {e}", "down e: {e} -> {d1, d2}", "down d1: {d1} -> {c1}",
              "down c1: {c1} -> {}", "down d2: {d2} -> {c2}", "down c2: {c2} -> {b}"});

  // Stamps, as (deleted, updated from, updated to).
  CHECK(describe(stamp(map, {"e"}, {"c2"})) == Lines{"stamp c2: {e} -> {c2}"});
  CHECK(describe(stamp(map, {"e"}, {"a"})) == Lines{"stamp a: {e} -> {a}"});
  CHECK(describe(stamp(map, {"c2"}, {"e"})) == Lines{"stamp e: {c2} -> {e}"});
  CHECK(describe(stamp(map, {"d1", "c2"}, {"c2branch@head"})) == Lines{"stamp f: {d1, c2} -> {f}"});
  CHECK(describe(stamp(map, {"d1", "c2"}, {"e"})) == Lines{"stamp e: {d1, c2} -> {e}"});
  CHECK(describe(stamp(map, {"b"}, {"e"})) == Lines{"stamp e: {b} -> {e}"});
}

// ----------------------------------------------------------------- forest

TEST_CASE("version traversal upgrades a forest last tree first", "[version_traversal]") {
  // ForestTest
  auto map = build({{"a1", {}}, {"b1", {"a1"}}, {"a2", {}}, {"b2", {"a2"}}});
  CHECK(describe(upgrade(map, {}, "heads")) == Lines{"up a2: {} -> {a2}", "up b2: {a2} -> {b2}",
                                                     "up a1: {} -> {a1}", "up b1: {a1} -> {b1}"});
  CHECK(describe(stamp(map, {}, {"heads"})) ==
        Lines{"stamp b1: {} -> {b1}", "stamp b2: {} -> {b2}"});
  CHECK(stamp(map, {"b1", "b2"}, {"heads"}).empty());
  // One tree applied, the other's head as the target.
  auto steps_b2 = upgrade(map, {"b1", "a2"}, "b2");
  CHECK(describe(steps_b2) == Lines{"up b2: {a2} -> {b2}"});
  CHECK(rows_after({"b1", "a2"}, steps_b2) == Rows{"b1", "b2"});
  CHECK(describe(downgrade(map, {"b1", "b2"}, "a2")) == Lines{"down b2: {b2} -> {a2}"});
}

TEST_CASE("version traversal stamps unrelated revisions as new rows", "[version_traversal]") {
  // Alembic's "nonsensical" pinned case: several destinations are each
  // compared with the rows as they were, so e and f, above a, are inserted
  // too.
  auto map = build({{"a", {}}, {"b", {"a"}}, {"e", {"b"}}, {"f", {"e"}}, {"x", {}}});
  CHECK(describe(stamp(map, {}, {"a e f"})) ==
        Lines{"stamp a: {} -> {a}", "stamp e: {} -> {e}", "stamp f: {} -> {f}"});
  CHECK(describe(stamp(map, {"b"}, {"x"})) == Lines{"stamp x: {} -> {x}"});
  // Multiple heads as a stamp target are worded for stamp.
  auto two = build({{"a", {}}, {"b1", {"a"}}, {"b2", {"a"}}});
  auto err = two.stamp_plan({}, {"head"});
  REQUIRE_FALSE(err);
  CHECK(err.error().message() ==
        "Multiple heads are present; please specify a single target revision");
  CHECK(err.error().hint() == "'head' names 'b1', 'b2'");
}

// ------------------------------------------------------------ dependencies

TEST_CASE("version traversal deletes a row a dependency implies", "[version_traversal]") {
  // DependsOnBranchTestOne
  auto map = build({{"a1", {}, {"lib1"}},
                    {"b1", {"a1"}},
                    {"c1", {"b1"}},
                    {"a2", {}},
                    {"b2", {"a2"}},
                    {"c2", {"b2"}, {}, {"c1"}},
                    {"d1", {"c1"}},
                    {"e1", {"d1"}},
                    {"f1", {"e1"}}});
  auto down = downgrade(map, {"c2", "d1"}, "c1");
  CHECK(describe(down) == Lines{"down d1: {d1} -> {}"});
  CHECK(rows_after({"c2", "d1"}, down) == Rows{"c2"});
  auto stamped = stamp(map, {"e1", "c2"}, {"b1"});
  CHECK(describe(stamped) == Lines{"stamp b1: {c2, e1} -> {b1}"});  // rows in map order
  CHECK(rows_after({"e1", "c2"}, stamped) == Rows{"b1"});
}

TEST_CASE("version traversal inserts a row a dependency no longer implies", "[version_traversal]") {
  // DependsOnBranchTestTwo
  auto map = build({{"a1", {}},
                    {"a2", {}},
                    {"a3", {}},
                    {"amerge", {"a1", "a2", "a3"}},
                    {"b1", {}},
                    {"b2", {}},
                    {"bmerge", {"b1", "b2"}},
                    {"c1", {}},
                    {"c2", {}},
                    {"c3", {}},
                    {"cmerge", {"c1", "c2", "c3"}},
                    {"d1", {}, {}, {"a3", "b2", "c1"}}});
  const Lines all{"amerge", "bmerge", "cmerge", "d1"};
  auto b2 = downgrade(map, all, "b2");
  CHECK(steps(b2) == Lines{"down bmerge"});
  CHECK(rows_after(all, b2) == Rows{"amerge", "b1", "cmerge", "d1"});  // d1 implies b2

  const Lines before{"amerge", "d1", "b1", "cmerge"};
  auto d1 = downgrade(map, before, "d1@base");
  CHECK(describe(d1) == Lines{"down d1: {d1} -> {b2}"});
  CHECK(rows_after(before, d1) == Rows{"amerge", "b1", "b2", "cmerge"});

  const Lines rest{"amerge", "b1", "b2", "cmerge"};
  auto base = downgrade(map, rest, "base");
  CHECK(steps(base) == Lines{"down amerge", "down a1", "down b1", "down b2", "down cmerge",
                             "down c1", "down a2", "down a3", "down c2", "down c3"});
  CHECK(rows_after(rest, base).empty());
}

TEST_CASE("version traversal keeps rows a crossing dependency implies", "[version_traversal]") {
  // DependsOnBranchTestThree (#377)
  auto map = build({{"a1", {}},
                    {"a2", {"a1"}},
                    {"b1", {}},
                    {"b2", {"b1"}, {}, {"a2"}},
                    {"b3", {"b2"}},
                    {"a3", {"a2"}, {}, {"b1"}}});
  auto down = downgrade(map, {"a3", "b2"}, "b1");
  CHECK(describe(down) == Lines{"down b2: {b2} -> {}"});
  CHECK(rows_after({"a3", "b2"}, down) == Rows{"a3"});
}

TEST_CASE("version traversal treats a dependency on the down revision as one",
          "[version_traversal]") {
  // DependsOnOwnDownrevTest (#843)
  auto map = build({{"a1", {}}, {"a2", {"a1"}, {}, {"a1"}}});
  auto up = upgrade(map, {}, "a2");
  CHECK(describe(up) == Lines{"up a1: {} -> {a1}", "up a2: {a1} -> {a2}"});
  auto down = downgrade(map, {"a2"}, "a1");
  CHECK(describe(down) == Lines{"down a2: {a2} -> {a1}"});
}

TEST_CASE("version traversal does not restore a normalized dependency", "[version_traversal]") {
  // DependsOnBranchTestFour (#789): b4's dependency on a3 is implied by b2's.
  auto map = build({{"a1", {}},
                    {"a2", {"a1"}},
                    {"a3", {"a2"}},
                    {"b1", {}},
                    {"b2", {"b1"}, {}, {"a3"}},
                    {"b3", {"b2"}},
                    {"b4", {"b3"}, {}, {"a3"}}});
  auto down = downgrade(map, {"b4"}, "b3");
  CHECK(describe(down) == Lines{"down b4: {b4} -> {b3}"});
  CHECK(rows_after({"b4"}, down) == Rows{"b3"});
}

TEST_CASE("version traversal merges a revision with its own dependency", "[version_traversal]") {
  // DependsOnBranchTestFive (#1373)
  auto map = build({{"a1", {}}, {"b1", {}, {}, {"a1"}}, {"bmerge", {"a1", "b1"}}});
  CHECK(describe(upgrade(map, {"a1"}, "b1")) == Lines{"up b1: {a1} -> {b1}"});
  CHECK(describe(upgrade(map, {"b1"}, "bmerge")) == Lines{"up bmerge: {b1} -> {bmerge}"});
  CHECK(describe(downgrade(map, {"bmerge"}, "a1")) == Lines{"down bmerge: {bmerge} -> {b1}"});
  CHECK(describe(downgrade(map, {"bmerge"}, "b1")) == Lines{"down bmerge: {bmerge} -> {b1}"});
}

TEST_CASE("version traversal pulls in a dependency named by label", "[version_traversal]") {
  // DependsOnBranchLabelTest
  auto map = build({{"a1", {}, {"lib1"}},
                    {"b1", {"a1"}},
                    {"c1", {"b1"}, {"c1lib"}},
                    {"a2", {}},
                    {"b2", {"a2"}},
                    {"c2", {"b2"}, {}, {"c1lib"}},
                    {"d1", {"c1"}},
                    {"e1", {"d1"}},
                    {"f1", {"e1"}}});
  auto up = upgrade(map, {"a2"}, "c2");
  CHECK(steps(up) == Lines{"up a1", "up b1", "up c1", "up b2", "up c2"});
  CHECK(describe(up).back() == "up c2: {b2, c1} -> {c2}");
  CHECK(rows_after({"a2"}, up) == Rows{"c2"});
}

TEST_CASE("version traversal drops what depends on a dropped branch", "[version_traversal]") {
  // BranchedPathTestCrossDependencies
  auto map = build({{"a", {}},
                    {"b", {"a"}},
                    {"c1", {"b"}, {"c1branch"}},
                    {"d1", {"c1"}},
                    {"c2", {"b"}, {"c2branch"}},
                    {"d2", {"c2"}, {}, {"c1"}}});
  auto c2 = downgrade(map, {"d1", "d2"}, "c2branch@b");
  CHECK(steps(c2) == Lines{"down d2", "down c2"});
  CHECK(rows_after({"d1", "d2"}, c2) == Rows{"d1"});
  // Alembic pins only the set and that d1 and d2 come before c1.
  auto c1 = downgrade(map, {"d1", "d2"}, "c1branch@b");
  CHECK(steps(c1) == Lines{"down d1", "down d2", "down c1"});
  CHECK(rows_after({"d1", "d2"}, c1) == Rows{"c2"});
}
