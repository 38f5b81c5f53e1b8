#!/usr/bin/env bash
# The C dialect plugin c_sqlite, built out of tree against the installed SDK,
# migrates a SQLite file through the installed retort: upgrade head creates a
# table and an index and records the revision; downgrade base undoes both.
#   c_sqlite.sh SOURCE_ROOT PREFIX WORKDIR
set -euo pipefail
source_root=$1 prefix=$2 work=$3
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
command -v sqlite3 >/dev/null || fail "the sqlite3 shell is not installed (apt-get install sqlite3)"

build_plugins
[[ -f $work/plugins-build/dialects/c_sqlite.so ]] || fail "plugins/build.sh made no c_sqlite.so"

# The installed conformance driver checks the C plugin against a case of its own.
cases=$work/c_sqlite-cases
rm -rf "$cases"
mkdir -p "$cases"
cat >"$cases/create_index.op" <<'CASE'
kind = create_index
table = account
name = ix_account_name
unique = true
element = user "name"
CASE
printf '%s\n' 'CREATE UNIQUE INDEX "ix_account_name" ON "account" ("user ""name""");' >"$cases/create_index.sql"
out=$(check "retort-conformance found c_sqlite.so unlike its case" \
  "$prefix/bin/retort-conformance" "$work/plugins-build/dialects/c_sqlite.so" "$cases")
grep -qF "c_sqlite: 1 of 1 cases match" <<<"$out" || fail "retort-conformance said: $out"

project=$work/c_sqlite-project
new_project "$project" "csqlite:///x.db"
check "retort revision failed" retort revision -m "create account" --rev-id c0ffee000001 >/dev/null
cat >"$(revision_file c0ffee000001)" <<'CPP'
// create account
//
// Revision ID: c0ffee000001
// Revises:
// Create Date: 2026-11-21 08:00:00

#include <retort/revision.hpp>

namespace {

void upgrade(retort::Operations& op) {
  op.create_table("account", {retort::Column("id", retort::Integer()).primary_key().autoincrement(),
                              retort::Column("user \"name\"", retort::String(50)).nullable(false),
                              retort::Column("balance", retort::Numeric(12, 2)).server_default("0")});
  op.create_index("ix_account_name", "account", {"user \"name\""}, {.unique = true});
}

void downgrade(retort::Operations& op) {
  op.drop_index("ix_account_name", "account");
  op.drop_table("account");
}

}  // namespace

RETORT_REVISION(
    .revision = "c0ffee000001",
    .down_revision = nullptr,
    .message = "create account",
    .create_date = "2026-11-21 08:00:00",
    .upgrade = upgrade,
    .downgrade = downgrade)
CPP

# The offline script shows the plugin's own rendering (always-quoted names).
sql=$(check "retort upgrade head --sql failed with c_sqlite" retort upgrade head --sql)
grep -qF 'CREATE UNIQUE INDEX "ix_account_name" ON "account" ("user ""name""");' <<<"$sql" ||
  fail "the --sql script lacks c_sqlite's CREATE UNIQUE INDEX; it was:"$'\n'"$sql"

check "retort upgrade head failed with c_sqlite" retort upgrade head >/dev/null
[[ -f x.db ]] || fail "upgrade head did not create $project/x.db (csqlite:///x.db is relative to the working directory)"
tables=$(sqlite3 x.db "SELECT name FROM sqlite_master WHERE type IN ('table', 'index') ORDER BY name")
grep -qx account <<<"$tables" || fail "after upgrade head x.db has no table 'account'; it has: $tables"
grep -qx ix_account_name <<<"$tables" || fail "after upgrade head x.db has no index 'ix_account_name'; it has: $tables"
columns=$(sqlite3 x.db "SELECT name FROM pragma_table_info('account') ORDER BY cid" | tr '\n' ',')
[[ $columns == 'id,user "name",balance,' ]] || fail "table 'account' has columns '$columns', expected 'id,user \"name\",balance,'"
version=$(sqlite3 x.db "SELECT version_num FROM retort_version")
[[ $version == c0ffee000001 ]] || fail "the version table says '$version' after upgrade head, expected 'c0ffee000001'"
current=$(check "retort current failed" retort current)
grep -q c0ffee000001 <<<"$current" || fail "retort current does not show c0ffee000001: $current"

check "retort downgrade base failed with c_sqlite" retort downgrade base >/dev/null
left=$(sqlite3 x.db "SELECT name FROM sqlite_master WHERE name IN ('account', 'ix_account_name')")
[[ -z $left ]] || fail "downgrade base left behind: $left"
rows=$(sqlite3 x.db "SELECT count(*) FROM retort_version")
[[ $rows == 0 ]] || fail "the version table holds $rows rows after downgrade base, expected 0"

# What c_sqlite does not render is refused with its own message.
check "retort revision failed" retort revision -m "rename" --rev-id c0ffee000002 >/dev/null
sed -i 's|^  (void)op;|  op.rename_table("a", "b");|' "$(revision_file c0ffee000002)"
if out=$(retort upgrade head --sql 2>&1); then
  fail "rename_table rendered with c_sqlite, which should refuse it; the script was:"$'\n'"$out"
fi
grep -qF "cannot render rename_table: not implemented by this plugin" <<<"$out" ||
  fail "refusing rename_table, retort said something else:"$'\n'"$out"
echo "c_sqlite: upgrade, downgrade and refusal all as expected"
