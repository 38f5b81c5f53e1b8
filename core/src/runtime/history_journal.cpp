#include "runtime/history_journal.hpp"

#include <fmt/format.h>

namespace retort {

HistoryJournal::HistoryJournal(const Dialect& dialect, HistoryTable table,
                               const RevisionChecksums& checksums, std::string connection_string,
                               std::string display_name)
    : dialect_(&dialect),
      table_(std::move(table)),
      checksums_(&checksums),
      connection_string_(std::move(connection_string)),
      display_name_(std::move(display_name)),
      run_(new_run_id()),
      who_(process_identity()) {}

HistoryEvent HistoryJournal::event(const MigrationStep& step, StepEvent kind) const {
  HistoryEvent e;
  if (step.stamp) {
    e.direction = Direction::kStamp;
    e.revision = step.to_heads.empty() ? "base" : fmt::format("{}", fmt::join(step.to_heads, " "));
  } else {
    e.direction = step.upgrade ? Direction::kUpgrade : Direction::kDowngrade;
    e.revision = step.revision->id;
    const RevisionSummary* s = step.upgrade ? checksums_->summary(e.revision) : nullptr;
    if (s != nullptr) {
      e.checksum = std::string(s->checksum);
      e.statements_total = static_cast<long long>(s->statements);
    }
  }
  e.event = kind;
  return e;
}

Error HistoryJournal::write(OdbcConnection& connection, HistoryEvent event) {
  event.run = run_;
  event.seq = ++seq_;
  event.at = utc_timestamp();
  event.who = who_;
  event.dialect =
      dialect_->version().empty() ? dialect_->name() : dialect_->name() + " " + dialect_->version();
  auto statements = table_.insert_statements(event);
  if (!statements) return statements.take_error();
  for (const std::string& statement : *statements) {
    if (auto err = connection.execute(statement)) {
      return Error(err.category(), fmt::format("cannot write to history table '{}': {}",
                                               table_.name(), err.message()));
    }
  }
  return Error::success();
}

Error HistoryJournal::write_now(HistoryEvent event) {
  if (!own_) {
    auto connection = OdbcConnection::connect(connection_string_, display_name_);
    if (!connection) return connection.take_error();
    own_.emplace(std::move(*connection));
  }
  return write(*own_, std::move(event));
}

}  // namespace retort
