// The smallest dialect: generic SQL for URLs minidb://..., which has no
// server to connect to (offline --sql scripts only).
#include <retort/dialect.hpp>

class MiniDbDialect : public retort::SqlDialect {
 public:
  static constexpr const char* kUrlSchemes[] = {"minidb", nullptr};
  static constexpr uint32_t kFlags = RETORT_DIALECT_TRANSACTIONAL_DDL;
  std::string connection_string(const retort::Url& /*url*/) const override {
    throw retort::DialectError::unsupported("minidb has no server: run with --sql");
  }
};

RETORT_DIALECT(MiniDbDialect, "minidb", "0.0.1")
