// The history table read against the scripts: which applied revisions
// changed, which are gone, which steps stopped partway, and what a runner
// must then refuse to do.
#include "runtime/applied_check.hpp"

#include <retort/exit_codes.hpp>

#include "revision_test_support.hpp"

#include <catch2/catch.hpp>

using namespace revision_test;
using retort::AppliedCheck;
using retort::HistoryEvent;
using retort::RevisionChecksums;
using retort::RevisionFingerprint;

namespace {

// a <- b <- c
RevisionMap line() { return build({{"a", {}}, {"b", {"a"}}, {"c", {"b"}}}); }

RevisionChecksums today() {
  return RevisionChecksums({
      {"a", {"v1:sha256:aaaa", {"CREATE TABLE a (id INTEGER)"}}},
      {"b",
       {"v1:sha256:bbbb",
        {"CREATE TABLE b1 (id INTEGER)", "CREATE TABLE b2 (id INTEGER)",
         "CREATE INDEX b2_id ON b2 (id)"}}},
      {"c", {"v1:sha256:cccc", {"CREATE TABLE c (id INTEGER)"}}},
  });
}

// One event of run `run`, numbered in the order written; `what` and
// `direction` are the words the history table holds.
HistoryEvent event(const std::string& run, const std::string& revision, const std::string& what,
                   const std::string& checksum = "", long long done = 0,
                   const std::string& direction = "upgrade") {
  static long long clock = 0;
  HistoryEvent e;
  e.run = run;
  e.seq = ++clock;
  e.revision = revision;
  e.direction = retort::direction_from_text(direction).value();
  e.event = retort::step_event_from_text(what).value();
  e.statements_done = done;
  if (!checksum.empty()) e.checksum = checksum;
  e.at = fmt::format("2026-11-21T10:00:{:02d}.000000Z", clock % 60);
  e.who = "ops@deploy-7 pid 42";
  return e;
}

std::vector<std::string> states(const AppliedCheck& check) {
  std::vector<std::string> out;
  for (const auto& r : check.revisions)
    out.push_back(r.revision + " " + std::string(retort::to_text(r.state)));
  return out;
}

}  // namespace

TEST_CASE("applied revisions whose recorded checksums match today's are ok", "[applied_check]") {
  const RevisionMap map = line();
  const RevisionChecksums sums = today();
  std::vector<HistoryEvent> events = {event("r1", "a", "done", "v1:sha256:aaaa", 1),
                                      event("r1", "b", "done", "v1:sha256:bbbb", 3)};
  AppliedCheck check = retort::check_applied(events, {"b"}, map, sums);
  CHECK(states(check) == Lines{"a ok", "b ok"});
  CHECK(check.problems.empty());
  CHECK_FALSE(retort::refuse_to_run(check, sums, false));
}

TEST_CASE("a revision edited after it was applied is changed and refuses the run with exit code 3",
          "[applied_check]") {
  const RevisionMap map = line();
  const RevisionChecksums sums = today();
  std::vector<HistoryEvent> events = {event("r1", "a", "done", "v1:sha256:aaaa", 1),
                                      event("r1", "b", "done", "v1:sha256:b0b0", 3)};
  AppliedCheck check = retort::check_applied(events, {"b"}, map, sums);
  CHECK(states(check) == Lines{"a ok", "b changed"});
  REQUIRE(check.problems.size() == 1);
  CHECK_THAT(check.problems[0], Catch::Contains("revision 'b' changed since it was applied") &&
                                    Catch::Contains("recorded v1:sha256:b0b0") &&
                                    Catch::Contains("now v1:sha256:bbbb"));
  Error refused = retort::refuse_to_run(check, sums, false);
  CHECK(retort::exit_code(refused) == retort::kExitChecksum);
  const auto* mismatch = refused.detail<retort::ChecksumMismatch>();
  REQUIRE(mismatch != nullptr);
  CHECK(mismatch->changed == Lines{"b"});
  CHECK(mismatch->missing.empty());
  CHECK_FALSE(retort::refuse_to_run(check, sums, /*ignore_checksums=*/true));
}

TEST_CASE("revisions applied before the history table existed are unrecorded, not a problem",
          "[applied_check]") {
  const RevisionMap map = line();
  const RevisionChecksums sums = today();
  AppliedCheck check =
      retort::check_applied({event("r1", "c", "done", "v1:sha256:cccc", 1)}, {"c"}, map, sums);
  CHECK(states(check) == Lines{"a unrecorded", "b unrecorded", "c ok"});
  CHECK_FALSE(retort::refuse_to_run(check, sums, false));
}

TEST_CASE("a version row and an applied revision the scripts no longer have are missing",
          "[applied_check]") {
  const RevisionMap map = line();
  const RevisionChecksums sums = today();
  std::vector<HistoryEvent> events = {event("r1", "gone", "done", "v1:sha256:9999", 1)};
  AppliedCheck check = retort::check_applied(events, {"stray"}, map, sums);
  CHECK(states(check) == Lines{"stray missing", "gone missing"});
  CHECK(check.problems ==
        Lines{"revision 'stray' is applied to the database but is not in the scripts",
              "revision 'gone' is applied to the database but is not in the scripts"});
  Error refused = retort::refuse_to_run(check, sums, false);
  CHECK(retort::exit_code(refused) == retort::kExitChecksum);
  const auto* mismatch = refused.detail<retort::ChecksumMismatch>();
  REQUIRE(mismatch != nullptr);
  CHECK(mismatch->changed.empty());
  CHECK(mismatch->missing == Lines{"stray", "gone"});
  CHECK(refused.detail<retort::UnresolvedStep>() == nullptr);
}

TEST_CASE("a downgraded revision is no longer checked", "[applied_check]") {
  const RevisionMap map = line();
  const RevisionChecksums sums = today();
  std::vector<HistoryEvent> events = {event("r1", "a", "done", "v1:sha256:aaaa", 1),
                                      event("r1", "b", "done", "v1:sha256:b0b0", 3),
                                      event("r2", "b", "done", "", 3, "downgrade")};
  AppliedCheck check = retort::check_applied(events, {"a"}, map, sums);
  CHECK(states(check) == Lines{"a ok"});
  CHECK_FALSE(retort::refuse_to_run(check, sums, false));
}

TEST_CASE(
    "a runner that died after statement 2 of 3 leaves a partial step that refuses the run "
    "with exit code 5, naming what ran and what did not",
    "[applied_check]") {
  const RevisionMap map = line();
  const RevisionChecksums sums = today();
  HistoryEvent started = event("r2", "b", "started", "v1:sha256:bbbb", 0);
  started.statements_total = 3;
  HistoryEvent first = event("r2", "b", "statement", "v1:sha256:bbbb", 1);
  first.sql = "CREATE TABLE b1 (id INTEGER)";
  HistoryEvent second = event("r2", "b", "statement", "v1:sha256:bbbb", 2);
  second.sql = "CREATE TABLE b2 (id INTEGER)";
  second.statements_total = 3;
  std::vector<HistoryEvent> events = {event("r1", "a", "done", "v1:sha256:aaaa", 1), started, first,
                                      second};
  AppliedCheck check = retort::check_applied(events, {"a"}, map, sums);
  CHECK(states(check) == Lines{"a ok", "b partial"});
  REQUIRE(check.partial.size() == 1);
  CHECK(check.partial[0].ran ==
        Lines{"CREATE TABLE b1 (id INTEGER)", "CREATE TABLE b2 (id INTEGER)"});
  Error refused = retort::refuse_to_run(check, sums, /*ignore_checksums=*/true);
  CHECK(retort::exit_code(refused) == retort::kExitPartialStep);
  CHECK(refused.message() ==
        "revision 'b' stopped partway through its upgrade (run r2 by ops@deploy-7 pid 42, at " +
            second.at +
            "): it stopped after statement 2 of 3 and never finished; ran and not rolled back: "
            "[1] CREATE TABLE b1 (id INTEGER); [2] CREATE TABLE b2 (id INTEGER); not run: [3] "
            "CREATE INDEX b2_id ON b2 (id)");
  CHECK_THAT(refused.hint(), Catch::Contains("retort resolve b --applied") &&
                                 Catch::Contains("retort resolve b --rolled-back"));
  const auto* step = refused.detail<retort::UnresolvedStep>();
  REQUIRE(step != nullptr);
  CHECK(step->revision == "b");
  CHECK(step->direction == "upgrade");
  CHECK(step->run == "r2");
  CHECK(step->statements_done == 2);
}

TEST_CASE("a failed step whose statements all rolled back is not partial but one that left some is",
          "[applied_check]") {
  const RevisionMap map = line();
  const RevisionChecksums sums = today();
  HistoryEvent clean = event("r1", "a", "failed", "v1:sha256:aaaa", 0);
  clean.error = "syntax error";
  CHECK(retort::check_applied({clean}, {}, map, sums).partial.empty());

  HistoryEvent left = event("r2", "a", "failed", "v1:sha256:aaaa", 1);
  left.error = "no such table: x";
  AppliedCheck check = retort::check_applied({clean, left}, {}, map, sums);
  REQUIRE(check.partial.size() == 1);
  CHECK_THAT(retort::describe_partial(check.partial[0], sums),
             Catch::Contains("it failed after statement 1: no such table: x"));
}

TEST_CASE(
    "a partial step resolved by the operator is no longer partial, and 'applied' keeps its "
    "checksum",
    "[applied_check]") {
  const RevisionMap map = line();
  const RevisionChecksums sums = today();
  std::vector<HistoryEvent> killed = {event("r1", "a", "started", "v1:sha256:aaaa", 0),
                                      event("r1", "a", "statement", "v1:sha256:aaaa", 1)};

  std::vector<HistoryEvent> applied = killed;
  applied.push_back(event("r2", "a", "applied", "v1:sha256:aaaa", 1));
  AppliedCheck after_applied = retort::check_applied(applied, {"a"}, map, sums);
  CHECK(after_applied.partial.empty());
  CHECK(states(after_applied) == Lines{"a ok"});

  std::vector<HistoryEvent> rolled_back = killed;
  rolled_back.push_back(event("r2", "a", "rolled-back", "v1:sha256:aaaa", 1));
  AppliedCheck after_rollback = retort::check_applied(rolled_back, {}, map, sums);
  CHECK(after_rollback.partial.empty());
  CHECK(after_rollback.revisions.empty());
}

// A run at the heads only needs to know whether it may go on: the check
// then keeps the revisions with something to say, and says the same.
TEST_CASE("a check of problems only keeps the changed gone and partial revisions and says the same",
          "[applied_check]") {
  const RevisionMap map = line();
  const RevisionChecksums sums = today();
  // a unchanged, b edited since, c stopped after one statement, z gone.
  std::vector<HistoryEvent> events = {
      event("r1", "a", "done", "v1:sha256:aaaa", 1), event("r1", "b", "done", "v1:sha256:b0b0", 3),
      event("r1", "z", "done", "v1:sha256:zzzz", 1), event("r2", "c", "started", "v1:sha256:cccc"),
      event("r2", "c", "statement", "", 1)};
  const auto applied = retort::applied_revisions({"b", "z"}, map, sums);
  const AppliedCheck all = retort::check_applied_revisions(events, applied, map, sums);
  const AppliedCheck problems =
      retort::check_applied_revisions(events, applied, map, sums, retort::CheckDetail::kProblems);
  CHECK(states(all) == Lines{"a ok", "b changed", "z missing", "c partial"});
  CHECK(states(problems) == Lines{"b changed", "z missing", "c partial"});
  CHECK(problems.problems == all.problems);
  CHECK(problems.partial.size() == 1);
  CHECK(retort::refuse_to_run(problems, sums, false).message() ==
        retort::refuse_to_run(all, sums, false).message());

  SECTION("and nothing when all is well") {
    const auto fine = retort::applied_revisions({"a"}, map, sums);
    CHECK(retort::check_applied_revisions({events[0]}, fine, map, sums,
                                          retort::CheckDetail::kProblems)
              .revisions.empty());
  }
}
