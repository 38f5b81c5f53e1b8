#include "script/revision_module.hpp"

#include "plugin/plugin_loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <cstring>

namespace retort {
namespace {

// The sizes of ABI 1.0's structs: later plugins may hand out more.
constexpr size_t kRevisionV1Size = offsetof(retort_revision, downgrade) + sizeof(retort_migrate_fn);
constexpr size_t kRevisionTableV1Size =
    offsetof(retort_revision_module, revisions) + sizeof(const retort_revision* const*);
// Far beyond any real pack; a count past it is garbage, not revisions.
constexpr size_t kMaxRevisionsPerModule = 1'000'000;

std::vector<std::string> c_list(const char* const* list) {
  std::vector<std::string> out;
  for (; list != nullptr && *list != nullptr; ++list) out.emplace_back(*list);
  return out;
}

std::string show(const std::vector<std::string>& ids) {
  if (ids.empty()) return "none";
  std::string out;
  for (const std::string& id : ids) out += (out.empty() ? "'" : ", '") + id + "'";
  return out;
}

}  // namespace

Expected<RevisionModule> load_revision_module(const std::string& path) {
  auto plugin = load_plugin(path, RETORT_KIND_REVISIONS);
  if (!plugin) return plugin.take_error();
  RevisionModule module;
  module.path = path;
  module.abi_major = plugin->descriptor.abi_major;
  module.abi_minor = plugin->descriptor.abi_minor;
  // Every size, count and pointer the module hands over is checked before
  // it is followed: a bad one is a refusal, not a crash.
  auto malformed = [&](const std::string& what) {
    return Error(ErrorCategory::kPlugin,
                 fmt::format("cannot load '{}': its revision table {}", path, what),
                 "rebuild the module against the retort SDK");
  };
  retort_revision_module table{};
  const auto* raw = static_cast<const retort_revision_module*>(plugin->descriptor.table);
  if (raw->struct_size < kRevisionTableV1Size) {
    return malformed(fmt::format("is {} bytes, shorter than ABI 1.0's {}", raw->struct_size,
                                 kRevisionTableV1Size));
  }
  std::memcpy(&table, raw, std::min<size_t>(raw->struct_size, sizeof table));
  if (table.revision_count > kMaxRevisionsPerModule) {
    return malformed(fmt::format("claims {} revisions, more than the {} a module may hold",
                                 table.revision_count, kMaxRevisionsPerModule));
  }
  if (table.revision_count > 0 && table.revisions == nullptr) {
    return malformed(
        fmt::format("claims {} revisions and has no array of them", table.revision_count));
  }
  for (size_t i = 0; i < table.revision_count; ++i) {
    const retort_revision* r = table.revisions[i];
    if (r == nullptr || r->struct_size < kRevisionV1Size || r->id == nullptr) {
      return Error(
          ErrorCategory::kPlugin,
          fmt::format("cannot load '{}': revision {} of the module is malformed", path, i));
    }
    Revision rev;
    rev.id = r->id;
    rev.down_revisions = c_list(r->down_revisions);
    rev.branch_labels = c_list(r->branch_labels);
    rev.depends_on = c_list(r->depends_on);
    rev.message = r->message != nullptr ? r->message : "";
    rev.create_date = r->create_date != nullptr ? r->create_date : "";
    rev.path = path;
    rev.module = r;
    module.revisions.push_back(std::move(rev));
  }
  return module;
}

std::string metadata_difference(const Revision& a, const Revision& b) {
  if (a.id != b.id) return fmt::format("revision '{}' against '{}'", a.id, b.id);
  if (a.down_revisions != b.down_revisions) {
    return fmt::format("down_revision {} against {}", show(a.down_revisions),
                       show(b.down_revisions));
  }
  if (a.branch_labels != b.branch_labels) {
    return fmt::format("branch_labels {} against {}", show(a.branch_labels), show(b.branch_labels));
  }
  if (a.depends_on != b.depends_on) {
    return fmt::format("depends_on {} against {}", show(a.depends_on), show(b.depends_on));
  }
  if (a.message != b.message) return fmt::format("message '{}' against '{}'", a.message, b.message);
  if (a.create_date != b.create_date) {
    return fmt::format("create_date '{}' against '{}'", a.create_date, b.create_date);
  }
  return "";
}

}  // namespace retort
