// A retort_operations that runs nothing: each operation submitted to it is
// rendered by the dialect, offline, and its statements kept. The host uses
// it to build its own tables with the SDK's builders (history_table.cpp) and
// to fingerprint what a revision renders (revision_checksums.cpp).
#ifndef RETORT_OFFLINE_RENDERER_HPP
#define RETORT_OFFLINE_RENDERER_HPP

#include <retort/error.hpp>
#include <retort/operations.hpp>

#include "plugin/host_dialect.hpp"

#include <string>
#include <vector>

namespace retort {

class OfflineRenderer {
 public:
  explicit OfflineRenderer(const Dialect& dialect) : dialect_(&dialect) {}
  OfflineRenderer(const OfflineRenderer&) = delete;
  OfflineRenderer& operator=(const OfflineRenderer&) = delete;

  // For a revision module's upgrade or downgrade function.
  const retort_operations* operations() const { return &host_; }
  std::vector<std::string>& statements() { return statements_; }
  // Why the last submit failed, if it did.
  const Error& error() const { return error_; }

  // Calls build(Operations&) and returns what it rendered.
  template <typename Build>
  Expected<std::vector<std::string>> render(Build build) {
    Operations op(&host_);
    try {
      build(op);
    } catch (const detail::HostAborted&) {
      return std::move(error_);
    }
    return std::move(statements_);
  }

 private:
  static int submit(void* ctx, const retort_operation* op) {
    auto* self = static_cast<OfflineRenderer*>(ctx);
    auto rendered = self->dialect_->render(*op);
    if (!rendered) {
      self->error_ = rendered.take_error();
      return RETORT_ERROR;
    }
    for (std::string& s : *rendered) self->statements_.push_back(std::move(s));
    return RETORT_OK;
  }
  static int query(void* ctx, const char*, size_t, const retort_row_sink*) {
    static_cast<OfflineRenderer*>(ctx)->error_ =
        Error(ErrorCategory::kMigration, "a revision cannot run a query offline",
              "check op.is_offline() before op.query()");
    return RETORT_UNSUPPORTED;
  }

  const Dialect* dialect_;
  const retort_operations host_{sizeof(retort_operations), this, &OfflineRenderer::submit,
                                RETORT_OPERATIONS_OFFLINE, &OfflineRenderer::query};
  std::vector<std::string> statements_;
  Error error_;
};

}  // namespace retort

#endif  // RETORT_OFFLINE_RENDERER_HPP
