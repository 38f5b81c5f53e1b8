#include "runtime/history_table.hpp"

#include "runtime/offline_renderer.hpp"

#include <retort/schema.hpp>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <random>

#include <pwd.h>
#include <unistd.h>

namespace retort {
namespace {

// The columns, in the order of every row the host writes and reads.
std::vector<Column> columns() {
  return {
      Column("run_id", String(32)).nullable(false),
      Column("seq", Integer()).nullable(false),
      Column("revision", String(255)).nullable(false),
      Column("direction", String(16)).nullable(false),
      Column("event", String(16)).nullable(false),
      Column("statements_done", Integer()).nullable(false),
      Column("statements_total", Integer()),
      Column("checksum", String(80)),
      Column("recorded_at", String(32)).nullable(false),
      Column("started_at", String(32)),
      Column("duration_ms", BigInteger()),
      Column("who", String(255)).nullable(false),
      Column("dialect", String(64)).nullable(false),
      Column("sql_text", Text()),
      Column("error_text", Text()),
  };
}

template <typename T>
Value optional_value(const std::optional<T>& v) {
  return v ? Value(*v) : Value(nullptr);
}

long long to_integer(const std::optional<std::string>& text) {
  return text ? std::stoll(*text) : 0;
}

std::optional<long long> to_optional_integer(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  return std::stoll(*text);
}

}  // namespace

Expected<std::vector<std::string>> HistoryTable::create_statements() const {
  return OfflineRenderer(*dialect_).render([&](Operations& op) {
    // No key: an insert-only log, and a table every dialect can create.
    op.create_table(name_, columns());
  });
}

Expected<std::vector<std::string>> HistoryTable::insert_statements(const HistoryEvent& e) const {
  Row row{e.run,
          e.seq,
          e.revision,
          e.direction,
          e.event,
          e.statements_done,
          optional_value(e.statements_total),
          optional_value(e.checksum),
          e.at,
          optional_value(e.started_at),
          optional_value(e.duration_ms),
          e.who,
          e.dialect,
          optional_value(e.sql),
          optional_value(e.error)};
  return OfflineRenderer(*dialect_).render([&](Operations& op) { op.bulk_insert(name_, columns(), {row}); });
}

Error HistoryTable::renderable() const {
  auto create = create_statements();
  if (!create) return create.take_error();
  HistoryEvent sample{"0", 1, "a", "upgrade", "done", 0, 1, "v1:sha256:", "", "", 0, "", "", "", ""};
  auto insert = insert_statements(sample);
  return insert ? Error::success() : insert.take_error();
}

Expected<std::vector<HistoryEvent>> HistoryTable::read(OdbcConnection& connection) const {
  auto exists = connection.table_exists(name_);
  if (!exists) return exists.take_error();
  if (!*exists) return std::vector<HistoryEvent>{};
  std::string list;
  for (const Column& c : columns()) list += (list.empty() ? "" : ", ") + c.name();
  auto rows = connection.query(fmt::format("SELECT {} FROM {}", list, name_));
  if (!rows) {
    return Error(ErrorCategory::kDatabase, fmt::format("cannot read history table '{}': {}", name_,
                                                       rows.error().message()));
  }
  std::vector<HistoryEvent> events;
  events.reserve(rows->size());
  try {
    for (auto& r : *rows) {
      if (r.size() != 15) break;
      auto text = [&](size_t i) { return std::move(r[i]).value_or(std::string()); };
      events.push_back(HistoryEvent{text(0), to_integer(r[1]), text(2), text(3), text(4),
                                    to_integer(r[5]), to_optional_integer(r[6]), std::move(r[7]),
                                    text(8), std::move(r[9]), to_optional_integer(r[10]), text(11),
                                    text(12), std::move(r[13]), std::move(r[14])});
    }
  } catch (const std::exception&) {
    return Error(ErrorCategory::kDatabase,
                 fmt::format("history table '{}' holds a row retort did not write", name_),
                 "a number column holds something else; look at the table by hand");
  }
  // Oldest first: by time, then by place within a run.
  std::stable_sort(events.begin(), events.end(), [](const HistoryEvent& a, const HistoryEvent& b) {
    if (a.at != b.at) return a.at < b.at;
    if (a.run != b.run) return a.run < b.run;
    return a.seq < b.seq;
  });
  return events;
}

std::string utc_timestamp() {
  const auto now = std::chrono::system_clock::now();
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() % 1000000;
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:06d}Z", fmt::gmtime(std::chrono::system_clock::to_time_t(now)),
                     micros);
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
