#!/usr/bin/env bash
# The C++ dialect plugin mariadb_native, built out of tree against the
# installed SDK, migrates the test MariaDB server through the installed
# retort (mariadbx:// URLs): upgrade creates a table, an index and columns;
# a revision that failed after its first statement runs again cleanly thanks
# to ADD COLUMN IF NOT EXISTS (the built-in mysql dialect fails there); the
# mariadb:// scheme both claim is settled by the ini's dialect key; downgrade
# base removes everything.
#   mariadb_native.sh SOURCE_ROOT PREFIX WORKDIR
set -euo pipefail
source_root=$1 prefix=$2 work=$3
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [[ -z ${RETORT_TEST_MARIADB_URL:-} ]]; then
  check "scripts/servers.sh start failed" "$source_root/scripts/servers.sh" start >/dev/null
  eval "$("$source_root/scripts/servers.sh" env)"
fi
[[ $RETORT_TEST_MARIADB_URL =~ ^mariadb://([^:@/]+):([^@/]*)@([^:/]+):([0-9]+)/([^/?]+)$ ]] ||
  fail "RETORT_TEST_MARIADB_URL is not mariadb://user:password@host:port/database"
my_user=${BASH_REMATCH[1]} my_password=$(printf '%b' "${BASH_REMATCH[2]//%/\\x}")
my_host=${BASH_REMATCH[3]} my_port=${BASH_REMATCH[4]} my_db=${BASH_REMATCH[5]}
url=mariadbx://${RETORT_TEST_MARIADB_URL#mariadb://}

# sql STATEMENTS: runs them with the mariadb client; rows tab-separated, no header.
sql() {
  MYSQL_PWD=$my_password mariadb --no-defaults -h "$my_host" -P "$my_port" -u "$my_user" \
    --batch --skip-column-names "$my_db" -e "$1"
}
columns() {
  sql "SELECT column_name FROM information_schema.columns WHERE table_schema = DATABASE()
       AND table_name = 'tp_md_account' ORDER BY ordinal_position" | tr '\n' ',' | sed 's/,$//'
}
version() { sql "SELECT version_num FROM tp_md_version" 2>/dev/null | tr '\n' ',' | sed 's/,$//'; }
command -v mariadb >/dev/null || fail "the mariadb client is not installed (scripts/install-deps.sh --servers)"
# Names of our own: other tests share this database.
check "cannot reach the test MariaDB server with the mariadb client" \
  sql "DROP TABLE IF EXISTS tp_md_account, tp_md_version" >/dev/null

build_plugins
[[ -f $work/plugins-build/dialects/mariadb_native.so ]] || fail "plugins/build.sh made no mariadb_native.so"

project=$work/mariadb_native-project
new_project "$project" "$url" version_table=tp_md_version
check "retort revision failed" retort revision -m "create account" --rev-id ba5e00000001 >/dev/null
cat >"$(revision_file ba5e00000001)" <<'CPP'
// create account
//
// Revision ID: ba5e00000001
// Revises:
// Create Date: 2026-11-21 08:00:00

#include <retort/revision.hpp>

namespace {

void upgrade(retort::Operations& op) {
  op.create_table("tp_md_account",
                  {retort::Column("id", retort::Integer()).primary_key().autoincrement(),
                   retort::Column("name", retort::String(50)).nullable(false)});
  op.create_index("ix_tp_md_account_name", "tp_md_account", {"name"});
}

void downgrade(retort::Operations& op) {
  op.drop_index("ix_tp_md_account_name", "tp_md_account");
  op.drop_table("tp_md_account");
}

}  // namespace

RETORT_REVISION(
    .revision = "ba5e00000001",
    .down_revision = nullptr,
    .message = "create account",
    .create_date = "2026-11-21 08:00:00",
    .upgrade = upgrade,
    .downgrade = downgrade)
CPP
check "retort revision failed" retort revision -m "add contact" --rev-id ba5e00000002 >/dev/null
# With TP_FAIL_AFTER_FIRST set, the upgrade fails right after its first
# statement: a half-run revision, as a crash or a typo would leave it.
cat >"$(revision_file ba5e00000002)" <<'CPP'
// add contact
//
// Revision ID: ba5e00000002
// Revises: ba5e00000001
// Create Date: 2026-11-21 08:01:00

#include <retort/revision.hpp>

#include <cstdlib>

namespace {

void upgrade(retort::Operations& op) {
  op.add_column("tp_md_account", retort::Column("email", retort::String(100)));
  if (std::getenv("TP_FAIL_AFTER_FIRST") != nullptr) {
    op.execute("SELECT no_such_column FROM tp_md_account");
  }
  op.add_column("tp_md_account", retort::Column("nickname", retort::String(30)));
}

void downgrade(retort::Operations& op) {
  op.drop_column("tp_md_account", "nickname");
  op.drop_column("tp_md_account", "email");
}

}  // namespace

RETORT_REVISION(
    .revision = "ba5e00000002",
    .down_revision = "ba5e00000001",
    .message = "add contact",
    .create_date = "2026-11-21 08:01:00",
    .upgrade = upgrade,
    .downgrade = downgrade)
CPP

script=$(check "retort upgrade head --sql failed with mariadb_native" retort upgrade head --sql)
grep -qF 'ALTER TABLE `tp_md_account` ADD COLUMN IF NOT EXISTS `email` VARCHAR(100);' <<<"$script" ||
  fail "the --sql script lacks mariadb_native's ADD COLUMN IF NOT EXISTS; it was:"$'\n'"$script"

check "retort upgrade ba5e00000001 failed with mariadb_native" retort upgrade ba5e00000001 >/dev/null
[[ $(columns) == id,name ]] || fail "after upgrade ba5e00000001 tp_md_account has columns '$(columns)', expected 'id,name'"
index=$(sql "SELECT DISTINCT index_name FROM information_schema.statistics WHERE table_schema = DATABASE()
             AND table_name = 'tp_md_account' AND index_name = 'ix_tp_md_account_name'")
[[ $index == ix_tp_md_account_name ]] || fail "after upgrade ba5e00000001 there is no index ix_tp_md_account_name"
[[ $(version) == ba5e00000001 ]] || fail "the version table says '$(version)', expected 'ba5e00000001'"

# The half run: email is added, then the revision fails. MariaDB commits DDL
# at once, so email stays while the version table still says ba5e00000001.
if out=$(TP_FAIL_AFTER_FIRST=1 retort upgrade head 2>&1); then
  fail "the upgrade meant to fail after its first statement succeeded:"$'\n'"$out"
fi
[[ $(columns) == id,name,email ]] || fail "after the half run tp_md_account has columns '$(columns)', expected 'id,name,email'"
[[ $(version) == ba5e00000001 ]] || fail "after the half run the version table says '$(version)', expected 'ba5e00000001'"

# The built-in mysql dialect cannot run the revision again: email exists.
sed "s|^url = mariadbx://|url = mysql://|" retort.ini >retort-mysql.ini
if out=$(retort -c retort-mysql.ini upgrade head 2>&1); then
  fail "re-running the half-run revision with the built-in mysql dialect succeeded; the test no longer shows what IF NOT EXISTS is for"
fi
grep -qi "duplicate column" <<<"$out" ||
  fail "re-running with the built-in mysql dialect failed for another reason than the duplicate column:"$'\n'"$out"

# mariadb_native runs it again: ADD COLUMN IF NOT EXISTS skips email.
check "re-running the half-run revision with mariadb_native failed" retort upgrade head >/dev/null
[[ $(columns) == id,name,email,nickname ]] ||
  fail "after the re-run tp_md_account has columns '$(columns)', expected 'id,name,email,nickname'"
[[ $(version) == ba5e00000002 ]] || fail "after the re-run the version table says '$(version)', expected 'ba5e00000002'"

# "mariadb" is claimed by this plugin and the built-in mysql dialect alike:
# the host refuses to guess, and the ini's dialect key settles it.
sed "s|^url = mariadbx://|url = mariadb://|" retort.ini >retort-mariadb.ini
if out=$(retort -c retort-mariadb.ini upgrade head --sql 2>&1); then
  fail "with mariadb:// claimed by two plugins and no dialect key, the host picked one silently"
fi
grep -q mariadb_native <<<"$out" && grep -q mysql <<<"$out" ||
  fail "the scheme-conflict error does not name both plugins:"$'\n'"$out"
sed -i 's/^\[retort\]$/[retort]\ndialect = mariadb_native/' retort-mariadb.ini
script=$(check "dialect = mariadb_native did not settle the mariadb:// conflict" retort -c retort-mariadb.ini upgrade head --sql)
grep -qF 'ADD COLUMN IF NOT EXISTS `email`' <<<"$script" ||
  fail "with dialect = mariadb_native, mariadb:// did not render through mariadb_native:"$'\n'"$script"
sed -i 's/^dialect = mariadb_native$/dialect = mysql/' retort-mariadb.ini
script=$(check "dialect = mysql did not settle the mariadb:// conflict" retort -c retort-mariadb.ini upgrade head --sql)
grep -qF 'IF NOT EXISTS' <<<"$script" &&
  fail "with dialect = mysql, mariadb:// still rendered through mariadb_native:"$'\n'"$script"

check "retort downgrade base failed with mariadb_native" retort downgrade base >/dev/null
left=$(sql "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'tp_md_account'")
[[ -z $left ]] || fail "downgrade base left table tp_md_account behind"
[[ -z $(version) ]] || fail "the version table says '$(version)' after downgrade base, expected no rows"
sql "DROP TABLE IF EXISTS tp_md_version" >/dev/null
echo "mariadb_native: upgrade, half-run re-run, scheme conflict and downgrade all as expected"
