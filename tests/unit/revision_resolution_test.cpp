// Identifiers: ids, prefixes, "head", "heads", "base", branch labels and
// "x@y", "-N"; and the commands' questions built on them (current, new
// revisions). Fixtures and expectations are Alembic's (APITest and
// LabeledBranchTest in tests/test_revision.py, CurrentTest in
// tests/test_command.py) unless a comment says otherwise.
#include "revision_test_support.hpp"

using namespace revision_test;
using namespace revision_test::path_ids;

namespace {

RevisionMap branched_map() {
  return build({{"a", {}}, {"b", {"a"}}, {"c1", {"b"}}, {"c2", {"b"}}});
}

}  // namespace

// ------------------------------------------------------------ ids, prefixes

TEST_CASE("revision map resolves an exact id of any length", "[revision_map]") {
  auto map = build({{"a", {}}, {"b", {"a"}}});
  CHECK(resolved(map, "a") == "a");
  CHECK(resolved(map, "b") == "b");
}

TEST_CASE("revision map resolves a unique prefix, shorter ones included", "[revision_map]") {
  auto map = path_map();
  CHECK(resolved(map, "b7ea") == c);
  CHECK(resolved(map, "548") == b);  // Alembic accepts a unique 3-character prefix
  CHECK(resolved(map, "1") == d);
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
  // Alembic fails an assertion on an empty identifier.
  CHECK(resolve_error(map, "").message() == "empty revision identifier");
}

TEST_CASE("revision map lists every key an ambiguous prefix matches", "[revision_map]") {
  // Alembic lists the first three in map order and adds "..."; we list all
  // of them, sorted. Labels are keys too.
  auto map = build({{"abcdef4", {}},
                    {"abcdef1", {"abcdef4"}},
                    {"abcdef3", {"abcdef1"}},
                    {"abcdef2", {"abcdef3"}},
                    {"abxy", {"abcdef2"}, {"abcdlabel"}}});
  auto err = resolve_error(map, "abcd");
  CHECK(err.message() ==
        "Multiple revisions start with 'abcd': 'abcdef1', 'abcdef2', 'abcdef3', 'abcdef4', "
        "'abcdlabel'");
  CHECK(err.hint() == "give more characters of the revision id");
  CHECK(resolved(map, "abcdl") == "abxy");
}

TEST_CASE("revision map counts a revision's id and label as one match", "[revision_map]") {
  // Alembic reports "Multiple revisions start with 'abcd': 'abcdef',
  // 'abcdlib'..." although both keys name one revision.
  auto map = build({{"abcdef", {}, {"abcdlib"}}});
  CHECK(resolved(map, "abcd") == "abcdef");
}

// ---------------------------------------------------------- head and heads

TEST_CASE("revision map resolves head, heads and base", "[revision_map]") {
  auto map = path_map();
  CHECK(resolved(map, "head") == e);
  CHECK(resolved(map, "heads") == e);
  CHECK(resolved(map, "base") == "base");
  // get_revision_base_multiple
  CHECK(resolved(build({{"a", {}}, {"b", {"a"}}, {"c", {}}, {"d", {"c"}}}), "base") == "base");
  CHECK(resolved_all(map, "base").empty());
}

TEST_CASE("revision map refuses head when there are several", "[revision_map]") {
  auto map = branched_map();
  auto err = resolve_error(map, "head");
  CHECK(err.message() ==
        "Multiple head revisions are present for given argument 'head'; please specify a "
        "specific target revision, '<branchname>@head' to narrow to a specific head, or "
        "'heads' for all heads");
  CHECK(err.hint() == "the heads are 'c1', 'c2'");
  CHECK(resolve_error(map, "heads").message() ==
        "Multiple head revisions are present for given argument 'heads'; please specify a "
        "specific target revision, '<branchname>@heads' to narrow to a specific head, or "
        "'heads' for all heads");
  CHECK(resolved_all(map, "heads") == Lines{"c1", "c2"});
  CHECK_FALSE(map.resolve_all("head"));
}

TEST_CASE("revision map words several heads under a label as Alembic's commands do",
          "[revision_map]") {
  auto map = build({{"a", {}, {"lib"}}, {"b", {"a"}}, {"c1", {"b"}}, {"c2", {"b"}}});
  // Alembic suggests '<branchname>@lib@head'; we keep the part after "@".
  CHECK(resolve_error(map, "lib@head").message() ==
        "Multiple head revisions are present for given argument 'lib@head'; please specify a "
        "specific target revision, '<branchname>@head' to narrow to a specific head, or "
        "'heads' for all heads");
  CHECK(resolved_all(map, "lib@heads") == Lines{"c1", "c2"});
  // Alembic's RevisionMap words it shorter.
  CHECK(iterate_error(map, "lib@head", "base").message() ==
        "Multiple heads are present for given argument 'lib@head'; c1, c2");
}

TEST_CASE("revision map resolves head only among real heads' lineage", "[revision_map]") {
  // "heads" alone means real heads; "head" the one versioned head.
  auto map = build({{"x1", {}}, {"y1", {}}, {"y2", {"y1"}, {}, {"x1"}}});
  CHECK(resolved_all(map, "heads") == Lines{"y2"});
  CHECK_THAT(resolve_error(map, "head").message(),
             Catch::StartsWith("Multiple head revisions are present for given argument 'head'"));
  CHECK(resolve_error(map, "head").hint() == "the heads are 'x1', 'y2'");
}

// ---------------------------------------------------------- branch labels

TEST_CASE("revision map resolves branch labels as Alembic's LabeledBranchTest does",
          "[revision_map]") {
  auto map = labeled_map();
  CHECK(resolved(map, "abranch") == "a");
  CHECK(resolved(map, "ebranch") == "e");
  CHECK(resolved(map, "abranch@head") == "c");
  CHECK(resolved(map, "abranch@heads") == "c");
  CHECK(resolved(map, "ebranch@head") == "f");
  CHECK(resolved(map, "abranch@base") == "base");
  CHECK(resolved(map, "ebranch@d") == "d");
  CHECK(resolved(map, "ebranch@ebranch") == "e");
  CHECK(resolved(map, "ebranch@some") == "someothername");
  CHECK(resolved(map, "abranch@some") == "somelongername");
  CHECK(resolved(map, "e@d") == "d");        // a revision as the branch: its lineage
  CHECK(resolved(map, "someoth@d") == "d");  // a prefix as the branch
  CHECK(resolved(map, "e") == "e");
  CHECK(resolved_all(map, "heads") == Lines{"c", "f"});
  CHECK(resolved_all(map, "ebranch@heads") == Lines{"f"});
}

TEST_CASE("revision map reports a branch or member it cannot resolve", "[revision_map]") {
  auto map = labeled_map();
  auto branch = resolve_error(map, "x@d");
  CHECK(branch.message() == "No such branch: 'x'");
  CHECK(branch.hint() == "before '@' name a branch label, a revision id or a unique prefix of one");
  auto member = resolve_error(map, "ebranch@b");
  CHECK(member.message() == "Revision b is not a member of branch 'ebranch'");
  CHECK(member.hint() == "'b' is neither an ancestor nor a descendant of 'e'");
  CHECK(resolve_error(map, "ebranch@sos").message() ==
        "No such revision or branch 'sos'; please ensure at least four characters are present "
        "for partial revision identifier matches");
  // The branch is resolved even when the revision is base.
  CHECK(resolve_error(map, "x@base").message() == "No such branch: 'x'");
}

TEST_CASE("revision map walks down from the heads for -N", "[revision_map]") {
  auto map = labeled_map();
  CHECK(resolved_all(map, "-1") == Lines{"somelongername", "someothername"});
  CHECK(resolved_all(map, "ebranch@-2") == Lines{"e"});
  CHECK(resolved_all(map, "abranch@-1") == Lines{"somelongername"});
  // Alembic returns None for a walk past base, which `show` then fails on.
  auto err = map.resolve_all("ebranch@-5");
  REQUIRE_FALSE(err);
  CHECK(err.error().message() == "'ebranch@-5' walks past base");
}

TEST_CASE("revision map resolves a tuple of identifiers separated by spaces", "[revision_map]") {
  auto map = labeled_map();
  CHECK(resolved_all(map, "abranch@head f") == Lines{"c", "f"});
  CHECK(resolved_all(map, "  somel   base ") == Lines{"somelongername"});
  CHECK(resolved_all(map, "").empty());  // Alembic's None
}

// ----------------------------------------------------------------- current

TEST_CASE("revision map shows the revisions a dependency implies as current", "[revision_map]") {
  // CurrentTest: a row b2 that depends on a2 shows both.
  auto map =
      build({{"a1", {}}, {"a2", {"a1"}}, {"a3", {"a2"}}, {"b1", {}}, {"b2", {"b1"}, {}, {"a2"}}});
  auto shown = map.current_display({"b2"});
  REQUIRE(shown);
  CHECK(*shown == Lines{"a2", "b2"});
  auto both = map.current_display({"a3", "b2"});
  REQUIRE(both);
  CHECK(*both == Lines{"a3", "b2"});
  auto none = map.current_display({});
  REQUIRE(none);
  CHECK(none->empty());
  CHECK(map.current_display({"zz"}).error().message() ==
        "can't locate revision identified by 'zz' in the version table");
}

// ------------------------------------------------------------ new revisions

TEST_CASE("revision map picks the parent of a new revision", "[revision_map]") {
  auto map = build({{"a", {}, {"lib"}}, {"b", {"a"}}, {"c1", {"b"}}, {"c2", {"b"}}});
  auto parents = map.new_revision_parents("", false);
  REQUIRE_FALSE(parents);
  CHECK(parents.error().message() ==
        "Multiple heads are present; please specify the head revision on which the new "
        "revision should be based, or perform a merge");
  CHECK(parents.error().hint() == "the heads are 'c1', 'c2'; 'retort merge heads' merges them");

  auto merge = map.new_revision_parents("heads", false);
  REQUIRE(merge);
  CHECK(ids(*merge) == Lines{"c1", "c2"});
  auto base = map.new_revision_parents("base", false);
  REQUIRE(base);
  CHECK(base->empty());

  auto not_head = map.new_revision_parents("b", false);
  REQUIRE_FALSE(not_head);
  CHECK(not_head.error().message() ==
        "Revision b is not a head revision; please specify --splice to create a new branch "
        "from this revision");
  CHECK(not_head.error().hint() == "'retort heads' lists the heads; 'b' is revised by 'c1', 'c2'");
  auto spliced = map.new_revision_parents("lib", true);
  REQUIRE(spliced);
  CHECK(ids(*spliced) == Lines{"a"});

  auto twice = map.new_revision_parents("c1 heads", false);
  REQUIRE_FALSE(twice);
  CHECK(twice.error().message() == "Duplicate head revisions specified");

  auto one = map.new_revision_parent("c2", false);
  REQUIRE(one);
  CHECK((*one)->id == "c2");
  auto none = map.new_revision_parent("base", false);
  REQUIRE(none);
  CHECK(*none == nullptr);
  CHECK(map.new_revision_parent("heads", false).error().message() ==
        "Multiple heads are present; please specify the head revision on which the new "
        "revision should be based, or perform a merge");
}

TEST_CASE("revision map writes a new revision's dependencies as Alembic does", "[revision_map]") {
  auto map = build({{"a1", {}, {"lib1"}}, {"b1", {"a1"}}, {"c1aaaa", {"b1"}}});
  auto deps = map.new_revision_dependencies({"lib1", "c1aa", "lib1@head", "b1"});
  REQUIRE(deps);
  CHECK(*deps == Lines{"lib1", "c1aaaa", "c1aaaa", "b1"});
  CHECK(map.new_revision_dependencies({"base"}).error().message() ==
        "depends_on 'base' names no revision");
  CHECK(map.new_revision_dependencies({"nope"}).error().message() ==
        "No such revision or branch 'nope'");
}
