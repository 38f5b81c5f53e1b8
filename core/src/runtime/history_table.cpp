#include "runtime/history_table.hpp"

#include "runtime/offline_renderer.hpp"

#include <retort/schema.hpp>
#include <retort/shorten.hpp>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <random>
#include <set>
#include <string_view>

#include <pwd.h>
#include <unistd.h>

namespace retort {
namespace {

using Cell = std::optional<std::string>;

// A value the table holds that retort cannot read: `what` says which.
struct Unreadable {
  std::string what;
};

template <typename T>
Value optional_value(const std::optional<T>& v) {
  return v ? Value(*v) : Value(nullptr);
}

std::optional<long long> optional_integer(const Cell& cell, const char* column) {
  if (!cell) return std::nullopt;
  // As leniently as before: a driver may write an integer as "3.0".
  try {
    return std::stoll(*cell);
  } catch (const std::exception&) {
  }
  throw Unreadable{fmt::format("{} '{}', not a number", column, shorten(*cell))};
}

long long integer(const Cell& cell, const char* column) {
  return optional_integer(cell, column).value_or(0);
}

template <typename Enum>
Enum word(const Cell& cell, std::optional<Enum> (*parse)(std::string_view), const char* column) {
  if (std::optional<Enum> known = parse(cell.value_or(std::string()))) return *known;
  throw Unreadable{fmt::format("{} '{}', a word this retort does not know", column,
                               shorten(cell.value_or("NULL")))};
}

std::string text(Cell&& cell) { return std::move(cell).value_or(std::string()); }

// One column: its definition, the event's value for it, and how its text
// reads back into an event. Rows are read by these names, so a column added
// here shifts nothing.
struct Field {
  Column column;
  Value (*value)(const HistoryEvent&);
  void (*read)(HistoryEvent&, Cell&&);
};

const std::vector<Field>& fields() {
  static const std::vector<Field> all = {
      {Column("run_id", String(32)).nullable(false),
       [](const HistoryEvent& e) { return Value(e.run); },
       [](HistoryEvent& e, Cell&& c) { e.run = text(std::move(c)); }},
      {Column("seq", Integer()).nullable(false), [](const HistoryEvent& e) { return Value(e.seq); },
       [](HistoryEvent& e, Cell&& c) { e.seq = integer(c, "seq"); }},
      {Column("revision", String(255)).nullable(false),
       [](const HistoryEvent& e) { return Value(e.revision); },
       [](HistoryEvent& e, Cell&& c) { e.revision = text(std::move(c)); }},
      {Column("direction", String(16)).nullable(false),
       [](const HistoryEvent& e) { return Value(std::string(to_text(e.direction))); },
       [](HistoryEvent& e, Cell&& c) { e.direction = word(c, direction_from_text, "direction"); }},
      {Column("event", String(16)).nullable(false),
       [](const HistoryEvent& e) { return Value(std::string(to_text(e.event))); },
       [](HistoryEvent& e, Cell&& c) { e.event = word(c, step_event_from_text, "event"); }},
      {Column("statements_done", Integer()).nullable(false),
       [](const HistoryEvent& e) { return Value(e.statements_done); },
       [](HistoryEvent& e, Cell&& c) { e.statements_done = integer(c, "statements_done"); }},
      {Column("statements_total", Integer()),
       [](const HistoryEvent& e) { return optional_value(e.statements_total); },
       [](HistoryEvent& e, Cell&& c) {
         e.statements_total = optional_integer(c, "statements_total");
       }},
      {Column("checksum", String(80)),
       [](const HistoryEvent& e) { return optional_value(e.checksum); },
       [](HistoryEvent& e, Cell&& c) { e.checksum = std::move(c); }},
      {Column("recorded_at", String(32)).nullable(false),
       [](const HistoryEvent& e) { return Value(e.at); },
       [](HistoryEvent& e, Cell&& c) { e.at = text(std::move(c)); }},
      {Column("started_at", String(32)),
       [](const HistoryEvent& e) { return optional_value(e.started_at); },
       [](HistoryEvent& e, Cell&& c) { e.started_at = std::move(c); }},
      {Column("duration_ms", BigInteger()),
       [](const HistoryEvent& e) { return optional_value(e.duration_ms); },
       [](HistoryEvent& e, Cell&& c) { e.duration_ms = optional_integer(c, "duration_ms"); }},
      {Column("who", String(255)).nullable(false),
       [](const HistoryEvent& e) { return Value(e.who); },
       [](HistoryEvent& e, Cell&& c) { e.who = text(std::move(c)); }},
      {Column("dialect", String(64)).nullable(false),
       [](const HistoryEvent& e) { return Value(e.dialect); },
       [](HistoryEvent& e, Cell&& c) { e.dialect = text(std::move(c)); }},
      {Column("sql_text", Text()), [](const HistoryEvent& e) { return optional_value(e.sql); },
       [](HistoryEvent& e, Cell&& c) { e.sql = std::move(c); }},
      {Column("error_text", Text()), [](const HistoryEvent& e) { return optional_value(e.error); },
       [](HistoryEvent& e, Cell&& c) { e.error = std::move(c); }},
  };
  return all;
}

std::vector<Column> columns() {
  std::vector<Column> out;
  for (const Field& f : fields()) out.push_back(f.column);
  return out;
}

}  // namespace

Expected<std::vector<std::string>> HistoryTable::create_statements() const {
  return OfflineRenderer(*dialect_).render([&](Operations& op) {
    // No key: an insert-only log, and a table every dialect can create.
    op.create_table(name_, columns());
  });
}

Expected<std::vector<std::string>> HistoryTable::insert_statements(const HistoryEvent& e) const {
  Row row;
  for (const Field& f : fields()) row.push_back(f.value(e));
  return OfflineRenderer(*dialect_).render(
      [&](Operations& op) { op.bulk_insert(name_, columns(), {row}); });
}

Error HistoryTable::renderable() const {
  auto create = create_statements();
  if (!create) return create.take_error();
  // Every optional column set, so that each is rendered.
  const HistoryEvent sample{.run = "0",
                            .seq = 1,
                            .revision = "a",
                            .statements_total = 1,
                            .checksum = "v1:sha256:",
                            .started_at = "",
                            .duration_ms = 0,
                            .sql = "",
                            .error = ""};
  auto insert = insert_statements(sample);
  return insert ? Error::success() : insert.take_error();
}

Expected<std::vector<HistoryEvent>> HistoryTable::read(OdbcConnection& connection,
                                                       Columns columns) const {
  auto exists = connection.table_exists(name_);
  if (!exists) return exists.take_error();
  if (!*exists) return std::vector<HistoryEvent>{};
  static const std::set<std::string_view> kForCheck = {"run_id",    "seq",        "revision",
                                                       "direction", "event",      "statements_done",
                                                       "checksum",  "recorded_at"};
  std::vector<const Field*> selected;
  std::string list;
  for (const Field& f : fields()) {
    if (columns == Columns::kForCheck && kForCheck.count(f.column.name()) == 0) continue;
    selected.push_back(&f);
    list += (list.empty() ? "" : ", ") + f.column.name();
  }
  const std::string select = fmt::format("SELECT {} FROM {}", list, name_);
  std::vector<HistoryEvent> events;
  bool bad_row = false;  // the error is the row's, not the driver's
  // One row into an event.
  auto add = [&](std::vector<Cell>& r) -> Error {
    bad_row = true;
    if (r.size() != selected.size()) {
      return Error(ErrorCategory::kDatabase,
                   fmt::format("history table '{}' returned {} columns where {} were selected",
                               name_, r.size(), selected.size()),
                   "look at the table by hand");
    }
    HistoryEvent& e = events.emplace_back();
    try {
      for (size_t i = 0; i < r.size(); ++i) selected[i]->read(e, std::move(r[i]));
    } catch (const Unreadable& bad) {
      return Error(ErrorCategory::kDatabase,
                   fmt::format("history table '{}' holds a row retort did not write: its {}", name_,
                               bad.what),
                   "a newer retort may have written it; read it with that one, or fix the row "
                   "by hand");
    }
    bad_row = false;
    return Error::success();
  };
  auto unreadable = [&](Error err) {
    if (bad_row) return err;
    return Error(ErrorCategory::kDatabase,
                 fmt::format("cannot read history table '{}': {}", name_, err.message()));
  };
  // The check's columns are short: fetched in blocks (thousands of rows at
  // 10,000 revisions), unless a value is longer than its column says.
  bool read = false;
  if (columns == Columns::kForCheck) {
    std::vector<size_t> widths;
    for (const Field* f : selected) {
      const retort_column& c = f->column.c();
      widths.push_back(c.type == RETORT_TYPE_STRING ? c.length : 20);  // else an integer
    }
    // Thousands of events are placed once, not moved at each growth
    // (drivers seldom tell a SELECT's row count).
    auto count = connection.query_column(fmt::format("SELECT COUNT(*) FROM {}", name_));
    if (count && count->size() == 1 && (*count)[0]) {
      size_t rows = 0;
      const std::string& text = *(*count)[0];
      std::from_chars(text.data(), text.data() + text.size(), rows);
      events.reserve(rows);
    }
    auto fetched = connection.query_short(select, widths, add);
    if (!fetched) return unreadable(fetched.take_error());
    read = *fetched;
    if (!read) events.clear();
  }
  if (!read) {
    auto rows = connection.query(select);
    if (!rows) return unreadable(rows.take_error());
    events.reserve(rows->size());
    for (auto& r : *rows) {
      if (Error err = add(r)) return err;
    }
  }
  // Oldest first: by time, then by place within a run. Rows mostly come
  // back in the order they were written, which is that order already.
  auto older = [](const HistoryEvent& a, const HistoryEvent& b) {
    if (a.at != b.at) return a.at < b.at;
    if (a.run != b.run) return a.run < b.run;
    return a.seq < b.seq;
  };
  if (!std::is_sorted(events.begin(), events.end(), older)) {
    std::stable_sort(events.begin(), events.end(), older);
  }
  return events;
}

std::string utc_timestamp() {
  const auto now = std::chrono::system_clock::now();
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() %
      1000000;
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:06d}Z",
                     fmt::gmtime(std::chrono::system_clock::to_time_t(now)), micros);
}

std::string process_identity() {
  std::string user;
  if (const passwd* pw = getpwuid(geteuid()); pw != nullptr && pw->pw_name != nullptr) {
    user = pw->pw_name;
  } else {
    user = fmt::format("uid {}", geteuid());
  }
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return fmt::format("{}@{} pid {}", user, host, getpid());
}

std::string new_run_id() {
  std::random_device device;
  std::mt19937_64 engine((static_cast<uint64_t>(device()) << 32) ^ device() ^
                         static_cast<uint64_t>(getpid()));
  return fmt::format("{:016x}", engine());
}

}  // namespace retort
