// The history table as each built-in dialect writes it: created and appended
// to with the same ABI operations a revision uses, so any dialect that
// renders create_table and bulk_insert can keep the history.
#include "runtime/history_table.hpp"

#include "db/odbc_connection.hpp"
#include "dialect_test_support.hpp"

#include <unistd.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <optional>
#include <string>

using dialect_test::loaded_dialect;
using retort::HistoryEvent;
using retort::HistoryTable;

namespace {

HistoryEvent statement_event() {
  HistoryEvent e;
  e.run = "00ff00ff00ff00ff";
  e.seq = 2;
  e.revision = "k2";
  e.direction = retort::Direction::kUpgrade;
  e.event = retort::StepEvent::kStatement;
  e.statements_done = 1;
  e.statements_total = 3;
  e.checksum = "v1:sha256:abc";
  e.at = "2026-11-21T10:00:00.000001Z";
  e.who = "ops@deploy-7 pid 42";
  e.dialect = "postgresql 0.1.0";
  e.sql = "CREATE TABLE kill_two (note VARCHAR(20) DEFAULT 'it''s')";
  return e;
}

}  // namespace

TEST_CASE("every built-in dialect renders the history table and its rows", "[history_table]") {
  for (const char* name : {"sqlite", "postgresql", "mysql", "mssql", "oracle"}) {
    INFO(name);
    HistoryTable table(loaded_dialect(name), "retort_history");
    retort::Error err = table.renderable();
    INFO(err.message());
    CHECK_FALSE(err);
  }
}

TEST_CASE("postgresql creates the history table without a key and appends one row per event",
          "[history_table][postgresql]") {
  HistoryTable table(loaded_dialect("postgresql"), "retort_history");
  auto create = table.create_statements();
  REQUIRE(create);
  CHECK(*create == std::vector<std::string>{"CREATE TABLE retort_history (\n"
                                            "    run_id VARCHAR(32) NOT NULL,\n"
                                            "    seq INTEGER NOT NULL,\n"
                                            "    revision VARCHAR(255) NOT NULL,\n"
                                            "    direction VARCHAR(16) NOT NULL,\n"
                                            "    event VARCHAR(16) NOT NULL,\n"
                                            "    statements_done INTEGER NOT NULL,\n"
                                            "    statements_total INTEGER,\n"
                                            "    checksum VARCHAR(80),\n"
                                            "    recorded_at VARCHAR(32) NOT NULL,\n"
                                            "    started_at VARCHAR(32),\n"
                                            "    duration_ms BIGINT,\n"
                                            "    who VARCHAR(255) NOT NULL,\n"
                                            "    dialect VARCHAR(64) NOT NULL,\n"
                                            "    sql_text TEXT,\n"
                                            "    error_text TEXT\n"
                                            ")"});
  auto insert = table.insert_statements(statement_event());
  REQUIRE(insert);
  CHECK(*insert ==
        std::vector<std::string>{
            "INSERT INTO retort_history (run_id, seq, revision, direction, event, statements_done, "
            "statements_total, checksum, recorded_at, started_at, duration_ms, who, dialect, "
            "sql_text, error_text) VALUES ('00ff00ff00ff00ff', 2, 'k2', 'upgrade', 'statement', 1, "
            "3, 'v1:sha256:abc', '2026-11-21T10:00:00.000001Z', NULL, NULL, 'ops@deploy-7 pid 42', "
            "'postgresql 0.1.0', 'CREATE TABLE kill_two (note VARCHAR(20) DEFAULT ''it''''s'')', "
            "NULL)"});
}

TEST_CASE("the history table's words read back as the enums they were written from",
          "[history_table]") {
  using retort::Direction;
  using retort::StepEvent;
  for (Direction d : {Direction::kUpgrade, Direction::kDowngrade, Direction::kStamp}) {
    CHECK(retort::direction_from_text(retort::to_text(d)) == d);
  }
  for (StepEvent e : {StepEvent::kStarted, StepEvent::kStatement, StepEvent::kDone,
                      StepEvent::kFailed, StepEvent::kApplied, StepEvent::kRolledBack}) {
    CHECK(retort::step_event_from_text(retort::to_text(e)) == e);
  }
  // The persisted text, as databases written by earlier versions hold it.
  CHECK(retort::to_text(Direction::kDowngrade) == "downgrade");
  CHECK(retort::to_text(StepEvent::kRolledBack) == "rolled-back");
  CHECK(retort::to_text(retort::CheckState::kUnrecorded) == "unrecorded");
}

TEST_CASE("a word the history table does not know reads as no value", "[history_table]") {
  CHECK_FALSE(retort::direction_from_text("sideways"));
  CHECK_FALSE(retort::direction_from_text("Upgrade"));
  CHECK_FALSE(retort::step_event_from_text(""));
  CHECK_FALSE(retort::step_event_from_text("rolled_back"));
}

// What `upgrade` reads when it may have nothing to run: the columns that
// tell finished steps and checksums, not the statements' text.
TEST_CASE("the history read for a check leaves out what only describes a step",
          "[history_table][sqlite]") {
  const std::string db = (std::filesystem::temp_directory_path() /
                          ("retort-history-" + std::to_string(::getpid()) + ".db"))
                             .string();
  std::filesystem::remove(db);
  auto connection = retort::OdbcConnection::connect("Driver={SQLite3};Database=" + db, "sqlite");
  REQUIRE(connection);
  HistoryTable table(loaded_dialect("sqlite"), "retort_history");
  auto create = table.create_statements();
  REQUIRE(create);
  auto insert = table.insert_statements(statement_event());
  REQUIRE(insert);
  for (const auto* statements : {&*create, &*insert}) {
    for (const std::string& sql : *statements) REQUIRE_FALSE(connection->execute(sql));
  }

  auto all = table.read(*connection);
  REQUIRE(all);
  REQUIRE(all->size() == 1);
  CHECK(all->front().sql == statement_event().sql);
  CHECK(all->front().who == "ops@deploy-7 pid 42");

  auto brief = table.read(*connection, HistoryTable::Columns::kForCheck);
  REQUIRE(brief);
  REQUIRE(brief->size() == 1);
  const HistoryEvent& e = brief->front();
  CHECK(e.run == "00ff00ff00ff00ff");
  CHECK(e.seq == 2);
  CHECK(e.revision == "k2");
  CHECK(e.event == retort::StepEvent::kStatement);
  CHECK(e.statements_done == 1);
  CHECK(e.checksum == std::optional<std::string>("v1:sha256:abc"));
  CHECK(e.at == "2026-11-21T10:00:00.000001Z");
  CHECK_FALSE(e.sql);
  CHECK(e.who.empty());
  CHECK_FALSE(e.statements_total);

  // SQLite keeps a value longer than its column's declared length: fetched
  // in blocks it would be cut, so it is read the slow way, whole.
  HistoryEvent longer = statement_event();
  longer.revision = std::string(300, 'r');
  longer.at = "2026-11-21T10:00:00.000002Z";
  auto insert_longer = table.insert_statements(longer);
  REQUIRE(insert_longer);
  for (const std::string& sql : *insert_longer) REQUIRE_FALSE(connection->execute(sql));
  auto both = table.read(*connection, HistoryTable::Columns::kForCheck);
  REQUIRE(both);
  REQUIRE(both->size() == 2);
  CHECK(both->back().revision == std::string(300, 'r'));
  std::filesystem::remove(db);
}
