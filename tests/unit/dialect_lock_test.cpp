// What each dialect renders for the migration lock's host operations; the
// PostgreSQL and MariaDB queries also run in tests/server/migration_lock_test.cpp.
#include "dialect_test_support.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace dialect_test;
using Lines = std::vector<std::string>;

namespace {

retort_operation lock(uint32_t kind, const char* name) {
  retort_operation op = raw_operation(kind, {});
  op.table = retort_str{nullptr, 0};
  op.name = retort::to_str(name);
  return op;
}

}  // namespace

TEST_CASE("postgresql locks with a session advisory lock keyed by two hashes", "[dialect][lock]") {
  const retort::Dialect& pg = loaded_dialect("postgresql");
  CHECK(render(pg, lock(RETORT_OP_TRY_LOCK, "retort:h/db:v")).statements ==
        Lines{"SELECT CASE WHEN pg_try_advisory_lock(hashtext('retort'), hashtext('retort:h/db:v')) "
              "THEN 1 ELSE 0 END"});
  CHECK(render(pg, lock(RETORT_OP_RELEASE_LOCK, "it's")).statements ==
        Lines{"SELECT pg_advisory_unlock(hashtext('retort'), hashtext('it''s'))"});
  CHECK_THAT(render(pg, lock(RETORT_OP_LOCK_HOLDER, "n")).statements.at(0),
             Catch::Contains("FROM pg_locks l JOIN pg_stat_activity a") &&
                 Catch::Contains("l.objid = hashtext('n')::oid"));
}

TEST_CASE("mysql locks with GET_LOCK, hashing names over 64 characters", "[dialect][lock]") {
  const retort::Dialect& mysql = loaded_dialect("mysql");
  CHECK(render(mysql, lock(RETORT_OP_TRY_LOCK, "retort:h/db:v")).statements ==
        Lines{"SELECT COALESCE(GET_LOCK('retort:h/db:v', 0), 0)"});
  CHECK(render(mysql, lock(RETORT_OP_RELEASE_LOCK, "retort:h/db:v")).statements ==
        Lines{"SELECT RELEASE_LOCK('retort:h/db:v')"});
  const std::string long_name(80, 'x');
  const std::string rendered = render(mysql, lock(RETORT_OP_TRY_LOCK, long_name.c_str())).statements.at(0);
  CHECK(rendered == "SELECT COALESCE(GET_LOCK('" + std::string(47, 'x') + "#" +
                        rendered.substr(26 + 48, 16) + "', 0), 0)");
  CHECK(rendered.size() == std::string("SELECT COALESCE(GET_LOCK('', 0), 0)").size() + 64);
}

TEST_CASE("mssql locks with sp_getapplock owned by the session, its return code read",
          "[dialect][lock]") {
  const retort::Dialect& mssql = loaded_dialect("mssql");
  CHECK(render(mssql, lock(RETORT_OP_TRY_LOCK, "retort:h/db:v")).statements ==
        Lines{"DECLARE @result INT; EXEC @result = sp_getapplock @Resource = N'retort:h/db:v', "
              "@LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = 0; "
              "SELECT CASE WHEN @result >= 0 THEN 1 ELSE 0 END"});
  CHECK(render(mssql, lock(RETORT_OP_RELEASE_LOCK, "retort:h/db:v")).statements ==
        Lines{"EXEC sp_releaseapplock @Resource = N'retort:h/db:v', @LockOwner = 'Session'"});
}

TEST_CASE("oracle locks with DBMS_LOCK kept across commits, and cannot name the holder",
          "[dialect][lock]") {
  const retort::Dialect& oracle = loaded_dialect("oracle");
  const std::string try_lock = render(oracle, lock(RETORT_OP_TRY_LOCK, "retort:h/db:v")).statements.at(0);
  CHECK_THAT(try_lock, Catch::Contains("DBMS_LOCK.REQUEST(handle, DBMS_LOCK.X_MODE, 0, FALSE)") &&
                           Catch::EndsWith("SELECT retort_try_lock('retort:h/db:v') FROM dual"));
  CHECK(render(oracle, lock(RETORT_OP_LOCK_HOLDER, "n")).statements.empty());
}

TEST_CASE("sqlite renders no lock query", "[dialect][lock]") {
  CHECK(render(loaded_dialect("sqlite"), lock(RETORT_OP_TRY_LOCK, "n")).statements.empty());
}
