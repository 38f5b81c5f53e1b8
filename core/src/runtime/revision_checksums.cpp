#include "runtime/revision_checksums.hpp"

#include <retort/log.hpp>

#include "runtime/offline_renderer.hpp"
#include "util/sha256.hpp"

#include <fmt/format.h>

#include <mutex>
#include <set>

namespace retort {
namespace {

// True the first time it is asked about `dialect` in this process. A
// dialect may keep state from one rendering to the next, so only the first
// rendering of a process starts where every process's does, and only it is
// recorded in the cache.
bool first_rendering(const Dialect& dialect) {
  static std::mutex mutex;
  static std::set<std::string> rendered;
  std::lock_guard<std::mutex> lock(mutex);
  return rendered.insert(dialect.path()).second;
}

void log_no_checksum(std::string_view id, std::string_view reason) {
  log(LogLevel::kDebug,
      fmt::format("revision '{}' has no checksum: its upgrade does not render offline: {}", id,
                  reason));
}

}  // namespace

struct RevisionChecksums::State {
  struct Entry {
    std::string id;
    const retort_revision* module = nullptr;
    std::optional<RevisionSummary> summary;
    std::optional<RevisionFingerprint> fingerprint;
  };

  const Entry* entry(std::string_view id) const {
    auto it = index.find(id);
    return it == index.end() ? nullptr : &entries[it->second];
  }
  void build_index() {
    for (size_t i = 0; i < entries.size(); ++i) index.try_emplace(entries[i].id, i);
  }
  // The summaries as the cache holds them, one per entry in plan order;
  // logs the revisions without a checksum.
  void take_cached(CachedPlan plan) {
    cached = std::move(plan);
    for (size_t i = 0; i < entries.size(); ++i) {
      const CachedPlan::Entry& r = cached.entries[i];
      if (r.checksum) {
        entries[i].summary = RevisionSummary{*r.checksum, r.statements};
      } else {
        log_no_checksum(entries[i].id, r.reason);
      }
    }
  }
  // Renders every revision in plan order, setting each fingerprint and, with
  // `summarize`, each summary; logs the revisions without a checksum.
  std::vector<CachedRendering> render_all(bool summarize);

  const Dialect* dialect = nullptr;
  std::vector<Entry> entries;  // in plan order
  CachedPlan cached;           // the summaries' checksums, when read from the cache
  std::unordered_map<std::string_view, size_t> index;  // the first entry of each id
  bool rendered_all = false;
  size_t rendered = 0;
  // A fleet's targets share one RevisionChecksums: find() renders lazily
  // under this lock.
  std::mutex render_mutex;
};

std::vector<CachedRendering> RevisionChecksums::State::render_all(bool summarize) {
  std::vector<CachedRendering> out;
  out.reserve(entries.size());
  for (Entry& e : entries) {
    ++rendered;
    CachedRendering& r = out.emplace_back();
    if (e.module == nullptr) {  // read from the cache for a map without modules
      r.reason = "its module is not loaded";
      continue;
    }
    const retort_revision& rev = *e.module;
    OfflineRenderer renderer(*dialect);
    StringSink message;
    const int status = rev.upgrade != nullptr
                           ? rev.upgrade(&rev, renderer.operations(), message.get())
                           : RETORT_UNSUPPORTED;
    if (status != RETORT_OK) {
      r.reason = renderer.error() ? renderer.error().message() : message.str();
      if (summarize) log_no_checksum(e.id, r.reason);
      continue;
    }
    Sha256 hash;
    for (const std::string& statement : renderer.statements()) {
      hash.update(statement.data(), statement.size());
      hash.update("", 1);
    }
    r.checksum = "v1:sha256:" + hash.hex_digest();
    r.statements = renderer.statements().size();
    e.fingerprint = RevisionFingerprint{*r.checksum, std::move(renderer.statements())};
    if (summarize) e.summary = RevisionSummary{e.fingerprint->checksum, r.statements};
  }
  rendered_all = true;
  return out;
}

RevisionChecksums RevisionChecksums::compute(const Dialect& dialect, const RevisionMap& map,
                                             std::optional<ChecksumCacheOptions> cache) {
  RevisionChecksums out;
  State& s = *out.state_;
  s.dialect = &dialect;
  s.rendered_all = true;
  auto order = map.upgrade_revisions({}, "heads");
  if (!order) return out;
  s.entries.reserve(order->size());
  for (const Revision* r : *order) {
    if (r->module == nullptr) continue;
    s.entries.push_back({r->id, r->module, std::nullopt, std::nullopt});
  }
  s.build_index();
  if (s.entries.empty()) return out;
  if (!cache) {
    first_rendering(dialect);
    s.render_all(/*summarize=*/true);
    return out;
  }
  std::vector<PlannedRevision> planned;
  planned.reserve(s.entries.size());
  for (const State::Entry& e : s.entries) planned.push_back({e.id, e.module});
  const ChecksumCache checksum_cache(dialect, planned, *cache);
  if (auto cached = checksum_cache.read()) {
    s.take_cached(std::move(*cached));
    s.rendered_all = false;
    return out;
  }
  const bool first = first_rendering(dialect);
  auto rendered = s.render_all(/*summarize=*/true);
  if (first) checksum_cache.write(rendered);
  return out;
}

std::optional<RevisionChecksums> RevisionChecksums::cached(
    const Dialect& dialect, const RevisionMap& map,
    const std::vector<std::string_view>& module_files, const ChecksumCacheOptions& cache) {
  RevisionChecksums out;
  State& s = *out.state_;
  s.dialect = &dialect;
  auto order = map.upgrade_revisions({}, "heads");
  if (!order) return std::nullopt;
  if (module_files.size() != map.revisions().size()) return std::nullopt;
  std::vector<PlannedFile> planned;
  planned.reserve(order->size());
  s.entries.reserve(order->size());
  for (const Revision* r : *order) {
    const std::string_view file = module_files[static_cast<size_t>(r - map.revisions().data())];
    if (file.empty()) return std::nullopt;
    s.entries.push_back({r->id, nullptr, std::nullopt, std::nullopt});
    planned.push_back({r->id, file});
  }
  s.build_index();
  if (s.entries.empty()) {
    s.rendered_all = true;
    return out;
  }
  // The ids point into the map, which outlives this function only.
  for (size_t i = 0; i < planned.size(); ++i) planned[i].id = s.entries[i].id;
  const ChecksumCache checksum_cache(dialect, planned, cache);
  auto read = checksum_cache.read();
  if (!read) return std::nullopt;
  s.take_cached(std::move(*read));
  s.rendered_all = true;  // nothing to render: find() has no fingerprint
  return out;
}

RevisionChecksums::RevisionChecksums() : state_(std::make_unique<State>()) {}

RevisionChecksums::RevisionChecksums(std::unordered_map<std::string, RevisionFingerprint> by_id)
    : RevisionChecksums() {
  for (auto& [id, fingerprint] : by_id) {
    state_->entries.push_back({id, nullptr, std::nullopt, std::move(fingerprint)});
  }
  for (State::Entry& e : state_->entries) {
    e.summary = RevisionSummary{e.fingerprint->checksum, e.fingerprint->statements.size()};
  }
  state_->build_index();
  state_->rendered_all = true;
}

RevisionChecksums::RevisionChecksums(RevisionChecksums&&) noexcept = default;
RevisionChecksums& RevisionChecksums::operator=(RevisionChecksums&&) noexcept = default;
RevisionChecksums::~RevisionChecksums() = default;

const RevisionSummary* RevisionChecksums::summary(std::string_view id) const {
  const State::Entry* e = state_ ? state_->entry(id) : nullptr;
  return e != nullptr && e->summary ? &*e->summary : nullptr;
}

const RevisionFingerprint* RevisionChecksums::find(std::string_view id) const {
  const State::Entry* e = state_ ? state_->entry(id) : nullptr;
  if (e == nullptr) return nullptr;
  std::lock_guard<std::mutex> lock(state_->render_mutex);
  if (!state_->rendered_all) {
    // The summaries stay as read: they are what a fresh rendering gave.
    first_rendering(*state_->dialect);
    state_->render_all(/*summarize=*/false);
  }
  return e->fingerprint ? &*e->fingerprint : nullptr;
}

size_t RevisionChecksums::rendered() const { return state_ ? state_->rendered : 0; }

}  // namespace retort
