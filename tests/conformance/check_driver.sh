#!/bin/sh
# retort-conformance itself: a case that matches passes, one that does not
# fails with a diff, and a folder it cannot use is refused.
#   check_driver.sh DRIVER DIALECT_SO WORK_DIR
set -eu
driver=$1
dialect=$2
work=$3
fail() { echo "check_driver: $*" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work/cases" "$work/empty"
cat > "$work/cases/drop.op" <<'CASE'
kind = drop_table
table = gone
CASE
printf 'DROP TABLE gone;\n' > "$work/cases/drop.sql"
"$driver" "$dialect" "$work/cases" > "$work/pass.out" || fail "a matching case failed: $(cat "$work/pass.out")"
grep -q "1 of 1 cases match" "$work/pass.out" || fail "no summary in: $(cat "$work/pass.out")"

printf 'DROP TABLE kept;\n' > "$work/cases/drop.sql"
status=0
"$driver" "$dialect" "$work/cases" > "$work/fail.out" || status=$?
[ "$status" -eq 1 ] || fail "a mismatch exited $status, not 1"
grep -q "^FAIL drop" "$work/fail.out" || fail "the mismatch is not named: $(cat "$work/fail.out")"
grep -q "^  -DROP TABLE kept;" "$work/fail.out" || fail "no expected line in the diff: $(cat "$work/fail.out")"
grep -q "^  +DROP TABLE gone;" "$work/fail.out" || fail "no rendered line in the diff: $(cat "$work/fail.out")"

rm "$work/cases/drop.sql"
status=0
"$driver" "$dialect" "$work/cases" > "$work/missing.out" || status=$?
[ "$status" -eq 1 ] || fail "a case without its .sql exited $status, not 1"

status=0
"$driver" "$dialect" "$work/empty" 2> "$work/empty.err" || status=$?
[ "$status" -eq 2 ] || fail "a folder without cases exited $status, not 2"
grep -q "no cases" "$work/empty.err" || fail "no reason given: $(cat "$work/empty.err")"

status=0
"$driver" "$work/cases/drop.op" "$work/cases" 2> "$work/load.err" || status=$?
[ "$status" -eq 2 ] || fail "a file that is no plugin exited $status, not 2"
echo "check_driver: ok"
