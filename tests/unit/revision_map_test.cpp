// The revision graph: validation, identifiers, plans and history. Fixtures
// and expected orders are Alembic's (tests/test_revision.py and
// tests/test_version_traversal.py) unless a comment says otherwise.
#include "revision_map.hpp"

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <initializer_list>
#include <map>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

using retort::Error;
using retort::ErrorCategory;
using retort::MigrationStep;
using retort::Revision;
using retort::RevisionMap;

namespace {

// One revision of a fixture: its id and its down_revisions.
struct Rev {
  std::string id;
  std::vector<std::string> down;
};

std::vector<Revision> revisions(std::initializer_list<Rev> specs) {
  std::vector<Revision> out;
  for (const Rev& spec : specs) {
    Revision rev;
    rev.id = spec.id;
    rev.down_revisions = spec.down;
    out.push_back(std::move(rev));
  }
  return out;
}

RevisionMap build(std::vector<Revision> revs) {
  auto map = RevisionMap::build(std::move(revs));
  INFO(map.error().message());
  REQUIRE(map);
  return std::move(*map);
}

RevisionMap build(std::initializer_list<Rev> specs) { return build(revisions(specs)); }

// The error that refuses the revisions.
Error build_error(std::vector<Revision> revs) {
  auto map = RevisionMap::build(std::move(revs));
  REQUIRE_FALSE(map);
  CHECK(map.error().category() == ErrorCategory::kRevision);
  return map.take_error();
}

Error build_error(std::initializer_list<Rev> specs) { return build_error(revisions(specs)); }

// Alembic's RevisionPathTest: a linear history with real-looking ids.
const std::string a = "e6239818bb3a";
const std::string b = "548bbb905360";
const std::string c = "b7ea43dc85e4";
const std::string d = "1bbe33445780";
const std::string e = "3975fb1a0125";

RevisionMap path_map() { return build({{a, {}}, {b, {a}}, {c, {b}}, {d, {c}}, {e, {d}}}); }

// Short names for the path's ids, so expected plans stay readable.
std::string alias(const std::string& id) {
  static const std::map<std::string, std::string> names = {
      {a, "a"}, {b, "b"}, {c, "c"}, {d, "d"}, {e, "e"}};
  auto it = names.find(id);
  return it == names.end() ? id : it->second;
}

std::string rows_text(const std::vector<std::string>& rows) {
  std::string out;
  for (const auto& id : rows) out += (out.empty() ? "" : ", ") + alias(id);
  return "{" + out + "}";
}

// A plan as text, one line per step: "up b: {a} -> {b}".
std::vector<std::string> describe(const std::vector<MigrationStep>& steps) {
  std::vector<std::string> out;
  for (const MigrationStep& step : steps) {
    out.push_back(fmt::format("{} {}: {} -> {}", step.upgrade ? "up" : "down",
                              alias(step.revision->id), rows_text(step.from_heads),
                              rows_text(step.to_heads)));
  }
  return out;
}

// Just the revisions a plan runs, in order.
std::vector<std::string> ids(const std::vector<MigrationStep>& steps) {
  std::vector<std::string> out;
  for (const MigrationStep& step : steps) out.push_back(alias(step.revision->id));
  return out;
}

std::vector<std::string> ids(const std::vector<const Revision*>& revs) {
  std::vector<std::string> out;
  for (const Revision* rev : revs) out.push_back(rev->id);
  return out;
}

std::vector<MigrationStep> upgrade(const RevisionMap& map, const std::vector<std::string>& current,
                                   std::string_view target) {
  auto plan = map.upgrade_plan(current, target);
  INFO("upgrade " << target << ": " << plan.error().message());
  REQUIRE(plan);
  return *plan;
}

std::vector<MigrationStep> downgrade(const RevisionMap& map,
                                     const std::vector<std::string>& current,
                                     std::string_view target) {
  auto plan = map.downgrade_plan(current, target);
  INFO("downgrade " << target << ": " << plan.error().message());
  REQUIRE(plan);
  return *plan;
}

Error upgrade_error(const RevisionMap& map, const std::vector<std::string>& current,
                    std::string_view target) {
  auto plan = map.upgrade_plan(current, target);
  REQUIRE_FALSE(plan);
  CHECK(plan.error().category() == ErrorCategory::kRevision);
  return plan.take_error();
}

Error downgrade_error(const RevisionMap& map, const std::vector<std::string>& current,
                      std::string_view target) {
  auto plan = map.downgrade_plan(current, target);
  REQUIRE_FALSE(plan);
  CHECK(plan.error().category() == ErrorCategory::kRevision);
  return plan.take_error();
}

Error resolve_error(const RevisionMap& map, std::string_view ident) {
  auto rev = map.resolve(ident);
  REQUIRE_FALSE(rev);
  CHECK(rev.error().category() == ErrorCategory::kRevision);
  return rev.take_error();
}

std::string resolved(const RevisionMap& map, std::string_view ident) {
  auto rev = map.resolve(ident);
  INFO(rev.error().message());
  REQUIRE(rev);
  return *rev == nullptr ? "base" : alias((*rev)->id);
}

// Replays a plan on the version table's rows as the runner will, checking
// that each step replaces rows that are there and adds rows that are not.
std::set<std::string> rows_after(std::vector<std::string> current,
                                 const std::vector<MigrationStep>& steps) {
  std::set<std::string> rows(current.begin(), current.end());
  for (const MigrationStep& step : steps) {
    for (const auto& id : step.from_heads) {
      INFO("step " << step.revision->id << " replaces " << id);
      CHECK(rows.erase(id) == 1);
    }
    for (const auto& id : step.to_heads) {
      INFO("step " << step.revision->id << " adds " << id);
      CHECK(rows.insert(id).second);
    }
  }
  return rows;
}

using Lines = std::vector<std::string>;
using Rows = std::set<std::string>;

}  // namespace

// ---------------------------------------------------------------- building

TEST_CASE("revision map keeps input order as map order", "[revision_map]") {
  auto map = build({{"a1", {}}, {"b1", {"a1"}}, {"a2", {}}, {"b2", {"a2"}}});
  Lines order;
  for (const Revision& rev : map.revisions()) order.push_back(rev.id);
  CHECK(order == Lines{"a1", "b1", "a2", "b2"});
  CHECK(map.heads() == Lines{"b1", "b2"});
  CHECK(map.bases() == Lines{"a1", "a2"});
}

TEST_CASE("revision map lists children in map order", "[revision_map]") {
  auto map = build({{"a", {}}, {"b", {"a"}}, {"c1", {"b"}}, {"c2", {"b"}}});
  CHECK(map.children("b") == Lines{"c1", "c2"});
  CHECK(map.children("c1").empty());
  CHECK(map.children("zzz").empty());
  CHECK(map.heads() == Lines{"c1", "c2"});
  CHECK(map.bases() == Lines{"a"});
}

TEST_CASE("revision map finds exact ids only", "[revision_map]") {
  auto map = path_map();
  REQUIRE(map.find(b) != nullptr);
  CHECK(map.find(b)->down_revisions == Lines{a});
  CHECK(map.find("548b") == nullptr);
  CHECK(map.find("head") == nullptr);
}

TEST_CASE("revision map builds an empty map with no heads and no bases", "[revision_map]") {
  auto map = build(std::vector<Revision>{});
  CHECK(map.heads().empty());
  CHECK(map.bases().empty());
  CHECK(map.history().empty());
  CHECK(resolved(map, "head") == "base");  // Alembic's EmptyMapTest: nothing to do
  CHECK(upgrade(map, {}, "head").empty());
  CHECK(upgrade(map, {}, "heads").empty());
  CHECK(downgrade(map, {}, "base").empty());
  CHECK(upgrade_error(map, {}, "+1").message() ==
        "Relative revision +1 didn't produce 1 migrations");
}

TEST_CASE("revision map reports a duplicate id", "[revision_map]") {
  auto err = build_error({{"a", {}}, {"b", {"a"}}, {"a", {"b"}}});
  CHECK(err.message() == "revision 'a' is present more than once");
  CHECK(err.hint() == "each revision needs its own id; delete the copy or give it a new id");
}

TEST_CASE("revision map names the files of a duplicate id", "[revision_map]") {
  auto revs = revisions({{"a", {}}, {"b", {"a"}}, {"a", {"b"}}});
  revs[0].path = "versions/a_one.cpp";
  revs[1].path = "versions/b.cpp";
  revs[2].path = "versions/a_two.cpp";
  CHECK(build_error(revs).message() ==
        "revision 'a' is present more than once, in 'versions/a_one.cpp', 'versions/a_two.cpp'");
}

TEST_CASE("revision map reports a missing down_revision", "[revision_map]") {
  // Alembic warns and then raises KeyError('zzz'); we say what is wrong.
  auto err = build_error({{"a", {}}, {"b", {"zzz"}}});
  CHECK(err.message() == "revision 'b' revises 'zzz', which is not present");
  CHECK(err.hint() ==
        "the revision file for 'zzz' may have been deleted or not built yet; restore or build "
        "it, or correct the down_revision of 'b'");

  auto revs = revisions({{"a", {}}, {"b", {"zzz"}}});
  revs[1].path = "versions/b.cpp";
  CHECK(build_error(revs).hint() ==
        "the revision file for 'zzz' may have been deleted or not built yet; restore or build "
        "it, or correct the down_revision in 'versions/b.cpp'");
}

TEST_CASE("revision map reports a self-loop with Alembic's message", "[revision_map]") {
  CHECK(build_error({{"a", {"a"}}}).message() == "Self-loop is detected in revisions (a)");
  CHECK(build_error({{"a", {"a"}}, {"b", {"a"}}, {"c", {"b"}}}).message() ==
        "Self-loop is detected in revisions (a)");
  CHECK(build_error({{"a", {}}, {"b", {"a"}}, {"c", {"b", "c"}}}).message() ==
        "Self-loop is detected in revisions (c)");
  CHECK(
      build_error({{"a", {}}, {"b1", {"a"}}, {"b2", {"a"}}, {"c", {"b1", "b2", "c"}}}).message() ==
      "Self-loop is detected in revisions (c)");
}

TEST_CASE("revision map reports a cycle with every revision on or above it", "[revision_map]") {
  CHECK(build_error({{"a", {"c"}}, {"b", {"a"}}, {"c", {"b"}}}).message() ==
        "Cycle is detected in revisions (a, b, c)");
  // A healthy tree beside the cycle is not reported.
  CHECK(
      build_error({{"a", {"c"}}, {"b", {"a"}}, {"c", {"b"}}, {"d", {}}, {"e", {"d"}}}).message() ==
      "Cycle is detected in revisions (a, b, c)");
  // A tail above the cycle is.
  CHECK(build_error({{"a", {"c"}}, {"b", {"a"}}, {"c", {"b"}}, {"d", {"c"}}, {"e", {"d"}}})
            .message() == "Cycle is detected in revisions (a, b, c, d, e)");
  // No head at all: everything is reported.
  CHECK(build_error({{"a", {}}, {"b", {"a"}}, {"c", {"b", "e"}}, {"d", {"c"}}, {"e", {"d"}}})
            .message() == "Cycle is detected in revisions (a, b, c, d, e)");
}

TEST_CASE("revision map refuses separator characters in an id", "[revision_map]") {
  CHECK(build_error({{"no@atsigns-ordashes", {}}}).message() ==
        "Character(s) '-, @' not allowed in revision identifier 'no@atsigns-ordashes'");
  CHECK(build_error({{"a", {}}, {"b+c:d", {"a"}}}).message() ==
        "Character(s) '+, :' not allowed in revision identifier 'b+c:d'");
}

TEST_CASE("revision map refuses empty and reserved ids", "[revision_map]") {
  // Alembic accepts these, and then "head" can never name the revision.
  auto revs = revisions({{"", {}}});
  revs[0].path = "versions/x.cpp";
  CHECK(build_error(revs).message() == "empty revision identifier in 'versions/x.cpp'");
  CHECK(build_error({{"a", {}}, {"head", {"a"}}}).message() ==
        "revision identifier 'head' is reserved");
  CHECK(build_error({{"base", {}}}).message() == "revision identifier 'base' is reserved");
}

TEST_CASE("revision map refuses a down_revision named twice", "[revision_map]") {
  CHECK(build_error({{"a", {}}, {"b", {"a", "a"}}}).message() ==
        "revision 'b' names 'a' more than once as its down_revision");
}

// ------------------------------------------------------------- identifiers

TEST_CASE("revision map resolves an exact id of any length", "[revision_map]") {
  auto map = build({{"a", {}}, {"b", {"a"}}});
  CHECK(resolved(map, "a") == "a");
  CHECK(resolved(map, "b") == "b");
}

TEST_CASE("revision map resolves a unique four-character prefix", "[revision_map]") {
  CHECK(resolved(path_map(), "b7ea") == "c");
}

TEST_CASE("revision map resolves a unique shorter prefix as Alembic does", "[revision_map]") {
  auto map = path_map();
  CHECK(resolved(map, "548") == "b");
  CHECK(resolved(map, "1") == "d");
}

TEST_CASE("revision map matches ids of three characters or fewer only exactly", "[revision_map]") {
  auto map = build({{"abc", {}}, {"abcdef", {"abc"}}});
  CHECK(resolved(map, "abc") == "abc");
  CHECK(resolved(map, "ab") == "abcdef");  // "abc" is too short to be a candidate
  auto err = resolve_error(build({{"abc", {}}}), "ab");
  CHECK(err.message() ==
        "No such revision or branch 'ab'; please ensure at least four characters are present "
        "for partial revision identifier matches");
}

TEST_CASE("revision map reports an unknown identifier", "[revision_map]") {
  auto map = path_map();
  auto err = resolve_error(map, "qpr");
  CHECK(err.message() ==
        "No such revision or branch 'qpr'; please ensure at least four characters are present "
        "for partial revision identifier matches");
  CHECK(err.hint() == "'retort history' lists the revision ids");
  CHECK(resolve_error(map, "qprstuv").message() == "No such revision or branch 'qprstuv'");
}

TEST_CASE("revision map lists every revision an ambiguous prefix matches", "[revision_map]") {
  // Alembic lists the first three in map order and adds "..."; we list all
  // of them, sorted.
  auto map = build({{"abcdef4", {}},
                    {"abcdef1", {"abcdef4"}},
                    {"abcdef3", {"abcdef1"}},
                    {"abcdef2", {"abcdef3"}},
                    {"abxy", {"abcdef2"}}});
  auto err = resolve_error(map, "abcd");
  CHECK(err.message() ==
        "Multiple revisions start with 'abcd': 'abcdef1', 'abcdef2', 'abcdef3', 'abcdef4'");
  CHECK(err.hint() == "give more characters of the revision id");
}

TEST_CASE("revision map resolves head, heads and base", "[revision_map]") {
  auto map = path_map();
  CHECK(resolved(map, "head") == "e");
  CHECK(resolved(map, "heads") == "e");
  CHECK(resolved(map, "base") == "base");
}

TEST_CASE("revision map refuses head when there are several", "[revision_map]") {
  auto map = build({{"a", {}}, {"b", {"a"}}, {"c1", {"b"}}, {"c2", {"b"}}});
  auto err = resolve_error(map, "head");
  CHECK(err.message() ==
        "Multiple head revisions are present for given argument 'head'; please specify a "
        "specific target revision, '<branchname>@head' to narrow to a specific head, or "
        "'heads' for all heads");
  CHECK(err.hint() == "the heads are 'c1', 'c2'");
  CHECK_THAT(resolve_error(map, "heads").message(),
             Catch::StartsWith("Multiple head revisions are present for given argument 'heads';"));
}

TEST_CASE("revision map refuses branch labels until they are supported", "[revision_map]") {
  auto map = path_map();
  CHECK(resolve_error(map, "abranch@head").message() ==
        "branch labels are not supported yet: 'abranch@head'");
  CHECK(upgrade_error(map, {}, "abranch@+1").message() ==
        "branch labels are not supported yet: 'abranch@+1'");
  CHECK(downgrade_error(map, {e}, "abranch@base").message() ==
        "branch labels are not supported yet: 'abranch@base'");
}

// ----------------------------------------------------------------- upgrade

TEST_CASE("revision map upgrades to a revision oldest first", "[revision_map]") {
  auto map = path_map();
  CHECK(describe(upgrade(map, {c}, e)) == Lines{"up d: {c} -> {d}", "up e: {d} -> {e}"});
  CHECK(describe(upgrade(map, {}, c)) ==
        Lines{"up a: {} -> {a}", "up b: {a} -> {b}", "up c: {b} -> {c}"});
  CHECK(ids(upgrade(map, {a}, "b7ea")) == Lines{"b", "c"});
  CHECK(ids(upgrade(map, {}, "head")) == Lines{"a", "b", "c", "d", "e"});
  CHECK(ids(upgrade(map, {b}, "heads")) == Lines{"c", "d", "e"});
}

TEST_CASE("revision map upgrades by relative steps", "[revision_map]") {
  auto map = path_map();
  CHECK(ids(upgrade(map, {a}, "+2")) == Lines{"b", "c"});
  CHECK(ids(upgrade(map, {a}, "+1")) == Lines{"b"});
  CHECK(ids(upgrade(map, {b}, "+3")) == Lines{"c", "d", "e"});
  CHECK(ids(upgrade(map, {}, "+1")) == Lines{"a"});
  CHECK(ids(upgrade(map, {a}, b + "+2")) == Lines{"b", "c", "d"});
  CHECK(ids(upgrade(map, {a}, d + "-2")) == Lines{"b"});
  CHECK(ids(upgrade(map, {}, "base+1")) == Lines{"a"});
  CHECK(ids(upgrade(map, {a}, "head-1")) == Lines{"b", "c", "d"});
  CHECK(upgrade(map, {}, b + "-2").empty());  // b-2 is base
}

TEST_CASE("revision map upgrades to an applied revision with no steps", "[revision_map]") {
  auto map = path_map();
  CHECK(upgrade(map, {c}, a).empty());  // Alembic: upgrading "down" is a silent no-op
  CHECK(upgrade(map, {c}, c).empty());
  CHECK(upgrade(map, {e}, "head").empty());
  CHECK(upgrade(map, {c}, "base").empty());
}

TEST_CASE("revision map refuses relative upgrades it cannot make", "[revision_map]") {
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
}

TEST_CASE("revision map refuses a version table row it does not know", "[revision_map]") {
  auto err = upgrade_error(path_map(), {"deadbeef0000"}, "head");
  CHECK(err.message() == "can't locate revision identified by 'deadbeef0000' in the version table");
  CHECK(err.hint() ==
        "the database was migrated by revisions this script directory does not have; restore "
        "the missing revision files, or reset the version table");
  CHECK(downgrade_error(path_map(), {c, "zz"}, "base").message() ==
        "can't locate revision identified by 'zz' in the version table");
}

TEST_CASE("revision map refuses version table rows where one is below another", "[revision_map]") {
  auto map = build({{"a", {}}, {"b", {"a"}}, {"c", {"b"}}});
  auto err = upgrade_error(map, {"a", "c"}, "head");
  CHECK(err.message() == "Requested revision c overlaps with other requested revisions a");
  CHECK(err.hint() ==
        "the version table should hold only the newest applied revision of each branch; "
        "delete the row that is below 'c'");
  CHECK(downgrade_error(map, {"c", "b", "a"}, "base").message() ==
        "Requested revision c overlaps with other requested revisions b, a");
  CHECK(ids(upgrade(map, {"b", "b"}, "head")) == Lines{"c"});  // a repeated row is fine
}

TEST_CASE("revision map refuses head as a target when there are several", "[revision_map]") {
  auto map = build({{"a", {}}, {"b", {"a"}}, {"c1", {"b"}}, {"c2", {"b"}}});
  CHECK_THAT(upgrade_error(map, {"a"}, "head").message(),
             Catch::StartsWith("Multiple head revisions are present for given argument 'head';"));
  CHECK(ids(upgrade(map, {"a"}, "heads")) == Lines{"b", "c2", "c1"});
}

TEST_CASE("revision map refuses a relative walk across a branch point", "[revision_map]") {
  auto map = build({{"a", {}}, {"b", {"a"}}, {"c1", {"b"}}, {"c2", {"b"}}});
  CHECK(upgrade_error(map, {"b"}, "+1").message() == "Ambiguous walk");
  auto err = upgrade_error(map, {"c1", "c2"}, "+1");
  CHECK(err.message() == "Ambiguous upgrade from multiple current revisions");
  CHECK(err.hint() == "the database is at 'c1', 'c2'; name the target revision");
  auto merged = build({{"a", {}}, {"b1", {"a"}}, {"b2", {"a"}}, {"c", {"b1", "b2"}}});
  CHECK(downgrade_error(merged, {"c"}, "-2").message() == "Ambiguous walk");
}

// --------------------------------------------------------------- downgrade

TEST_CASE("revision map downgrades to a revision newest first", "[revision_map]") {
  auto map = path_map();
  CHECK(describe(downgrade(map, {e}, c)) == Lines{"down e: {e} -> {d}", "down d: {d} -> {c}"});
  CHECK(describe(downgrade(map, {c}, "base")) ==
        Lines{"down c: {c} -> {b}", "down b: {b} -> {a}", "down a: {a} -> {}"});
}

TEST_CASE("revision map downgrades by relative steps", "[revision_map]") {
  auto map = path_map();
  CHECK(ids(downgrade(map, {c}, "-1")) == Lines{"c"});
  CHECK(ids(downgrade(map, {e}, "-3")) == Lines{"e", "d", "c"});
  CHECK(ids(downgrade(map, {c}, "-3")) == Lines{"c", "b", "a"});
  CHECK(ids(downgrade(map, {d}, a + "+2")) == Lines{"d"});
  CHECK(ids(downgrade(map, {d}, c + "-2")) == Lines{"d", "c", "b"});
  CHECK(ids(downgrade(map, {d}, "base+2")) == Lines{"d", "c"});
}

TEST_CASE("revision map downgrades to the current revision with no steps", "[revision_map]") {
  auto map = path_map();
  CHECK(downgrade(map, {}, "base").empty());
  CHECK(downgrade(map, {a}, a).empty());  // Alembic #838
  CHECK(downgrade(map, {e}, e).empty());  // Alembic #839
}

TEST_CASE("revision map refuses relative downgrades it cannot make", "[revision_map]") {
  auto map = path_map();
  auto past = downgrade_error(map, {b}, "-5");
  CHECK(past.message() == "Relative revision -5 didn't produce 5 migrations");
  CHECK(past.hint() == "base is 2 steps below '" + b + "'");
  auto up = downgrade_error(map, {b}, "+2");
  CHECK(up.message() == "Relative revision +2 didn't produce 2 migrations");
  CHECK(up.hint() == "a downgrade cannot move up; use 'retort upgrade +2'");
  auto empty = downgrade_error(map, {}, "-1");
  CHECK(empty.message() == "Relative revision -1 didn't produce 1 migrations");
  CHECK(downgrade_error(map, {b}, e + "+1").message() == "Walked too far");
  CHECK(downgrade_error(map, {b}, b + "-3").hint() == "'" + b + "-3' goes past base");
}

TEST_CASE("revision map refuses a downgrade target above the current revision", "[revision_map]") {
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

TEST_CASE("revision map refuses -N from several heads", "[revision_map]") {
  // Alembic warns that this "will be disallowed in a future release" and
  // steps down from the first row; we refuse now.
  auto map = build({{"a", {}}, {"b", {"a"}}, {"c1", {"b"}}, {"c2", {"b"}}});
  auto err = downgrade_error(map, {"c1", "c2"}, "-1");
  CHECK(err.message() == "downgrade -1 from multiple heads is ambiguous");
  CHECK(err.hint() == "the database is at 'c1', 'c2'; name the head to start from, e.g. 'c1-1'");
}

// ---------------------------------------------------------- several heads

TEST_CASE("revision map upgrades a forest's heads last tree first", "[revision_map]") {
  auto map = build({{"a1", {}}, {"b1", {"a1"}}, {"a2", {}}, {"b2", {"a2"}}});
  CHECK(describe(upgrade(map, {}, "heads")) == Lines{"up a2: {} -> {a2}", "up b2: {a2} -> {b2}",
                                                     "up a1: {} -> {a1}", "up b1: {a1} -> {b1}"});
  // One tree applied, the other's head as the target.
  auto steps = upgrade(map, {"b1", "a2"}, "b2");
  CHECK(describe(steps) == Lines{"up b2: {a2} -> {b2}"});
  CHECK(rows_after({"b1", "a2"}, steps) == Rows{"b1", "b2"});
  CHECK(describe(downgrade(map, {"b1", "b2"}, "a2")) == Lines{"down b2: {b2} -> {a2}"});
}

TEST_CASE("revision map plans through a diamond with Alembic's row changes", "[revision_map]") {
  auto map = build({{"a", {}}, {"b", {"a"}}, {"c1", {"b"}}, {"c2", {"b"}}, {"d", {"c1", "c2"}}});
  CHECK(describe(upgrade(map, {}, "d")) == Lines{"up a: {} -> {a}", "up b: {a} -> {b}",
                                                 "up c2: {b} -> {c2}", "up c1: {} -> {c1}",
                                                 "up d: {c1, c2} -> {d}"});
  CHECK(describe(downgrade(map, {"d"}, "a")) == Lines{"down d: {d} -> {c1, c2}",
                                                      "down c1: {c1} -> {}", "down c2: {c2} -> {b}",
                                                      "down b: {b} -> {a}"});
  CHECK(ids(map.history()) == Lines{"d", "c1", "c2", "b", "a"});
}

TEST_CASE("revision map plans along one branch of two", "[revision_map]") {
  // Alembic's BranchedPathTest, without its branch labels.
  auto map = build(
      {{"a", {}}, {"b", {"a"}}, {"c1", {"b"}}, {"d1", {"c1"}}, {"c2", {"b"}}, {"d2", {"c2"}}});
  CHECK(describe(upgrade(map, {"b"}, "d1")) == Lines{"up c1: {b} -> {c1}", "up d1: {c1} -> {d1}"});

  auto both = upgrade(map, {"a"}, "heads");
  CHECK(describe(both) == Lines{"up b: {a} -> {b}", "up c2: {b} -> {c2}", "up d2: {c2} -> {d2}",
                                "up c1: {} -> {c1}", "up d1: {c1} -> {d1}"});
  CHECK(rows_after({"a"}, both) == Rows{"d1", "d2"});

  CHECK(describe(downgrade(map, {"d1", "d2"}, "a")) ==
        Lines{"down d1: {d1} -> {c1}", "down c1: {c1} -> {}", "down d2: {d2} -> {c2}",
              "down c2: {c2} -> {b}", "down b: {b} -> {a}"});
  auto to_b = downgrade(map, {"d2", "d1"}, "base+2");
  CHECK(ids(to_b) == Lines{"d1", "c1", "d2", "c2"});
  CHECK(rows_after({"d2", "d1"}, to_b) == Rows{"b"});

  auto one = downgrade(map, {"d2", "d1"}, "c2");
  CHECK(describe(one) == Lines{"down d2: {d2} -> {c2}"});
  CHECK(rows_after({"d2", "d1"}, one) == Rows{"c2", "d1"});
  CHECK(rows_after({"d2", "c1"}, downgrade(map, {"d2", "c1"}, "d2-1")) == Rows{"c1", "c2"});
  CHECK(downgrade(map, {"d1", "c2"}, "c2").empty());
  CHECK(downgrade(map, {"d1", "c2"}, "d1").empty());

  // Starting the other branch from a revision that is no longer a row.
  CHECK(describe(upgrade(map, {"c1"}, "c2")) == Lines{"up c2: {} -> {c2}"});
}

TEST_CASE("revision map plans across merge points with other heads present", "[revision_map]") {
  // Alembic's BranchFromMergepointTest.
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

  // BranchFrom3WayMergepointTest.
  auto three = build({{"a1", {}},
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
  auto merge = upgrade(three, {"d3", "b2", "b1"}, "d1");
  CHECK(describe(merge) ==
        Lines{"up c2: {b2} -> {c2}", "up c1: {b1} -> {c1}", "up d1: {c1, c2} -> {d1}"});
  CHECK(rows_after({"d3", "b2", "b1"}, merge) == Rows{"d1", "d3"});
  CHECK(rows_after({"d3", "d1"}, upgrade(three, {"d3", "d1"}, "d2")) == Rows{"d1", "d2", "d3"});
}

TEST_CASE("revision map plans a merged path in Alembic's order", "[revision_map]") {
  // Alembic's MergedPathTest, without its branch label.
  auto map = build({{"a", {}},
                    {"b", {"a"}},
                    {"c1", {"b"}},
                    {"d1", {"c1"}},
                    {"c2", {"b"}},
                    {"d2", {"c2"}},
                    {"e", {"d1", "d2"}},
                    {"f", {"e"}}});
  CHECK(describe(upgrade(map, {"b"}, "f")) == Lines{"up c2: {b} -> {c2}", "up d2: {c2} -> {d2}",
                                                    "up c1: {} -> {c1}", "up d1: {c1} -> {d1}",
                                                    "up e: {d1, d2} -> {e}", "up f: {e} -> {f}"});
  CHECK(describe(downgrade(map, {"f"}, "b")) ==
        Lines{"down f: {f} -> {e}", "down e: {e} -> {d1, d2}", "down d1: {d1} -> {c1}",
              "down c1: {c1} -> {}", "down d2: {d2} -> {c2}", "down c2: {c2} -> {b}"});
}

TEST_CASE("revision map plans a long branchy path in Alembic's order", "[revision_map]") {
  // Alembic's BranchTravellingTest.
  auto map = build({{"a1", {}},
                    {"a2", {"a1"}},
                    {"a3", {"a2"}},
                    {"b1", {"a3"}},
                    {"b2", {"a3"}},
                    {"cb1", {"b1"}},
                    {"cb2", {"b2"}},
                    {"db1", {"cb1"}},
                    {"db2", {"cb2"}},
                    {"e1b1", {"db1"}},
                    {"fe1b1", {"e1b1"}},
                    {"e2b1", {"db1"}},
                    {"e2b2", {"db2"}},
                    {"merge", {"e2b1", "e2b2"}}});
  // iter(merge, a1) reversed, without a1, which is applied.
  CHECK(ids(upgrade(map, {"a1"}, "merge")) ==
        Lines{"a2", "a3", "b2", "cb2", "db2", "e2b2", "b1", "cb1", "db1", "e2b1", "merge"});
  // iter([merge, fe1b1], a1)
  CHECK(ids(map.history()) == Lines{"fe1b1", "e1b1", "merge", "e2b1", "db1", "cb1", "b1", "e2b2",
                                    "db2", "cb2", "b2", "a3", "a2", "a1"});
}

TEST_CASE("revision map keeps no row below another when a merge names an ancestor",
          "[revision_map]") {
  // c revises b and also a, which b already revises. With another head
  // present Alembic's HeadMaintainer would restore both a and b on the way
  // down, leaving a row below another; we restore only b.
  auto map = build({{"a", {}}, {"b", {"a"}}, {"c", {"b", "a"}}, {"x", {}}});
  CHECK(describe(upgrade(map, {}, "c")) ==
        Lines{"up a: {} -> {a}", "up b: {a} -> {b}", "up c: {b} -> {c}"});
  CHECK(describe(downgrade(map, {"c", "x"}, "b")) == Lines{"down c: {c} -> {b}"});
}

TEST_CASE("revision map refuses plans while depends_on is unsupported", "[revision_map]") {
  auto revs = revisions({{"a", {}}, {"b", {"a"}}, {"c", {}}});
  revs[2].depends_on = {"a"};
  auto map = build(std::move(revs));
  auto err = upgrade_error(map, {}, "heads");
  CHECK(err.message() == "revision 'c' declares depends_on, which retort does not support yet");
  CHECK(downgrade_error(map, {"b"}, "base").message() == err.message());
  CHECK(ids(map.history()) == Lines{"b", "a", "c"});  // reading the graph still works
}

// ----------------------------------------------------------------- history

TEST_CASE("revision map lists history newest first", "[revision_map]") {
  auto map = path_map();
  std::vector<std::string> names;
  for (const Revision* rev : map.history()) names.push_back(alias(rev->id));
  CHECK(names == Lines{"e", "d", "c", "b", "a"});
}

TEST_CASE("revision map orders branched history as Alembic does", "[revision_map]") {
  // LongShortBranchTest
  CHECK(ids(build({{"a", {}},
                   {"b1", {"a"}},
                   {"b2", {"a"}},
                   {"c1", {"b1"}},
                   {"d11", {"c1"}},
                   {"d12", {"c1"}}})
                .history()) == Lines{"b2", "d11", "d12", "c1", "b1", "a"});
  // DiamondTest
  CHECK(ids(build({{"a", {}}, {"b1", {"a"}}, {"b2", {"a"}}, {"c", {"b1", "b2"}}, {"d", {"c"}}})
                .history()) == Lines{"d", "c", "b1", "b2", "a"});
  // MultipleBaseTest
  CHECK(ids(build({{"base1", {}},
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
                   {"mergeb3d2", {"b3", "d2"}}})
                .history()) == Lines{"b1a", "a1a", "b1b", "a1b", "base1", "mergeb3d2", "b3", "a3",
                                     "base3", "d2", "c2", "b2", "a2", "base2"});
}

TEST_CASE("revision map keeps every order topological on random graphs", "[revision_map]") {
  // Alembic's LargeMapTest as a property: random graphs with branches,
  // merges and several bases, loaded in a shuffled order.
  std::mt19937 random(20240601);
  for (int round = 0; round < 20; ++round) {
    const size_t n = 60 + random() % 200;
    std::vector<Revision> revs(n);
    for (size_t i = 0; i < n; ++i) {
      revs[i].id = fmt::format("rev{:04}", i);
      if (i == 0 || random() % 12 == 0) continue;  // a base
      std::set<size_t> parents{random() % i};
      if (random() % 5 == 0) parents.insert(random() % i);  // a merge
      for (size_t p : parents) revs[i].down_revisions.push_back(revs[p].id);
    }
    std::shuffle(revs.begin(), revs.end(), random);
    auto map = build(revs);

    std::map<std::string, size_t> position;
    auto history = map.history();
    REQUIRE(history.size() == n);
    for (size_t i = 0; i < n; ++i) position[history[i]->id] = i;
    REQUIRE(position.size() == n);
    for (const Revision* rev : history) {
      for (const auto& down : rev->down_revisions) CHECK(position[down] > position[rev->id]);
    }

    auto up = upgrade(map, {}, "heads");
    REQUIRE(up.size() == n);
    std::set<std::string> applied;
    for (const MigrationStep& step : up) {
      for (const auto& down : step.revision->down_revisions) CHECK(applied.count(down) == 1);
      applied.insert(step.revision->id);
    }
    const auto heads = map.heads();
    CHECK(rows_after({}, up) == Rows(heads.begin(), heads.end()));

    auto down = downgrade(map, heads, "base");
    CHECK(down.size() == n);
    CHECK(rows_after(heads, down).empty());
  }
}

// ------------------------------------------------------------------- scale

TEST_CASE("revision map builds and plans a 10k-revision linear history", "[revision_map]") {
  constexpr size_t kCount = 10000;
  auto id = [](size_t i) { return fmt::format("rev{:05}", i); };
  std::vector<Revision> revs(kCount);
  for (size_t i = 0; i < kCount; ++i) {
    revs[i].id = id(i);
    if (i > 0) revs[i].down_revisions = {id(i - 1)};
  }
  std::reverse(revs.begin(), revs.end());  // map order must not matter
  auto map = build(std::move(revs));
  CHECK(map.heads() == Lines{id(kCount - 1)});
  CHECK(map.bases() == Lines{id(0)});

  auto history = map.history();
  REQUIRE(history.size() == kCount);
  size_t misplaced = 0;
  for (size_t i = 0; i < kCount; ++i) misplaced += history[i]->id != id(kCount - 1 - i);
  CHECK(misplaced == 0);

  auto up = upgrade(map, {}, "head");
  REQUIRE(up.size() == kCount);
  CHECK(describe({up.front()}) == Lines{"up rev00000: {} -> {rev00000}"});
  size_t wrong = 0;
  for (size_t i = 1; i < kCount; ++i) {
    wrong += up[i].revision->id != id(i) || up[i].from_heads != Lines{id(i - 1)} ||
             up[i].to_heads != Lines{id(i)};
  }
  CHECK(wrong == 0);

  auto hundred = upgrade(map, {id(4999)}, "+100");
  REQUIRE(hundred.size() == 100);
  CHECK(hundred.front().revision->id == id(5000));
  CHECK(hundred.back().revision->id == id(5099));

  auto all_down = downgrade(map, {id(kCount - 1)}, "-10000");
  REQUIRE(all_down.size() == kCount);
  CHECK(all_down.front().revision->id == id(kCount - 1));
  CHECK(describe({all_down.back()}) == Lines{"down rev00000: {rev00000} -> {}"});
  CHECK(downgrade(map, {id(kCount - 1)}, id(10)).size() == kCount - 11);
  CHECK(upgrade_error(map, {id(kCount - 1)}, "+1").message() ==
        "Relative revision +1 didn't produce 1 migrations");

  CHECK(resolved(map, "rev09998") == "rev09998");
  CHECK_THAT(resolve_error(map, "rev0999").message(),
             Catch::StartsWith("Multiple revisions start with 'rev0999': 'rev09990', "));
}
