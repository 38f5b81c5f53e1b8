// What each dialect renders for the migration lock's host operations; the
// PostgreSQL and MariaDB queries also run in tests/server/migration_lock_test.cpp.
#include "dialect_test_support.hpp"
#include "plugin/plugin_loader.hpp"

#include <retort/abi.h>

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

// The name the host gives holds no host or database (issue 15, item 13): the
// key adds the database as the server names it, so runners reaching one
// database as 127.0.0.1 and as localhost meet (tests/server checks that).
TEST_CASE("postgresql locks with a session advisory lock keyed on the server's database and schema",
          "[dialect][lock]") {
  const retort::Dialect& pg = loaded_dialect("postgresql");
  CHECK(render(pg, lock(RETORT_OP_TRY_LOCK, "retort:v")).statements ==
        Lines{"SELECT CASE WHEN pg_try_advisory_lock(hashtext('retort'), hashtext(concat_ws('/', "
              "current_database(), current_schema(), 'retort:v'))) THEN 1 ELSE 0 END"});
  CHECK(render(pg, lock(RETORT_OP_RELEASE_LOCK, "it's")).statements ==
        Lines{"SELECT pg_advisory_unlock(hashtext('retort'), hashtext(concat_ws('/', "
              "current_database(), current_schema(), 'it''s')))"});
  CHECK_THAT(render(pg, lock(RETORT_OP_LOCK_HOLDER, "n")).statements.at(0),
             Catch::Contains("FROM pg_locks l JOIN pg_stat_activity a") &&
                 Catch::Contains("l.database = (SELECT oid FROM pg_database WHERE datname = "
                                 "current_database())") &&
                 Catch::Contains("l.objid = hashtext(concat_ws('/', current_database(), "
                                 "current_schema(), 'n'))::oid"));
}

TEST_CASE("mysql locks with GET_LOCK on a hash of the server's database and the name",
          "[dialect][lock]") {
  const retort::Dialect& mysql = loaded_dialect("mysql");
  const std::string key = "CONCAT('retort:', SHA1(CONCAT_WS('/', DATABASE(), 'retort:v')))";
  CHECK(render(mysql, lock(RETORT_OP_TRY_LOCK, "retort:v")).statements ==
        Lines{"SELECT COALESCE(GET_LOCK(" + key + ", 0), 0)"});
  CHECK(render(mysql, lock(RETORT_OP_RELEASE_LOCK, "retort:v")).statements ==
        Lines{"SELECT RELEASE_LOCK(" + key + ")"});
  // Any name: the key is 'retort:' and 40 hex digits, within MySQL's 64.
  const std::string long_name(80, 'x');
  CHECK(render_one(mysql, lock(RETORT_OP_TRY_LOCK, long_name.c_str())) ==
        "SELECT COALESCE(GET_LOCK(CONCAT('retort:', SHA1(CONCAT_WS('/', DATABASE(), '" + long_name +
            "'))), 0), 0)");
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
  const std::string try_lock =
      render(oracle, lock(RETORT_OP_TRY_LOCK, "retort:h/db:v")).statements.at(0);
  CHECK_THAT(try_lock, Catch::Contains("DBMS_LOCK.REQUEST(handle, DBMS_LOCK.X_MODE, 0, FALSE)") &&
                           Catch::EndsWith("SELECT retort_try_lock('retort:h/db:v') FROM dual"));
  CHECK(render(oracle, lock(RETORT_OP_LOCK_HOLDER, "n")).statements.empty());
}

// The lock an offline script (--sql --lock) waits for: the same key or name
// as the runner's TRY_LOCK, so that a script and a runner exclude each other.

TEST_CASE("postgresql script waits for the runner's advisory lock, keyed the same",
          "[dialect][postgresql][lock]") {
  const retort::Dialect& pg = loaded_dialect("postgresql");
  CHECK(render(pg, lock(RETORT_OP_WAIT_LOCK, "retort:v")).statements ==
        Lines{"SELECT pg_advisory_lock(hashtext('retort'), hashtext(concat_ws('/', "
              "current_database(), current_schema(), 'retort:v')))"});
}

TEST_CASE("mysql script waits a year for the runner's lock, failing through sql_mode if refused",
          "[dialect][mysql][lock]") {
  const retort::Dialect& mysql = loaded_dialect("mysql");
  CHECK(render(mysql, lock(RETORT_OP_WAIT_LOCK, "retort:v")).statements ==
        Lines{"SET SESSION sql_mode = IF(COALESCE(GET_LOCK(CONCAT('retort:', SHA1(CONCAT_WS('/', "
              "DATABASE(), 'retort:v'))), 31536000), 0) = 1, @@SESSION.sql_mode, "
              "'cannot take the migration lock retort:v')"});
}

TEST_CASE("mssql script waits for the runner's applock without limit and throws when refused",
          "[dialect][mssql][lock]") {
  CHECK(render(loaded_dialect("mssql"), lock(RETORT_OP_WAIT_LOCK, "retort:h/db:v")).statements ==
        Lines{"DECLARE @result INT; EXEC @result = sp_getapplock @Resource = N'retort:h/db:v', "
              "@LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = -1; "
              "IF @result < 0 THROW 50000, N'cannot take the migration lock retort:h/db:v', 1"});
}

TEST_CASE("oracle script waits for the runner's DBMS_LOCK in a block that raises when refused",
          "[dialect][oracle][lock]") {
  CHECK(render(loaded_dialect("oracle"), lock(RETORT_OP_WAIT_LOCK, "it's")).statements ==
        Lines{"DECLARE handle VARCHAR2(128); result INTEGER; "
              "BEGIN DBMS_LOCK.ALLOCATE_UNIQUE('it''s', handle); "
              "result := DBMS_LOCK.REQUEST(handle, lockmode => DBMS_LOCK.X_MODE, "
              "timeout => DBMS_LOCK.MAXWAIT, release_on_commit => FALSE); "
              "IF result NOT IN (0, 4) THEN RAISE_APPLICATION_ERROR(-20001, "
              "'cannot take the migration lock it''s: DBMS_LOCK.REQUEST returned ' || result); "
              "END IF; END;"});
}

TEST_CASE("sqlite locks with the write transaction: BEGIN IMMEDIATE, then COMMIT",
          "[dialect][lock][sqlite]") {
  const retort::Dialect& sqlite = loaded_dialect("sqlite");
  CHECK(render(sqlite, lock(RETORT_OP_TRY_LOCK, "retort:/app.db:v")).statements ==
        Lines{"BEGIN IMMEDIATE"});
  CHECK(render(sqlite, lock(RETORT_OP_RELEASE_LOCK, "retort:/app.db:v")).statements ==
        Lines{"COMMIT"});
  CHECK(render(sqlite, lock(RETORT_OP_LOCK_HOLDER, "retort:/app.db:v")).statements.empty());
  // The flag that tells the host to run them on the migration's connection.
  const retort::Expected<retort::LoadedPlugin> plugin =
      retort::load_plugin(std::string(RETORT_TEST_DIALECT_DIR) + "/sqlite.so", RETORT_KIND_DIALECT);
  REQUIRE(plugin);
  const auto& table = *static_cast<const retort_dialect*>(plugin->descriptor.table);
  CHECK(table.flags == (RETORT_DIALECT_TRANSACTIONAL_DDL | RETORT_DIALECT_LOCK_IS_TRANSACTION));
}
