// A dialect written with the SDK's C++ layer, as small as one can be: the
// generic rendering of SqlDialect, plus three operations that fail in each
// way a C++ dialect can. It is built twice, by g++ (cxx_dialect.so) and by
// clang++ (clang/cxx_dialect.so), and the g++-built host loads both; the
// thunks of RETORT_DIALECT must turn every exception into a status and a
// message, so nothing is thrown into C.
#include <retort/dialect.hpp>

#include <stdexcept>
#include <string>

namespace {

class TinyDialect : public retort::SqlDialect {
 public:
  static constexpr const char* kUrlSchemes[] = {"tiny", nullptr};
  static constexpr uint32_t kFlags = RETORT_DIALECT_TRANSACTIONAL_DDL;

  std::string connection_string(const retort::Url& url) const override {
    if (url.database.empty()) throw retort::DialectError::invalid("a tiny URL names a database");
    return "Driver=Tiny;Database=" + url.database;
  }

  // A DialectError: its status and message reach the host.
  retort::Statements render_rename_table(const retort_operation& /*op*/) const override {
    throw retort::DialectError::unsupported("tiny cannot rename tables");
  }
  // A std::exception from the author's own code.
  retort::Statements render_drop_table(const retort_operation& /*op*/) const override {
    throw std::runtime_error("tiny keeps every table");
  }
  // Not a std::exception at all.
  retort::Statements render_drop_column(const retort_operation& /*op*/) const override { throw 42; }
};

}  // namespace

RETORT_DIALECT(TinyDialect, "tiny", "1.0.0")
