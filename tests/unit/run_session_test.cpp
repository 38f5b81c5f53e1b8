// A run session on a SQLite file through the real connection, with revisions
// written in this file against the C ABI (no module is compiled): the lock
// it holds, the history events each step writes, the refusal of a partial
// step, and a stop request between steps. SQLite's DDL is transactional, so
// a step writes "done" or "failed" only; the "started" and "statement"
// events of a dialect whose DDL commits at once run in tests/server.
#include "runtime/run_session.hpp"

#include "dialect_test_support.hpp"
#include "revision_test_support.hpp"
#include "util/log_scope.hpp"

#include <retort/abi.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <initializer_list>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace retort;
using retort::detail::RunSession;
using retort::detail::SessionOptions;
using Lines = std::vector<std::string>;

namespace {

// Each statement as an `execute` operation; the first the host refuses
// stops the revision, as the SDK's Operations does.
int run_sql(const retort_operations* host, std::initializer_list<const char*> statements) {
  for (const char* sql : statements) {
    retort_operation op{};
    op.struct_size = sizeof op;
    op.kind = RETORT_OP_EXECUTE;
    op.table = retort_str{nullptr, 0};
    op.sql = to_str(sql);
    if (host->submit(host->ctx, &op) != RETORT_OK) return RETORT_ABORTED;
  }
  return RETORT_OK;
}

int create_account(const retort_revision*, const retort_operations* host, const retort_sink*) {
  return run_sql(host, {"CREATE TABLE account (id INTEGER)"});
}
int add_owner(const retort_revision*, const retort_operations* host, const retort_sink*) {
  return run_sql(host, {"INSERT INTO account VALUES (1)", "INSERT INTO account VALUES (2)"});
}
int broken(const retort_revision*, const retort_operations* host, const retort_sink*) {
  return run_sql(host, {"INSERT INTO account VALUES (3)", "INSERT INTO no_such_table VALUES (1)"});
}

const char* const kNone[] = {nullptr};
const retort_revision kAccount{sizeof(retort_revision), "a1",   kNone, kNone, kNone, "", "",
                               &create_account,         nullptr};
const retort_revision kOwner{
    sizeof(retort_revision), "b2", kNone, kNone, kNone, "", "", &add_owner, nullptr};
const retort_revision kBroken{
    sizeof(retort_revision), "c3", kNone, kNone, kNone, "", "", &broken, nullptr};

Revision revision(const char* id, std::vector<std::string> down, std::string message,
                  const retort_revision& module) {
  Revision r;
  r.id = id;
  r.down_revisions = std::move(down);
  r.message = std::move(message);
  r.module = &module;
  return r;
}

// a1 <- b2 <- c3, the last one failing at its second statement.
RevisionMap chain() {
  return revision_test::build({revision("a1", {}, "create account", kAccount),
                               revision("b2", {"a1"}, "add owners", kOwner),
                               revision("c3", {"b2"}, "broken", kBroken)});
}

// A SQLite file in the temporary folder and sessions on it; each lock
// attempt on a held lock gives up at once (Timeout=1 ms).
struct SqliteFile {
  SqliteFile()
      : path(fs::temp_directory_path() /
             ("retort-session-" + std::to_string(std::random_device()()) + ".db")),
        db(database()) {}
  ~SqliteFile() {
    std::error_code ec;
    fs::remove(path, ec);
  }

  detail::Database database() const {
    auto url = DatabaseUrl::parse("sqlite:///" + path.string() + "?Timeout=1");
    REQUIRE(url);
    return detail::database_at(std::move(*url), dialect_test::loaded_dialect("sqlite"));
  }
  Error open(RunSession& session, const RevisionMap& map, double lock_timeout = 0) {
    SessionOptions options;
    options.lock_timeout_seconds = lock_timeout;
    return session.open(cfg, db, map, options);
  }
  // Opens a session, runs `steps` and closes it; the run's error.
  Error run(const RevisionMap& map, const std::vector<MigrationStep>& steps,
            const RunHooks& hooks = {}) {
    RunSession session;
    if (Error err = open(session, map)) return err;
    session.context().set_hooks(hooks);
    std::ostringstream log;
    return session.close(session.context().run(steps, log));
  }
  std::vector<HistoryEvent> events(const RevisionMap& map) {
    RunSession session;
    REQUIRE_FALSE(open(session, map));
    auto events = session.context().history_events();
    REQUIRE(events);
    REQUIRE_FALSE(session.close(Error::success()));
    return *events;
  }
  Lines rows(const RevisionMap& map) {
    RunSession session;
    REQUIRE_FALSE(open(session, map));
    auto rows = session.context().current_heads();
    REQUIRE(rows);
    REQUIRE_FALSE(session.close(Error::success()));
    return *rows;
  }

  fs::path path;
  Config cfg;
  detail::Database db;  // at `path`
};

Lines described(const std::vector<HistoryEvent>& events) {
  Lines out;
  for (const HistoryEvent& e : events) {
    out.push_back(e.revision + " " + std::string(to_text(e.direction)) + " " +
                  std::string(to_text(e.event)) + " " + std::to_string(e.statements_done) + "/" +
                  (e.statements_total ? std::to_string(*e.statements_total) : "-"));
  }
  return out;
}

}  // namespace

TEST_CASE("a successful run writes one done event per step in order with its checksum",
          "[run_session][sqlite]") {
  SqliteFile db;
  const RevisionMap map = chain();
  REQUIRE_FALSE(db.run(map, revision_test::upgrade(map, {}, "b2")));
  auto events = db.events(map);
  CHECK(described(events) == Lines{"a1 upgrade done 1/1", "b2 upgrade done 2/2"});
  REQUIRE(events.size() == 2);
  CHECK(events[0].run == events[1].run);
  CHECK(events[0].seq < events[1].seq);
  CHECK_THAT(events[0].checksum.value_or(""), Catch::StartsWith("v1:sha256:"));
  CHECK(events[0].checksum != events[1].checksum);
  CHECK(db.rows(map) == Lines{"b2"});
}

TEST_CASE(
    "a failed statement records failed with the statement and the error and no statement done",
    "[run_session][sqlite]") {
  SqliteFile db;
  const RevisionMap map = chain();
  Error err = db.run(map, revision_test::upgrade(map, {}, "c3"));
  REQUIRE(err);
  CHECK_THAT(err.message(), Catch::StartsWith("revision 'c3' failed (upgrade b2 -> c3): "));
  auto events = db.events(map);
  CHECK(described(events) ==
        Lines{"a1 upgrade done 1/1", "b2 upgrade done 2/2", "c3 upgrade failed 0/2"});
  REQUIRE(events.size() == 3);
  CHECK(events[2].sql == "INSERT INTO no_such_table VALUES (1)");
  CHECK_THAT(events[2].error.value_or(""), Catch::Contains("no such table"));
  // The steps before it stay, the failed one rolled back whole.
  CHECK(db.rows(map) == Lines{"b2"});
}

TEST_CASE("a partial step left by an earlier run is found and refused before anything runs",
          "[run_session][sqlite]") {
  SqliteFile db;
  const RevisionMap map = chain();
  REQUIRE_FALSE(db.run(map, revision_test::upgrade(map, {}, "a1")));
  // What a runner killed in b2's second statement leaves where DDL commits
  // at once: started, one statement, nothing after.
  {
    auto connection =
        OdbcConnection::connect(*dialect_test::connect_to(dialect_test::loaded_dialect("sqlite"),
                                                          "sqlite:///" + db.path.string()),
                                "sqlite");
    REQUIRE(connection);
    HistoryTable table(dialect_test::loaded_dialect("sqlite"), "retort_history");
    for (StepEvent kind : {StepEvent::kStarted, StepEvent::kStatement}) {
      HistoryEvent e;
      e.run = "killedrun0000000";
      e.seq = kind == StepEvent::kStarted ? 1 : 2;
      e.revision = "b2";
      e.event = kind;
      e.statements_done = kind == StepEvent::kStarted ? 0 : 1;
      e.statements_total = 2;
      e.at = "2026-12-05T08:00:00.000000Z";
      e.who = "ops@deploy-7 pid 42";
      e.dialect = "sqlite";
      if (kind == StepEvent::kStatement) e.sql = "INSERT INTO account VALUES (1)";
      auto insert = table.insert_statements(e);
      REQUIRE(insert);
      for (const std::string& sql : *insert) REQUIRE_FALSE(connection->execute(sql));
    }
  }

  RunSession session;
  REQUIRE_FALSE(db.open(session, map));
  auto rows = session.context().current_heads();
  REQUIRE(rows);
  auto check = session.check(*rows, map);
  REQUIRE(check);
  REQUIRE(check->partial.size() == 1);
  Error refused = refuse_to_run(*check, session.checksums(), /*ignore_checksums=*/false);
  REQUIRE(refused);
  CHECK(refused.category() == ErrorCategory::kPartialStep);
  CHECK(refused.message() ==
        "revision 'b2' stopped partway through its upgrade (run killedrun0000000 by ops@deploy-7 "
        "pid 42, at 2026-12-05T08:00:00.000000Z): it stopped after statement 1 of 2 and never "
        "finished; ran and not rolled back: [1] INSERT INTO account VALUES (1); not run: [2] "
        "INSERT INTO account VALUES (2)");
  REQUIRE_FALSE(session.close(Error::success()));
}

TEST_CASE("a stop request between steps ends the run before the next step and keeps the done ones",
          "[run_session][sqlite]") {
  SqliteFile db;
  const RevisionMap map = chain();
  std::atomic<bool> stop{false};
  Lines begun;
  RunHooks hooks;
  hooks.stop = &stop;
  hooks.on_step = [&](size_t, size_t, const MigrationStep& step) {
    begun.push_back(step.revision->id);
    stop = true;  // as a signal arriving while the first step runs
  };
  Error err = db.run(map, revision_test::upgrade(map, {}, "c3"), hooks);
  REQUIRE(err);
  CHECK(err.message() == "interrupted before upgrade a1 -> b2 (1 of 3 steps done)");
  CHECK(err.hint() == "run the command again to finish");
  CHECK(begun == Lines{"a1"});
  CHECK(described(db.events(map)) == Lines{"a1 upgrade done 1/1"});
  CHECK(db.rows(map) == Lines{"a1"});
}

TEST_CASE("a session holds the migration lock until it is closed even when its run failed",
          "[run_session][sqlite]") {
  SqliteFile db;
  const RevisionMap map = chain();
  RunSession first;
  REQUIRE_FALSE(db.open(first, map));
  std::ostringstream log;
  Error failed = first.context().run(revision_test::upgrade(map, {}, "c3"), log);
  REQUIRE(failed);

  Lines progress;
  {
    LogScope scope(LogSink([&](LogLevel, std::string_view line) { progress.emplace_back(line); }));
    RunSession second;
    Error waited = db.open(second, map, 0.2);
    REQUIRE(waited);
    CHECK(waited.category() == ErrorCategory::kLockTimeout);
  }
  REQUIRE(progress.size() == 1);
  CHECK_THAT(progress[0],
             Catch::StartsWith("waiting for the migration lock "
                               "'retort:retort_version', held by another connection ("));

  // Closing returns the run's error, not the release's, and frees the lock.
  Error closed = first.close(std::move(failed));
  CHECK_THAT(closed.message(), Catch::StartsWith("revision 'c3' failed"));
  RunSession third;
  CHECK_FALSE(db.open(third, map));
  CHECK_FALSE(third.close(Error::success()));
}

TEST_CASE("a negative lock timeout is refused before connecting", "[run_session]") {
  SqliteFile db;
  RunSession session;
  Error err = db.open(session, chain(), -1);
  REQUIRE(err);
  CHECK(err.category() == ErrorCategory::kUsage);
  CHECK(err.message() == "--lock-timeout must be a number of seconds, 0 or more");
  CHECK_FALSE(fs::exists(db.path));
}
