#include "runtime/revision_checksums.hpp"

#include <retort/log.hpp>

#include "runtime/offline_renderer.hpp"
#include "util/sha256.hpp"

#include <fmt/format.h>

namespace retort {

RevisionChecksums RevisionChecksums::compute(const Dialect& dialect, const RevisionMap& map) {
  RevisionChecksums out;
  auto plan = map.upgrade_plan({}, "heads");
  if (!plan) return out;
  for (const MigrationStep& step : *plan) {
    if (step.stamp || step.revision == nullptr || step.revision->module == nullptr) continue;
    const Revision& rev = *step.revision;
    OfflineRenderer renderer(dialect);
    StringSink message;
    const int status = rev.module->upgrade != nullptr
                           ? rev.module->upgrade(rev.module, renderer.operations(), message.get())
                           : RETORT_UNSUPPORTED;
    if (status != RETORT_OK) {
      log(LogLevel::kDebug,
          fmt::format("revision '{}' has no checksum: its upgrade does not render offline: {}", rev.id,
                      renderer.error() ? renderer.error().message() : message.str()));
      continue;
    }
    Sha256 hash;
    for (const std::string& statement : renderer.statements()) {
      hash.update(statement.data(), statement.size());
      hash.update("", 1);
    }
    out.by_id_.emplace(rev.id, RevisionFingerprint{"v1:sha256:" + hash.hex_digest(),
                                                   std::move(renderer.statements())});
  }
  return out;
}

const RevisionFingerprint* RevisionChecksums::find(std::string_view id) const {
  auto it = by_id_.find(std::string(id));
  return it == by_id_.end() ? nullptr : &it->second;
}

}  // namespace retort
