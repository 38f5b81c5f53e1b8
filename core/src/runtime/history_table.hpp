// The history table: beside the version table (which keeps Alembic's
// meaning, one row per head), an insert-only log of what each run did to
// each revision. A step's state is its latest event, so nothing is ever
// updated, and a runner that dies mid-step leaves its last event behind.
//
// Events, in the order a step writes them:
//   started    before the first statement, where DDL commits at once
//   statement  after each statement ran, where DDL commits at once
//   done       committed together with the step's version-table change
//   failed     the step failed; statements_done of them ran and stayed
//   applied, rolled-back
//              `retort resolve`: what the operator made of a step that
//              stopped partway
// Where DDL is transactional a step writes only done or failed: a step that
// did not finish left nothing behind.
#ifndef RETORT_HISTORY_TABLE_HPP
#define RETORT_HISTORY_TABLE_HPP

#include <retort/error.hpp>

#include "db/odbc_connection.hpp"
#include "plugin/host_dialect.hpp"
#include "runtime/history_words.hpp"

#include <optional>
#include <string>
#include <vector>

namespace retort {

struct HistoryEvent {
  std::string run;       // one id per command that wrote
  long long seq = 0;     // the event's place in its run
  std::string revision;  // stamps: the target ids, space-separated; "base"
  Direction direction = Direction::kUpgrade;
  StepEvent event = StepEvent::kDone;
  long long statements_done = 0;
  std::optional<long long> statements_total;  // as rendered offline; upgrades only
  std::optional<std::string> checksum;        // "v1:sha256:<hex>"; upgrades only
  std::string at;                             // UTC, 2026-11-21T09:50:12.123456Z
  std::optional<std::string> started_at;      // done and failed: when the step began
  std::optional<long long> duration_ms;       // done and failed
  std::string who;                            // user@host pid N
  std::string dialect;                        // the plugin's name and version
  std::optional<std::string> sql;    // statement: the one that ran; failed: the one that failed
  std::optional<std::string> error;  // failed: why
};

// The table of one database, named by the config's history_table.
class HistoryTable {
 public:
  HistoryTable(const Dialect& dialect, std::string name)
      : dialect_(&dialect), name_(std::move(name)) {}

  const std::string& name() const { return name_; }

  // Whether the dialect renders the table and its rows (a third-party
  // plugin may refuse bulk_insert); the reason when it does not.
  Error renderable() const;
  // The statements that create the table, rendered by the dialect.
  Expected<std::vector<std::string>> create_statements() const;
  // The statements that append `event`.
  Expected<std::vector<std::string>> insert_statements(const HistoryEvent& event) const;
  // Which columns read() reads: all, or only those that say which steps
  // finished and with what checksum (run, seq, revision, direction, event,
  // statements_done, checksum, recorded_at), the rest left empty: enough
  // to find a partial step and check checksums, not to describe it.
  enum class Columns { kAll, kForCheck };
  // Every event, oldest first; none when the table does not exist. Columns
  // are read by name; a row holding a word retort does not know (history_words.hpp)
  // is an error that names it.
  Expected<std::vector<HistoryEvent>> read(OdbcConnection& connection,
                                           Columns columns = Columns::kAll) const;

 private:
  const Dialect* dialect_;
  std::string name_;
};

// Now, in UTC, as an event's `at`.
std::string utc_timestamp();
// This process, as an event's `who`: user@host pid N.
std::string process_identity();
// A new run id: 16 hex digits.
std::string new_run_id();

}  // namespace retort

#endif  // RETORT_HISTORY_TABLE_HPP
