// The revision graph: building, validation and the facts the commands show.
// Fixtures and expectations are Alembic's (tests/test_revision.py) unless a
// comment says otherwise. Identifiers are in revision_resolution_test.cpp,
// iteration in revision_iterate_test.cpp, plans and stamps in
// version_traversal_test.cpp, large graphs in revision_scale_test.cpp.
#include "revision_test_support.hpp"

#include <algorithm>
#include <map>
#include <random>

using namespace revision_test;

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

TEST_CASE("revision map appends a new revision's head after the others", "[revision_map]") {
  // Alembic's add_revision_two_head: (c1, c2) plus d1 <- c1 gives (c2, d1).
  // Our map is rebuilt with the new revision last, which gives the same.
  CHECK(build({{"a", {}}, {"b", {"a"}}, {"c", {"b"}}, {"d", {"c"}}}).heads() == Lines{"d"});
  CHECK(build({{"a", {}}, {"b", {"a"}}, {"c1", {"b"}}, {"c2", {"b"}}, {"d1", {"c1"}}}).heads() ==
        Lines{"c2", "d1"});
}

TEST_CASE("revision map finds exact ids only", "[revision_map]") {
  auto map = build({{"e6239818bb3a", {}}, {"548bbb905360", {"e6239818bb3a"}}});
  REQUIRE(map.find("548bbb905360") != nullptr);
  CHECK(map.find("548bbb905360")->down_revisions == Lines{"e6239818bb3a"});
  CHECK(map.find("548b") == nullptr);
  CHECK(map.find("head") == nullptr);
}

TEST_CASE("revision map builds an empty map with no heads and no bases", "[revision_map]") {
  // Alembic's EmptyMapTest: iterate_revisions("head", "base") is empty.
  auto map = build(std::vector<Revision>{});
  CHECK(map.heads().empty());
  CHECK(map.bases().empty());
  CHECK(map.history().empty());
  CHECK(resolved(map, "head") == "base");
  CHECK(iterate(map, "head", "base").empty());
  CHECK(upgrade(map, {}, "head").empty());
  CHECK(upgrade(map, {}, "heads").empty());
  CHECK(downgrade(map, {}, "base").empty());
  CHECK(upgrade_error(map, {}, "+1").message() ==
        "Relative revision +1 didn't produce 1 migrations");
}

TEST_CASE("revision map reports a duplicate id", "[revision_map]") {
  // Alembic only warns "Revision a is present more than once" and keeps the
  // last one in the map but both among the heads.
  auto err = build_error({{"a", {}}, {"b", {"a"}}, {"a", {"b"}}});
  CHECK(err.message() == "revision 'a' is present more than once");
  CHECK(err.hint() == "each revision needs its own id; delete the copy or give it a new id");

  auto revs = revisions({{"a", {}}, {"b", {"a"}}, {"a", {"b"}}});
  revs[0].path = "versions/a_one.cpp";
  revs[1].path = "versions/b.cpp";
  revs[2].path = "versions/a_two.cpp";
  CHECK(build_error(revs).message() ==
        "revision 'a' is present more than once, in 'versions/a_one.cpp', 'versions/a_two.cpp'");
}

TEST_CASE("of two repeated ids the revision map names the one repeated first in map order",
          "[revision_map]") {
  // b a b a: the second b comes before the second a, though a sorts first.
  CHECK(build_error({{"b", {}}, {"a", {"b"}}, {"b", {"a"}}, {"a", {"b"}}}).message() ==
        "revision 'b' is present more than once");
  CHECK(build_error({{"b", {}}, {"a", {"b"}}, {"a", {"b"}}, {"b", {"a"}}}).message() ==
        "revision 'a' is present more than once");
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

TEST_CASE("revision map refuses a branch label as a down_revision", "[revision_map]") {
  // Alembic links it to the labeled revision for ordering but not for the
  // version table; we ask for the id.
  auto err = build_error({{"a", {}, {"lib"}}, {"b", {"lib"}}});
  CHECK(err.message() == "revision 'b' names branch label 'lib' as its down_revision");
  CHECK(err.hint() == "a down_revision is a revision id; write 'a'");
}

TEST_CASE("revision map refuses a down_revision named twice", "[revision_map]") {
  CHECK(build_error({{"a", {}}, {"b", {"a", "a"}}}).message() ==
        "revision 'b' names 'a' more than once as its down_revision");
}

TEST_CASE("revision map reports a self-loop with Alembic's message", "[revision_map]") {
  // GraphWithLoopTest
  CHECK(build_error({{"a", {"a"}}}).message() == "Self-loop is detected in revisions (a)");
  CHECK(build_error({{"a", {"a"}}, {"b", {"a"}}, {"c", {"b"}}}).message() ==
        "Self-loop is detected in revisions (a)");
  CHECK(build_error({{"a", {}}, {"b", {"a"}}, {"c", {"b", "c"}}}).message() ==
        "Self-loop is detected in revisions (c)");
  CHECK(build_error({{"a", {}}, {"b", {"a", "b"}}, {"c", {"b"}}}).message() ==
        "Self-loop is detected in revisions (b)");
  CHECK(
      build_error({{"a", {}}, {"b1", {"a"}}, {"b2", {"a"}}, {"c", {"b1", "b2", "c"}}}).message() ==
      "Self-loop is detected in revisions (c)");
}

TEST_CASE("revision map reports a dependency self-loop with Alembic's message", "[revision_map]") {
  // GraphWithLoopTest: base, head, branch point and merge point variants.
  const std::string message = "Dependency self-loop is detected in revisions ";
  CHECK(build_error({{"a", {}, {}, {"a"}}}).message() == message + "(a)");
  CHECK(build_error({{"a", {}, {}, {"a"}}, {"b", {"a"}}, {"c", {"b"}}}).message() ==
        message + "(a)");
  CHECK(build_error({{"a", {}}, {"b", {"a"}}, {"c", {"b"}, {}, {"c"}}}).message() ==
        message + "(c)");
  CHECK(build_error({{"a", {}}, {"b", {"a"}, {}, {"b"}}, {"c1", {"b"}}, {"c2", {"b"}}}).message() ==
        message + "(b)");
  CHECK(build_error({{"a", {}}, {"b1", {"a"}}, {"b2", {"a"}}, {"c", {"b1", "b2"}, {}, {"c"}}})
            .message() == message + "(c)");
  // Through the revision's own label, which Alembic reports as a cycle.
  auto err = build_error({{"a", {}}, {"b", {"a"}, {"blib"}, {"blib"}}});
  CHECK(err.message() == message + "(b)");
  CHECK(err.hint() == "'blib' names the revision itself; remove it from depends_on");
}

TEST_CASE("revision map reports a cycle with every revision on or above it", "[revision_map]") {
  // GraphWithCycleTest
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

TEST_CASE("revision map reports a dependency cycle apart from a cycle", "[revision_map]") {
  // GraphWithCycleTest, the depends_on variants.
  CHECK(build_error({{"a", {}, {}, {"c"}}, {"b", {"a"}}, {"c", {"b"}}}).message() ==
        "Dependency cycle is detected in revisions (a, b, c)");
  CHECK(build_error({{"a", {}, {}, {"c"}}, {"b", {"a"}}, {"c", {"b"}}, {"d", {}}, {"e", {"d"}}})
            .message() == "Dependency cycle is detected in revisions (a, b, c)");
  CHECK(build_error({{"a", {}, {}, {"c"}}, {"b", {"a"}}, {"c", {"b"}}, {"d", {"c"}}, {"e", {"d"}}})
            .message() == "Dependency cycle is detected in revisions (a, b, c, d, e)");
  auto err =
      build_error({{"a", {}}, {"b", {"a"}}, {"c", {"b"}, {}, {"e"}}, {"d", {"c"}}, {"e", {"d"}}});
  CHECK(err.message() == "Dependency cycle is detected in revisions (a, b, c, d, e)");
  CHECK(err.hint() ==
        "following down_revision and depends_on from these revisions leads back to them; "
        "remove the depends_on that closes the loop");
}

// Not Alembic's: its _detect_cycles only finds revisions cut off from every
// head or base, so these loops pass it (and then no order exists: history
// dropped x1..x3 and `upgrade head` ran only x4).
TEST_CASE("revision map refuses a dependency cycle that a base leads into and a head out of",
          "[revision_map]") {
  // x2 depends_on x3, which revises x2.
  auto err = build_error({{"x1", {}}, {"x2", {"x1"}, {}, {"x3"}}, {"x3", {"x2"}}, {"x4", {"x3"}}});
  CHECK(err.message() == "Dependency cycle is detected in revisions (x2, x3)");
  CHECK(err.hint() ==
        "each of these revisions revises or depends on the next, and the last on the first "
        "('x2' depends on 'x3'); remove the depends_on that closes the loop");
  // The same through a label and a prefix of the later revision.
  CHECK(build_error(
            {{"x1", {}}, {"x2", {"x1"}, {}, {"shop"}}, {"x3", {"x2"}, {"shop"}}, {"x4", {"x3"}}})
            .message() == "Dependency cycle is detected in revisions (x2, x3)");
  CHECK(build_error({{"root", {}},
                     {"a1", {"root"}, {}, {"c3d4"}},
                     {"b2", {"a1"}},
                     {"c3d4e5", {"b2"}},
                     {"tip", {"c3d4e5"}}})
            .message() == "Dependency cycle is detected in revisions (a1, c3d4e5, b2)");
}

TEST_CASE("revision map refuses a down_revision cycle that a merge leads into", "[revision_map]") {
  // c revises b and e, e revises d, d revises c; f, above e, is the head.
  auto err = build_error(
      {{"a", {}}, {"b", {"a"}}, {"c", {"b", "e"}}, {"d", {"c"}}, {"e", {"d"}}, {"f", {"e"}}});
  CHECK(err.message() == "Cycle is detected in revisions (c, e, d)");
  CHECK(err.hint() ==
        "each of these revisions names the next as its down_revision, and the last names the "
        "first; correct the down_revision that closes the loop");
}

TEST_CASE("revision map names a long cycle's first ten revisions in order", "[revision_map]") {
  // r02 depends on r14, twelve revisions above it.
  std::vector<Revision> revs = revisions({{"r00", {}}});
  for (int i = 1; i <= 15; ++i) {
    Revision rev;
    rev.id = fmt::format("r{:02}", i);
    rev.down_revisions = {fmt::format("r{:02}", i - 1)};
    if (i == 2) rev.depends_on = {"r14"};
    revs.push_back(std::move(rev));
  }
  auto err = build_error(std::move(revs));
  CHECK(err.message() ==
        "Dependency cycle is detected in revisions (r02, r14, r13, r12, r11, r10, r09, r08, r07, "
        "r06, ... and 3 more)");
  CHECK_THAT(err.hint(), Catch::Contains("('r02' depends on 'r14')"));
}

TEST_CASE("revision map accepts a depends_on on a later revision of another branch",
          "[revision_map]") {
  const RevisionMap map = build({{"a", {}}, {"b", {"a"}, {}, {"d"}}, {"c", {}}, {"d", {"c"}}});
  CHECK(map.history().size() == 4);
  CHECK(map.heads(true) == Lines{"b"});
}

TEST_CASE("revision map refuses separator characters in an id", "[revision_map]") {
  CHECK(build_error({{"no@atsigns-ordashes", {}}}).message() ==
        "Character(s) '-, @' not allowed in revision identifier 'no@atsigns-ordashes'");
  CHECK(build_error({{"a", {}}, {"b+c:d", {"a"}}}).message() ==
        "Character(s) '+, :' not allowed in revision identifier 'b+c:d'");
  // A space would split the id into a tuple of identifiers; Alembic allows it.
  CHECK(build_error({{"a b", {}}}).message() ==
        "Character(s) 'space' not allowed in revision identifier 'a b'");
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

TEST_CASE("revision map reports a branch label used twice", "[revision_map]") {
  // LabeledBranchTest.dupe_branch_collection: Alembic reports either
  // revision, in set order; we report the later one in map order.
  auto err = build_error({{"a", {}},
                          {"b", {"a"}},
                          {"c", {"b"}, {"xy1"}},
                          {"d", {}},
                          {"e", {"d"}, {"xy1"}},
                          {"f", {"e"}}});
  CHECK(err.message() == "Branch name 'xy1' in revision e already used by revision c");
  CHECK(err.hint() ==
        "a branch label must differ from every revision id and every other label; rename one "
        "of them");
  // A label is a key of the map, like an id.
  CHECK(build_error({{"a", {}}, {"b", {"a"}, {"a"}}}).message() ==
        "Branch name 'a' in revision b already used by revision a");
  CHECK(build_error({{"a", {}, {"c"}}, {"c", {"a"}}}).message() ==
        "Branch name 'c' in revision a already used by revision c");
}

TEST_CASE("revision map refuses a branch label no identifier can name", "[revision_map]") {
  // Alembic accepts these; "x@y" is read as a branch and a revision.
  auto err = build_error({{"a", {}, {"x@y"}}});
  CHECK(err.message() == "branch label 'x@y' of revision 'a' cannot be used in an identifier");
  CHECK(err.hint() ==
        "branch labels may not be 'base', 'current', 'head' or 'heads', nor contain '@', ':' or "
        "white space");
  CHECK(build_error({{"a", {}, {"heads"}}}).message() ==
        "branch label 'heads' of revision 'a' cannot be used in an identifier");
  CHECK(build_error({{"a", {}, {""}}}).message() == "revision 'a' declares an empty branch label");
}

TEST_CASE("revision map reports a dependency that names nothing", "[revision_map]") {
  // Alembic raises a bare KeyError('nope').
  auto revs = revisions({{"a", {}}, {"b", {"a"}, {}, {"nope"}}});
  revs[1].path = "versions/b.cpp";
  auto err = build_error(revs);
  CHECK(err.message() == "revision 'b' depends on 'nope': No such revision or branch 'nope'");
  CHECK(err.hint() ==
        "depends_on names a revision id, a branch label or a unique prefix; correct it in "
        "'versions/b.cpp'");
  CHECK(build_error({{"abcd1", {}}, {"abcd2", {}}, {"c", {}, {}, {"abcd"}}}).message() ==
        "revision 'c' depends on 'abcd': Multiple revisions start with 'abcd': 'abcd1', "
        "'abcd2'");
}

TEST_CASE("revision map resolves dependencies by id, label or unique prefix", "[revision_map]") {
  // Alembic takes ids and labels; a unique prefix is our addition (its
  // `revision` command completes prefixes before writing the file).
  auto map = build({{"a1", {}, {"lib"}},
                    {"b1", {"a1"}},
                    {"a2aa", {}},
                    {"x", {}, {}, {"lib"}},
                    {"y", {}, {}, {"a2a"}},
                    {"z", {}, {}, {"b1"}}});
  CHECK(map.heads(false) == Lines{"b1", "a2aa", "x", "y", "z"});
  CHECK(map.heads(true) == Lines{"x", "y", "z"});
  CHECK(iterate(map, "x", "base") == Lines{"x", "a1"});
  CHECK(iterate(map, "y", "base") == Lines{"y", "a2aa"});
  CHECK(iterate(map, "z", "base") == Lines{"z", "b1", "a1"});
}

// ------------------------------------------------------------ graph facts

TEST_CASE("revision map tells effective heads from real heads", "[revision_map]") {
  // MultipleBaseCrossDependencyTestOne: a3 is depended on but has a child,
  // so it is no head of either kind.
  auto map = cross_dependency_map();
  CHECK(map.heads(false) == Lines{"b1a", "b1b", "d2", "b3"});
  CHECK(map.heads(true) == Lines{"b1a", "b1b", "d2", "b3"});
  CHECK_FALSE(map.is_effective_head("b3"));

  // MultipleBranchEffectiveHead: x1 is only depended on once x2 is gone.
  auto effective = build({{"y1", {}, {"y"}}, {"x1", {}, {"x"}}, {"y2", {"y1"}, {}, {"x1"}}});
  CHECK(effective.heads(false) == Lines{"x1", "y2"});
  CHECK(effective.heads(true) == Lines{"y2"});
  CHECK(effective.is_effective_head("x1"));
  CHECK_FALSE(effective.is_effective_head("y2"));
  CHECK_FALSE(effective.is_effective_head("y1"));
  CHECK_FALSE(effective.is_effective_head("nope"));
}

TEST_CASE("revision map finds branch points and merge points", "[revision_map]") {
  auto map = build({{"a", {}},
                    {"b", {"a"}},
                    {"c1", {"b"}},
                    {"c2", {"b"}},
                    {"d", {"c1", "c2"}},
                    {"e", {}, {}, {"d"}}});
  CHECK(map.is_branch_point("b"));
  CHECK_FALSE(map.is_branch_point("a"));
  CHECK_FALSE(map.is_branch_point("d"));  // a dependent is not a child
  CHECK(map.is_merge_point("d"));
  CHECK_FALSE(map.is_merge_point("e"));
  CHECK_FALSE(map.is_merge_point("nope"));
  CHECK(map.heads(false) == Lines{"d", "e"});
  CHECK(map.heads(true) == Lines{"e"});
  CHECK(map.bases() == Lines{"a", "e"});
}

TEST_CASE("revision map propagates a label along its segment", "[revision_map]") {
  // LabeledBranchTest's map: d carries ebranch, hence "ebranch@d".
  auto map = labeled_map();
  for (const char* id : {"a", "b", "somelongername", "c"}) {
    INFO(id);
    CHECK(map.branch_labels(id) == Lines{"abranch"});
  }
  for (const char* id : {"d", "e", "someothername", "f"}) {
    INFO(id);
    CHECK(map.branch_labels(id) == Lines{"ebranch"});
  }
  CHECK(map.branch_labels("nope").empty());
}

TEST_CASE("revision map stops a label at branch points and merge points", "[revision_map]") {
  // Down the segment only to the branch point, which stays unlabeled; up
  // through every descendant, across merges.
  auto map = build({{"a", {}},
                    {"b", {"a"}},
                    {"c1", {"b"}, {"c1branch"}},
                    {"d1", {"c1"}},
                    {"c2", {"b"}},
                    {"d", {"d1", "c2"}},
                    {"e", {"d"}}});
  CHECK(map.branch_labels("c1") == Lines{"c1branch"});
  CHECK(map.branch_labels("d1") == Lines{"c1branch"});
  CHECK(map.branch_labels("d") == Lines{"c1branch"});
  CHECK(map.branch_labels("e") == Lines{"c1branch"});
  CHECK(map.branch_labels("b").empty());
  CHECK(map.branch_labels("c2").empty());

  // A label whose descendants fork labels nothing below it.
  auto fork = build({{"a", {}}, {"b", {"a"}, {"lib"}}, {"c1", {"b"}}, {"c2", {"b"}}});
  CHECK(fork.branch_labels("a").empty());
  CHECK(fork.branch_labels("c2") == Lines{"lib"});
  // Nor does one that a dependent makes a branch point (a "real" one).
  auto dependent = build({{"a", {}}, {"b", {"a"}}, {"c", {"b"}, {"lib"}}, {"x", {}, {}, {"b"}}});
  CHECK(dependent.branch_labels("c") == Lines{"lib"});
  CHECK(dependent.branch_labels("b").empty());
  // Labels met on the way are passed on with the revision's own.
  auto two = build({{"a", {}, {"one"}}, {"b", {"a"}}, {"c", {"b"}, {"two"}}, {"d", {"c"}}});
  CHECK(two.branch_labels("a") == Lines{"one", "two"});
  CHECK(two.branch_labels("d") == Lines{"one", "two"});
}

// ----------------------------------------------------------------- history

TEST_CASE("revision map lists history newest first", "[revision_map]") {
  auto map = build({{"a", {}}, {"b", {"a"}}, {"c", {"b"}}, {"d", {"c"}}, {"e", {"d"}}});
  CHECK(ids(map.history()) == Lines{"e", "d", "c", "b", "a"});
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
  CHECK(ids(multiple_base_map().history()) == Lines{"b1a", "a1a", "b1b", "a1b", "base1",
                                                    "mergeb3d2", "b3", "a3", "base3", "d2", "c2",
                                                    "b2", "a2", "base2"});
  // MultipleBaseCrossDependencyTestThree: history starts from real heads.
  CHECK(ids(build({{"base1", {}},
                   {"a1", {"base1"}},
                   {"b1", {"a1"}},
                   {"c2", {}, {}, {"a1"}},
                   {"c3", {"c2"}}})
                .history()) == Lines{"b1", "c3", "c2", "a1", "base1"});
}

namespace {

// A random graph with branches, merges, several bases, labels and
// depends_on, loaded in a shuffled order.
std::vector<Revision> random_graph(std::mt19937& random, size_t n) {
  std::vector<Revision> revs(n);
  for (size_t i = 0; i < n; ++i) {
    revs[i].id = fmt::format("rev{:04}", i);
    if (random() % 15 == 0) revs[i].branch_labels = {fmt::format("lib{}", i)};
    if (i > 0 && random() % 8 == 0) {
      const Revision& dep = revs[random() % i];
      revs[i].depends_on = {dep.branch_labels.empty() ? dep.id : dep.branch_labels.front()};
    }
    if (i == 0 || random() % 12 == 0) continue;  // a base
    std::set<size_t> parents{random() % i};
    if (random() % 5 == 0) parents.insert(random() % i);  // a merge
    for (size_t p : parents) revs[i].down_revisions.push_back(revs[p].id);
  }
  std::shuffle(revs.begin(), revs.end(), random);
  return revs;
}

}  // namespace

TEST_CASE("revision map keeps every order topological on random graphs", "[revision_map]") {
  // Alembic's LargeMapTest as a property: every revision comes once, after
  // the revisions it revises and depends on.
  std::mt19937 random(20240601);
  for (int round = 0; round < 20; ++round) {
    const size_t n = 60 + random() % 200;
    auto map = build(random_graph(random, n));
    std::map<std::string, std::vector<std::string>> needs;
    for (const Revision& rev : map.revisions()) {
      needs[rev.id] = rev.down_revisions;
      for (const std::string& dep : rev.depends_on) {
        auto named = map.resolve(dep);
        REQUIRE(named);
        needs[rev.id].push_back((*named)->id);
      }
    }

    std::map<std::string, size_t> position;
    auto history = map.history();
    REQUIRE(history.size() == n);
    for (size_t i = 0; i < n; ++i) position[history[i]->id] = i;
    REQUIRE(position.size() == n);
    size_t misplaced = 0;
    for (const auto& [id, below] : needs) {
      for (const auto& down : below) misplaced += position[down] < position[id];
    }
    CHECK(misplaced == 0);

    auto up = upgrade(map, {}, "heads");
    REQUIRE(up.size() == n);
    std::set<std::string> applied;
    size_t early = 0;
    for (const MigrationStep& step : up) {
      for (const auto& down : needs[step.revision->id]) early += applied.count(down) == 0;
      applied.insert(step.revision->id);
    }
    CHECK(early == 0);
    const auto heads = map.heads(true);
    CHECK(rows_after({}, up) == Rows(heads.begin(), heads.end()));

    auto down = downgrade(map, heads, "base");
    CHECK(down.size() == n);
    CHECK(rows_after(heads, down).empty());
  }
}
