// RevisionMap.iterate_revisions(upper, lower, ...): which revisions lie
// between two identifiers and in which order, and history ranges built on
// it. Scenarios are Alembic's tests/test_revision.py, written out in full;
// kInclusive marks those that go through its _assert_iteration helper,
// which defaults to inclusive=True.
#include "revision_test_support.hpp"

using namespace revision_test;

namespace {

constexpr IterateOptions kImplicitBase{.implicit_base = true};
constexpr IterateOptions kInclusiveImplicitBase{.implicit_base = true, .inclusive = true};

}  // namespace

TEST_CASE("iterate_revisions tolerates a repeated target", "[revision_map]") {
  auto map = build({{"a", {}}, {"b", {"a"}}, {"c", {"b"}}});
  CHECK(iterate(map, "c c", "a") == Lines{"c", "b"});
}

TEST_CASE("iterate_revisions drains a diamond first parent first", "[revision_map]") {
  auto map = build({{"a", {}}, {"b1", {"a"}}, {"b2", {"a"}}, {"c", {"b1", "b2"}}, {"d", {"c"}}});
  CHECK(iterate(map, "d", "a", kInclusive) == Lines{"d", "c", "b1", "b2", "a"});
}

TEST_CASE("iterate_revisions follows branch labels", "[revision_map]") {
  // LabeledBranchTest
  auto map = labeled_map();
  const Lines e_line{"f", "someothername", "e", "d"};
  const Lines a_line{"c", "somelongername", "b", "a"};
  CHECK(iterate(map, "heads", "ebranch@base", kInclusive) == e_line);
  CHECK(iterate(map, "heads", "abranch@base", kInclusive) == a_line);
  CHECK(iterate(map, "ebranch@head", "base", kInclusive) == e_line);
  CHECK(iterate(map, "abranch@head", "base", kInclusive) == a_line);
  CHECK(iterate(map, "heads", "ebranch@head", kInclusive) == Lines{"f"});
  CHECK(iterate(map, "heads", "ebranch@d", kInclusive) == e_line);
  CHECK(iterate(map, "heads", "e@base", kInclusive) == e_line);
  CHECK(iterate(map, "heads", "c@base", kInclusive) == a_line);
  CHECK(iterate(map, "heads", "ebranch@-2", kInclusive) == Lines{"f", "someothername", "e"});
  CHECK(iterate(map, "ebranch@+2", "base", kInclusive) == Lines{"e", "d"});
}

TEST_CASE("iterate_revisions refuses a revision as a branch unless it has one label",
          "[revision_map]") {
  // Alembic asserts the revision carries exactly one label.
  auto map = build({{"a", {}}, {"b", {"a"}}});
  auto err = iterate_error(map, "heads", "b@base", kInclusive);
  CHECK(err.message() == "revision b names a branch in 'b@base' but carries no branch labels");
  CHECK(err.hint() == "name a branch label before '@'");
}

TEST_CASE("iterate_revisions orders a long and a short branch", "[revision_map]") {
  auto map = build(
      {{"a", {}}, {"b1", {"a"}}, {"b2", {"a"}}, {"c1", {"b1"}}, {"d11", {"c1"}}, {"d12", {"c1"}}});
  CHECK(iterate(map, "heads", "base", kInclusive) == Lines{"b2", "d11", "d12", "c1", "b1", "a"});
}

TEST_CASE("iterate_revisions walks several branches and merges", "[revision_map]") {
  // MultipleBranchTest
  auto map = build({{"a", {}},
                    {"b1", {"a"}},
                    {"b2", {"a"}},
                    {"cb1", {"b1"}},
                    {"cb2", {"b2"}},
                    {"d1cb1", {"cb1"}},
                    {"d2cb1", {"cb1"}},
                    {"d1cb2", {"cb2"}},
                    {"d2cb2", {"cb2"}},
                    {"d3cb2", {"cb2"}},
                    {"d1d2cb2", {"d1cb2", "d2cb2"}}});
  CHECK(iterate(map, "d1d2cb2", "a", kInclusive) ==
        Lines{"d1d2cb2", "d1cb2", "d2cb2", "cb2", "b2", "a"});
  CHECK(iterate(map, "d2cb2 d3cb2", "a", kInclusive) == Lines{"d2cb2", "d3cb2", "cb2", "b2", "a"});
  CHECK(iterate(map, "d3cb2", "a", kInclusive) == Lines{"d3cb2", "cb2", "b2", "a"});
  CHECK(iterate(map, "d3cb2", "base", kInclusive) == Lines{"d3cb2", "cb2", "b2", "a"});
  CHECK(iterate(map, "d3cb2 cb1", "base", kInclusive) ==
        Lines{"cb1", "b1", "d3cb2", "cb2", "b2", "a"});
  // d1cb1 is dropped: it is not a descendant of b2.
  CHECK(iterate(map, "d1cb1 d2cb2 d3cb2", "b2", kInclusive) ==
        Lines{"d2cb2", "d3cb2", "cb2", "b2"});

  CHECK(iterate_error(map, "b1", "d1cb1").message() ==
        "Revision d1cb1 is not an ancestor of revision b1");
  CHECK(iterate_error(map, "d2cb2", "b1").message() ==
        "Revision b1 is not an ancestor of revision d2cb2");
  CHECK(iterate_error(map, "", "d1cb1").message() ==
        "Revision d1cb1 is not an ancestor of revision base");
}

TEST_CASE("iterate_revisions selects a downgrade from an effective head", "[revision_map]") {
  // MultipleBranchEffectiveHead, all with select_for_downgrade.
  auto map =
      build({{"y1", {}, {"y"}}, {"x1", {}, {"x"}}, {"y2", {"y1"}, {}, {"x1"}}, {"x2", {"x1"}}});
  CHECK(iterate(map, "x2 y2", "x@-1", kDowngrade) == Lines{"x2"});
  CHECK(iterate(map, "x1 y2", "x@-1", kDowngrade) == Lines{"y2", "x1"});
  CHECK(iterate(map, "y2", "x@-1", kDowngrade) == Lines{"y2", "x1"});
}

TEST_CASE("iterate_revisions travels branches in Alembic's order", "[revision_map]") {
  // BranchTravellingTest
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
  CHECK(iterate(map, "merge", "db1", kInclusiveImplicitBase) ==
        Lines{"merge", "e2b1", "db1", "e2b2", "db2", "cb2", "b2"});
  CHECK(iterate(map, "merge fe1b1", "a3", kInclusive) == Lines{"fe1b1", "e1b1", "merge", "e2b1",
                                                               "db1", "cb1", "b1", "e2b2", "db2",
                                                               "cb2", "b2", "a3"});
  CHECK(iterate(map, "merge", "a1", kInclusive) ==
        Lines{"merge", "e2b1", "db1", "cb1", "b1", "e2b2", "db2", "cb2", "b2", "a3", "a2", "a1"});
  CHECK(iterate(map, "merge", "b1", kInclusive) == Lines{"merge", "e2b1", "db1", "cb1", "b1"});
  CHECK(iterate(map, "merge", "a2", kInclusive) ==
        Lines{"merge", "e2b1", "db1", "cb1", "b1", "e2b2", "db2", "cb2", "b2", "a3", "a2"});
  CHECK(iterate(map, "merge fe1b1", "a1", kInclusive) == Lines{"fe1b1", "e1b1", "merge", "e2b1",
                                                               "db1", "cb1", "b1", "e2b2", "db2",
                                                               "cb2", "b2", "a3", "a2", "a1"});
  CHECK(iterate(map, "merge fe1b1", "cb1 cb2", kInclusive) ==
        Lines{"fe1b1", "e1b1", "merge", "e2b1", "db1", "cb1", "e2b2", "db2", "cb2"});
  CHECK(iterate(map, "merge fe1b1", "cb1 cb2") ==
        Lines{"fe1b1", "e1b1", "merge", "e2b1", "db1", "e2b2", "db2"});

  auto err = iterate_error(map, "db1 b2 fe1b1", "");
  CHECK(err.message() == "Requested revision fe1b1 overlaps with other requested revisions db1");
  CHECK(err.hint() == "'fe1b1' lies above 'db1'; name only one revision per line of descent");
  CHECK(iterate(map, "e2b1 b2 fe1b1", "") ==
        Lines{"b2", "fe1b1", "e1b1", "e2b1", "db1", "cb1", "b1", "a3", "a2", "a1"});
  CHECK(iterate(map, "fe1b1", "base") ==
        Lines{"fe1b1", "e1b1", "db1", "cb1", "b1", "a3", "a2", "a1"});
}

TEST_CASE("iterate_revisions walks several bases", "[revision_map]") {
  // MultipleBaseTest
  auto map = multiple_base_map();
  const Lines all{"b1a", "a1a",   "b1b", "a1b", "base1", "mergeb3d2", "b3",
                  "a3",  "base3", "d2",  "c2",  "b2",    "a2",        "base2"};
  CHECK(iterate(map, "heads", "base", kInclusive) == all);
  CHECK(iterate(map, "heads", "base") == all);
  CHECK(iterate(map, "heads", "", kInclusive) == all);
  CHECK(iterate_error(map, "c2", "a2 b2").message() ==
        "Requested revision b2 overlaps with other requested revisions a2");
  CHECK(iterate(map, "heads", "c2", kImplicitBase) ==
        Lines{"b1a", "a1a", "b1b", "a1b", "base1", "mergeb3d2", "b3", "a3", "base3", "d2"});
  CHECK(iterate(map, "heads", "c2") == Lines{"mergeb3d2", "d2"});
  CHECK(iterate(map, "heads", "c2", kInclusiveImplicitBase) ==
        Lines{"b1a", "a1a", "b1b", "a1b", "base1", "mergeb3d2", "b3", "a3", "base3", "d2", "c2"});
  CHECK(iterate(map, "b3", "base3", kInclusive) == Lines{"b3", "a3", "base3"});
  CHECK(iterate(map, "b3 b2", "base3", kImplicitBase) == Lines{"b2", "a2", "base2", "b3", "a3"});
}

TEST_CASE("iterate_revisions follows dependencies across bases", "[revision_map]") {
  // MultipleBaseCrossDependencyTestOne
  auto map = cross_dependency_map();
  const Lines all{"b1a", "a1a", "b1b",   "a1b", "base1", "d2",   "c2",
                  "b2",  "a2",  "base2", "b3",  "a3",    "base3"};
  CHECK(iterate(map, "heads", "base", kInclusive) == all);
  CHECK(iterate(map, "heads", "base", kInclusiveDowngrade) == all);
  CHECK(iterate_error(map, "b2", "d2").message() ==
        "Revision d2 is not an ancestor of revision b2");
  CHECK(iterate_error(map, "b3", "d2").message() ==
        "Revision d2 is not an ancestor of revision b3");

  CHECK(iterate(map, "b_2@head", "base", kInclusive) ==
        Lines{"d2", "c2", "b2", "a2", "base2", "a3", "base3"});
  CHECK(iterate(map, "b_2@head", "b_2@base", kInclusiveDowngrade) ==
        Lines{"d2", "c2", "b2", "a2", "base2"});
  CHECK(iterate(map, "b_3@head", "base", kInclusive) == Lines{"b3", "a3", "base3"});
  CHECK(iterate(map, "b_3@head", "base", kInclusiveDowngrade) == Lines{"b3", "a3", "base3"});
  CHECK(iterate(map, "b1b@head", "base", kInclusive) ==
        Lines{"b1b", "a1b", "base1", "a3", "base3"});
  CHECK(iterate(map, "b1b@head", "b1b@base", kInclusiveDowngrade) == Lines{"b1b", "a1b", "base1"});
  CHECK(iterate(map, "heads", "b_2@base", kInclusive) ==
        Lines{"d2", "c2", "b2", "a2", "base2", "a3", "base3"});
  CHECK(iterate(map, "heads", "b_2@base", kInclusiveDowngrade) ==
        Lines{"d2", "c2", "b2", "a2", "base2"});
  CHECK(iterate(map, "heads", "b_3@base", kInclusive) == Lines{"b3", "a3", "base3"});
  // Dropping a3 drops what depends on it first.
  CHECK(iterate(map, "heads", "b_3@base", kInclusiveDowngrade) ==
        Lines{"b1b", "d2", "c2", "b3", "a3", "base3"});
}

TEST_CASE("iterate_revisions follows a base that depends on a branch", "[revision_map]") {
  // MultipleBaseCrossDependencyTestTwo
  auto map = build({{"base1", {}, {"b_1"}},
                    {"a1", {"base1"}},
                    {"b1", {"a1"}},
                    {"c1", {"b1"}},
                    {"base2", {}, {"b_2"}, {"b_1"}},
                    {"a2", {"base2"}},
                    {"b2", {"a2"}},
                    {"c2", {"b2"}},
                    {"d2", {"c2"}},
                    {"base3", {}, {"b_3"}},
                    {"a3", {"base3"}},
                    {"b3", {"a3"}},
                    {"c3", {"b3"}, {}, {"b2"}},
                    {"d3", {"c3"}}});
  CHECK(map.heads(false) == Lines{"c1", "d2", "d3"});
  CHECK(iterate(map, "heads", "base", kInclusive) == Lines{"c1", "b1", "a1", "d2", "c2", "d3", "c3",
                                                           "b3", "a3", "base3", "b2", "a2", "base2",
                                                           "base1"});
  CHECK(iterate(map, "b_2@head", "base", kInclusive) ==
        Lines{"d2", "c2", "b2", "a2", "base2", "base1"});
  CHECK(iterate(map, "b_3@head", "base", kInclusive) ==
        Lines{"d3", "c3", "b3", "a3", "base3", "b2", "a2", "base2", "base1"});
  CHECK(iterate(map, "b_1@head", "base", kInclusive) == Lines{"c1", "b1", "a1", "base1"});
  CHECK(iterate(map, "heads", "b_1@base", kInclusive) == Lines{"c1", "b1", "a1", "base1"});
  CHECK(iterate(map, "heads", "b_2@base", kInclusive) ==
        Lines{"d2", "c2", "b2", "a2", "base2", "base1"});
  CHECK(iterate(map, "heads", "b_3@base", kInclusive) ==
        Lines{"d3", "c3", "b3", "a3", "base3", "b2", "a2", "base2", "base1"});
}

TEST_CASE("iterate_revisions follows a base that depends on another line", "[revision_map]") {
  // MultipleBaseCrossDependencyTestThree
  auto map = build(
      {{"base1", {}}, {"a1", {"base1"}}, {"b1", {"a1"}}, {"c2", {}, {}, {"a1"}}, {"c3", {"c2"}}});
  CHECK(iterate(map, "heads", "base", kInclusive) == Lines{"b1", "c3", "c2", "a1", "base1"});
}

TEST_CASE("iterate_revisions handles names that overlap but do not loop", "[revision_map]") {
  // GraphWithLoopTest's non-loops (#784).
  CHECK(iterate(build({{"user_foo", {}}, {"user", {"user_foo"}, {}, {"user_foo"}}}), "heads", "",
                kInclusive) == Lines{"user", "user_foo"});
  CHECK(iterate(build({{"user_foo", {}}, {"user", {"user_foo"}}}), "heads", "", kInclusive) ==
        Lines{"user", "user_foo"});
  CHECK(iterate(build({{"user_foo", {}}, {"user", {}, {}, {"user_foo"}}}), "heads", "",
                kInclusive) == Lines{"user", "user_foo"});
}

TEST_CASE("iterate_revisions drops a dependency an ancestor already declares", "[revision_map]") {
  // NormalizedDownRevTest: b4's dependency on a3 is implied by b2's.
  auto map = build({{"a1", {}},
                    {"a2", {"a1"}},
                    {"a3", {"a2"}},
                    {"b1", {}},
                    {"b2", {"b1"}, {}, {"a3"}},
                    {"b3", {"b2"}},
                    {"b4", {"b3"}, {}, {"a3"}},
                    {"b5", {"b4"}, {}, {"b4"}}});
  CHECK(iterate(map, "b4", "b1@base", kInclusiveDowngrade) == Lines{"b4", "b3", "b2", "b1"});
  CHECK(iterate(map, "heads", "base", kInclusiveDowngrade) ==
        Lines{"b5", "b4", "b3", "b2", "b1", "a3", "a2", "a1"});
  CHECK(iterate(map, "heads", "a2", kInclusiveDowngrade) ==
        Lines{"b5", "b4", "b3", "b2", "a3", "a2"});
  constexpr IterateOptions kAll{
      .implicit_base = true, .inclusive = true, .select_for_downgrade = true};
  CHECK(iterate(map, "heads", "a2", kAll) == Lines{"b5", "b4", "b3", "b2", "b1", "a3", "a2"});
  CHECK(iterate(map, "b5", "b1", kInclusiveImplicitBase) ==
        Lines{"b5", "b4", "b3", "b2", "b1", "a3", "a2", "a1"});

  auto other = build({{"c1", {}},
                      {"a1", {}},
                      {"a2", {"a1"}, {}, {"c1"}},
                      {"a3", {"a2"}, {}, {"c1"}},
                      {"b1", {}},
                      {"b2", {"b1"}, {}, {"a3"}},
                      {"b3", {"b2"}},
                      {"b4", {"b3"}, {}, {"a3"}},
                      {"b5", {"b4"}}});
  CHECK(iterate(other, "b5", "b1", kInclusiveImplicitBase) ==
        Lines{"b5", "b4", "b3", "b2", "b1", "a3", "a2", "a1", "c1"});
}

TEST_CASE("iterate_revisions reports a relative bound it cannot walk", "[revision_map]") {
  auto map = build({{"a", {}}, {"b", {"a"}}, {"c1", {"b"}}, {"c2", {"b"}}});
  CHECK(iterate_error(map, "b+1", "base").message() == "Ambiguous walk");
  CHECK(iterate_error(map, "c1+1", "base").message() == "Walked too far");  // Alembic asserts
  CHECK(iterate_error(map, "-1", "base").message() ==
        "Relative revision -1 didn't produce 1 migrations");
}

// ------------------------------------------------------------------ history

TEST_CASE("history ranges list what lies between two revisions", "[revision_map]") {
  auto map = build({{"a", {}, {"abranch"}},
                    {"b", {"a"}},
                    {"c", {"b"}},
                    {"d", {}},
                    {"e", {"d"}, {"ebranch"}},
                    {"f", {"e"}}});
  auto range = [&map](std::string_view start, std::string_view end) {
    auto revs = map.history_range(start, end);
    INFO(start << ":" << end << ": " << revs.error().message());
    REQUIRE(revs);
    return ids(*revs);
  };
  CHECK(range("", "") == Lines{"c", "b", "a", "f", "e", "d"});
  CHECK(range("b", "") == Lines{"c", "b"});
  CHECK(range("", "b") == Lines{"b", "a"});
  CHECK(range("ebranch@base", "heads") == Lines{"f", "e", "d"});
  CHECK(range("e", "f") == Lines{"f", "e"});
  // "current" replaced by the caller: several rows, space-separated.
  CHECK(range("b e", "heads") == Lines{"c", "b", "f", "e"});
  // A relative start that walks past base starts from base instead.
  CHECK(range("-5", "c") == Lines{"c", "b", "a"});
  CHECK(range("-1", "heads") == Lines{"c", "b", "f", "e"});
  // One that walks exactly to base starts from base too; Alembic compares
  // the string "base" with the revisions and reports a range error.
  CHECK(range("-3", "heads") == Lines{"c", "b", "a", "f", "e", "d"});

  auto err = map.history_range("c", "a");
  REQUIRE_FALSE(err);
  CHECK(err.error().message() ==
        "Requested range c:a does not refer to ancestor/descendant revisions along the same "
        "branch");
  CHECK(err.error().hint() == "'c' must be below 'a' on one line of descent");
  CHECK(range("", "e") == Lines{"e", "d"});
}
