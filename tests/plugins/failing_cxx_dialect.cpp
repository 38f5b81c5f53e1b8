// A C++ dialect on the SDK whose construction fails, as one that checks its
// environment when it starts: RETORT_DIALECT's entry point catches the
// exception and tells the host why through its error channel (ABI 1.4).
#include <retort/dialect.hpp>

#include <stdexcept>
#include <string>

namespace {

class FailingDialect : public retort::SqlDialect {
 public:
  static constexpr const char* kUrlSchemes[] = {"failing", nullptr};
  FailingDialect() { throw std::runtime_error("RETORT_FAILING_ENV is not set"); }
  std::string connection_string(const retort::Url& /*url*/) const override { return {}; }
};

}  // namespace

RETORT_DIALECT(FailingDialect, "failing", "1.0.0")
