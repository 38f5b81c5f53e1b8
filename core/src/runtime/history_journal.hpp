// One run's entries in the history table (history_table.hpp): the events of
// each step, numbered in the run, stamped with the time, who ran it and the
// dialect, and each revision's checksum. The migration context decides
// which events a step writes and on which connection; the journal writes
// them.
#ifndef RETORT_HISTORY_JOURNAL_HPP
#define RETORT_HISTORY_JOURNAL_HPP

#include <retort/error.hpp>

#include "db/odbc_connection.hpp"
#include "plugin/host_dialect.hpp"
#include "revision/revision_map.hpp"
#include "runtime/history_table.hpp"
#include "runtime/revision_checksums.hpp"

#include <optional>
#include <string>

namespace retort {

class HistoryJournal {
 public:
  // `checksums` must outlive the journal. The connection string opens the
  // journal's own connection when write_now needs one.
  HistoryJournal(const Dialect& dialect, HistoryTable table, const RevisionChecksums& checksums,
                 std::string connection_string, std::string display_name);

  const HistoryTable& table() const { return table_; }

  // An event of `step`: its revision (a stamp's targets), direction, and for
  // an upgrade its checksum and statement count.
  HistoryEvent event(const MigrationStep& step, StepEvent kind) const;
  // Appends `event` on `connection`, inside whatever transaction it has.
  Error write(OdbcConnection& connection, HistoryEvent event);
  // Appends `event` on a connection of the journal's own, in autocommit: it
  // is in the database the moment it is written, whatever becomes of the
  // step's transaction (progress where DDL commits at once).
  Error write_now(HistoryEvent event);

 private:
  const Dialect* dialect_;
  HistoryTable table_;
  const RevisionChecksums* checksums_;
  std::string connection_string_;
  std::string display_name_;
  std::optional<OdbcConnection> own_;
  std::string run_;
  std::string who_;
  long long seq_ = 0;
};

}  // namespace retort

#endif  // RETORT_HISTORY_JOURNAL_HPP
