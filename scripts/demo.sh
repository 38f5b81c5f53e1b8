#!/usr/bin/env bash
# The main job on the embedded default (SQLite): builds retort, makes a demo
# environment with `retort init`, writes three revisions, builds them,
# upgrades to head and prints `current` and `history`.
#   scripts/demo.sh [DIR]      (default DIR: ./demo, made anew)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" >/dev/null

demo=$(realpath -m "${1:-$PWD/demo}")
rm -rf "$demo"
mkdir -p "$demo"
cd "$demo"
retort() { "${RETORT_BUILD_DIR:-$root/build}/bin/retort" "$@"; }
# Shows a command, then runs it.
step() {
  printf '\n$ retort %s\n' "$*"
  retort "$@"
}

# Fills in upgrade() and downgrade() of the revision just made.
fill() {
  local file=$1 up=$2 down=$3
  UP=$up DOWN=$down awk '
    /^  \(void\)op;$/ { n++; print (n == 1 ? ENVIRON["UP"] : ENVIRON["DOWN"]); next } { print }' \
    "$file" >"$file.new"
  mv "$file.new" "$file"
}
# `retort revision`, echoing its output, and remembering the file it wrote.
revision() {
  local out
  printf '\n$ retort revision -m "%s"\n' "$1"
  out=$(retort revision -m "$1")
  echo "$out"
  file=$(sed -n "s/^Generating '\(.*\)' \.\.\.  done$/\1/p" <<<"$out")
}

step init migrations
revision "create account table"
fill "$file" \
  '  op.create_table("account", {
      retort::Column("id", retort::Integer()).primary_key(),
      retort::Column("name", retort::String(50)).nullable(false),
      retort::Column("created", retort::DateTime()).server_default(retort::sql("CURRENT_TIMESTAMP")),
  });' \
  '  op.drop_table("account");'
revision "add balance to account"
fill "$file" \
  '  op.add_column("account", retort::Column("balance", retort::Numeric(12, 2)).server_default("0"));
  op.create_index("ix_account_name", "account", {"name"}, {.unique = true});' \
  '  op.drop_index("ix_account_name", "account");
  op.drop_column("account", "balance");'
revision "create ledger"
fill "$file" \
  '  op.create_table("ledger", {
      retort::Column("id", retort::BigInteger()).primary_key(),
      retort::Column("account_id", retort::Integer()).nullable(false),
      retort::Column("amount", retort::Numeric(12, 2)).nullable(false),
  });' \
  '  op.drop_table("ledger");'
step build
step upgrade head
step current
step history
step check
step log
