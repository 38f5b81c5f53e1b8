#!/bin/bash
# Proves an installed retort works for someone outside its source tree, and
# keeps working when the install is moved and the trees it was built from
# are not at hand:
#   check_consumer.sh PREFIX CONSUMER_SOURCE WORK_DIR SOURCE_TREE BUILD_TREE
# PREFIX is a `cmake --install` tree, left as it is (other tests use it): the
# checks run on a copy of it, WORK_DIR/prefix, which is moved at the end.
# WORK_DIR is emptied and reused.
set -euo pipefail

installed=$1
source=$2
work=$3
source_tree=$4
build_tree=$5
unset RETORT_SDK_INCLUDE RETORT_PLUGIN_PATH RETORT_SCAFFOLD_DIR RETORT_CONFIG

step() { echo "== $*"; }
fail() { echo "check_consumer: $*" >&2; exit 1; }
# expect_in TEXT NEEDLE WHAT: fails unless TEXT contains NEEDLE.
expect_in() { [[ $1 == *"$2"* ]] || fail "$3: expected '$2' in: $1"; }
trap 'fail "line $LINENO failed: $BASH_COMMAND"' ERR

rm -rf "$work"
mkdir -p "$work"
# A copy, so that revision modules land in versions/build/ outside the repository.
cp -r "$source" "$work/src"

step "no installed file holds the path of the source tree or the build tree"
# Nothing is compiled in: not the SDK, scaffold or dialect directories, not
# __FILE__, not the debug information's file names (-ffile-prefix-map).
for tree in "$source_tree" "$build_tree"; do
  holding=$(grep -rlaF -- "$tree" "$installed" || true)
  [[ -z $holding ]] || fail "these installed files hold '$tree': $(tr '\n' ' ' <<<"$holding")"
done
[[ -x $installed/bin/retort && -f $installed/lib/libretort_core.a ]] \
  || fail "'$installed' lacks bin/retort or lib/libretort_core.a: the check above saw nothing"

# This test's own install, built against and then moved.
prefix=$work/prefix
cp -a "$installed" "$prefix"

step "find_package(Retort 1.0) succeeds and 2.0 fails (SameMajorVersion)"
cmake -S "$work/src/version_check" -B "$work/v1.0" -DRETORT_WANT=1.0 -DCMAKE_PREFIX_PATH="$prefix" \
  > "$work/v1.0.log" 2>&1 || { cat "$work/v1.0.log"; fail "find_package(Retort 1.0) failed"; }
grep -q "found Retort 1\.[0-9]" "$work/v1.0.log" || fail "find_package(Retort 1.0) did not report a 1.x version"
if cmake -S "$work/src/version_check" -B "$work/v2.0" -DRETORT_WANT=2.0 -DCMAKE_PREFIX_PATH="$prefix" \
  > "$work/v2.0.log" 2>&1; then
  fail "find_package(Retort 2.0) accepted the installed 1.x package"
fi
grep -q "not compatible\|version: 1\." "$work/v2.0.log" || { cat "$work/v2.0.log"; fail "find_package(Retort 2.0) failed for another reason"; }

step "pkg-config retort-sdk compiles a C99 file including <retort/abi.h>"
cflags=$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags retort-sdk)
expect_in "$cflags" "-I" "pkg-config --cflags retort-sdk"
# shellcheck disable=SC2086  # the flags are words
cc -std=c99 -pedantic-errors -Wall -Werror $cflags -c "$work/src/abi_c99.c" -o "$work/abi_c99.o" \
  || fail "abi_c99.c does not compile as C99 with pkg-config's flags '$cflags'"

step "the consumer configures with find_package(Retort 1.1) and builds"
cmake -S "$work/src" -B "$work/build" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_EXPORT_COMPILE_COMMANDS=ON > "$work/configure.log" 2>&1 \
  || { cat "$work/configure.log"; fail "the consumer project does not configure"; }
cmake --build "$work/build" -j1 > "$work/build.log" 2>&1 || { cat "$work/build.log"; fail "the consumer project does not build"; }
for so in "$work/src/migrations/versions/build/aaaa0001_create_item.so" \
          "$work/src/migrations/versions/build/bbbb0002_add_price.so" \
          "$work/build/pack/consumer_pack.so" "$work/build/dialects/minidb.so"; do
  [[ -f $so ]] || fail "'$so' was not built"
  exported=$(nm -D --defined-only "$so" | awk '$2 != "A" {print $3}' | sort -u | tr '\n' ' ')
  [[ $exported == "retort_plugin_entry " ]] || fail "'$so' exports '$exported', not only retort_plugin_entry"
done

# Every plugin source compiles as a plugin must (the version script is checked above).
commands=$(grep '"command"' "$work/build/compile_commands.json")
for file in minidb_dialect.cpp aaaa0001_create_item.cpp bbbb0002_add_price.cpp; do
  line=$(grep -- "$file" <<<"$commands" | head -1)
  for flag in -std=c++20 -fvisibility=hidden -fvisibility-inlines-hidden -fno-gnu-unique; do
    expect_in "$line" " $flag" "the compile command of $file"
  done
done

step "the installed retort-conformance checks minidb.so against cases written for it"
mkdir -p "$work/conformance"
cat > "$work/conformance/add_column.op" <<'CASE'
kind = add_column
table = item
column = price
column.type = numeric
column.precision = 10
column.scale = 2
CASE
printf 'ALTER TABLE item ADD COLUMN price NUMERIC(10, 2);\n' > "$work/conformance/add_column.sql"
out=$("$prefix/bin/retort-conformance" "$work/build/dialects/minidb.so" "$work/conformance") \
  || fail "retort-conformance refused minidb.so: $out"
expect_in "$out" "minidb: 1 of 1 cases match" "retort-conformance over minidb.so"

step "the embedding program upgrades a SQLite file to head with the revision modules"
out=$("$work/build/embed" "$work/src/migrations" "$work/app.db" "$prefix/lib/retort/dialects" \
  "$work/build/pack/consumer_pack.so")
expect_in "$out" "Running upgrade aaaa0001 -> bbbb0002" "embed"
expect_in "$out" "pack holds 2 revisions" "embed"

step "README.md's embedding example is embedding_example.cpp, word for word"
# The block after the marker line <!-- tests/install/consumer/embedding_example.cpp -->.
example=$(awk '/^<!-- tests\/install\/consumer\/embedding_example.cpp -->$/ {m = 1; next}
               m && /^```cpp$/ {b = 1; next}  b && /^```$/ {exit}  b' "$source_tree/README.md")
[[ -n $example ]] || fail "README.md has no embedding example after its marker"
[[ $example == "$(cat "$source/embedding_example.cpp")" ]] \
  || fail "README.md's embedding example differs from tests/install/consumer/embedding_example.cpp"

step "the embedding example adopts a database whose schema was made by hand, then upgrades it"
sqlite3 "$work/adopt.db" "CREATE TABLE item (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(40) NOT NULL)"
example_run() {
  RETORT_PLUGIN_PATH="$prefix/lib/retort/dialects" "$work/build/embedding_example" \
    "$work/src/migrations" "$work/adopt.db" "$@"
}
out=$(example_run aaaa0001 2>&1) || fail "embedding_example: $out"
expected="bbbb0002 (head) add price
aaaa0001 create item
Running stamp_revision  -> aaaa0001
adopted the database at aaaa0001
at head: no
Running upgrade aaaa0001 -> bbbb0002, add price
database at bbbb0002 (head is bbbb0002)"
[[ $out == "$expected" ]] || fail "embedding_example printed:
$out
expected:
$expected"
[[ $(sqlite3 "$work/adopt.db" "SELECT count(*) FROM item WHERE price IS NULL") == 0 ]] \
  || fail "the example's upgrade did not add item.price"
out=$(example_run 2>&1) || fail "embedding_example, run again: $out"
expect_in "$out" "at head: yes
database at bbbb0002 (head is bbbb0002)" "embedding_example, run again"

step "the installed retort: init, revision, upgrade head, heads"
retort=$prefix/bin/retort
mkdir "$work/cli"
cd "$work/cli"
"$retort" init migrations > /dev/null
rev=$("$retort" revision -m "first table" --rev-id 0000aaaa0001)
expect_in "$rev" "0000aaaa0001" "retort revision"
out=$("$retort" upgrade head 2>&1)
expect_in "$out" "Running upgrade  -> 0000aaaa0001" "retort upgrade head"
out=$("$retort" heads)
expect_in "$out" "0000aaaa0001 (head)" "retort heads"
out=$("$retort" current)
expect_in "$out" "0000aaaa0001" "retort current"

step "retort upgrade head runs the CMake-built pack as it is, with no compiler"
mkdir "$work/pack-cli"
cat > "$work/pack-cli/retort.ini" <<INI
[retort]
script_location = $work/src/migrations
revision_modules = $work/build/pack/consumer_pack.so
url = sqlite:///%(here)s/pack.db
INI
out=$(cd "$work/pack-cli" && env -u CXX PATH=/nonexistent "$retort" upgrade head 2>&1) \
  || fail "upgrade head with the pack: $out"
expect_in "$out" "Running upgrade aaaa0001 -> bbbb0002" "upgrade head with the pack"
[[ ! -d $work/src/migrations/versions/build/.retort/units ]] || fail "retort compiled sources the pack provides"
out=$(cd "$work/pack-cli" && env -u CXX PATH=/nonexistent "$retort" heads)
expect_in "$out" "bbbb0002 (head)" "heads with the pack"

step "the deploy that retort_add_revisions(... DEPLOY) wrote runs with no compiler"
[[ -f $work/build/deploy/manifest.json ]] || fail "the CMake build wrote no deploy manifest"
mkdir "$work/deploy-cli"
printf '[retort]\nscript_location = %s\nurl = sqlite:///%%(here)s/deploy.db\n' "$work/build/deploy" \
  > "$work/deploy-cli/retort.ini"
out=$(cd "$work/deploy-cli" && env -u CXX PATH=/nonexistent "$retort" upgrade head 2>&1) \
  || fail "upgrade head from the CMake deploy: $out"
expect_in "$out" "Running upgrade aaaa0001 -> bbbb0002" "upgrade head from the CMake deploy"

step "the installed retort uses a dialect built with retort_add_dialect"
cat > "$work/cli/minidb.ini" <<INI
[retort]
script_location = $work/src/migrations
url = minidb:///nowhere
INI
out=$(RETORT_PLUGIN_PATH="$work/build/dialects" "$retort" -c "$work/cli/minidb.ini" upgrade head --sql)
expect_in "$out" "CREATE TABLE item" "retort upgrade head --sql with minidb"

step "a moved copy of the install uses its own dialects, headers and scaffold"
moved=$work/moved
mkdir -p "$moved/lib"
cp -r "$prefix/bin" "$prefix/include" "$prefix/share" "$moved/"
cp -r "$prefix/lib/retort" "$moved/lib/"
mkdir "$moved/share/retort/scaffold/templates/moved_marker"
out=$("$moved/bin/retort" list_templates)
expect_in "$out" "moved_marker" "the moved retort's list_templates"
rm "$moved"/lib/retort/dialects/*.so
if out=$("$moved/bin/retort" upgrade head 2>&1); then fail "the moved retort found a dialect it should not have"; fi
expect_in "$out" "$moved/lib/retort/dialects" "the moved retort with no dialects"
{ echo '#error "the moved SDK headers were used"'; cat "$prefix/include/retort/abi.h"; } > "$moved/include/retort/abi.h"
"$retort" revision -m "second table" --rev-id 0000bbbb0002 > /dev/null
if out=$("$moved/bin/retort" build 2>&1); then fail "the moved retort compiled against headers other than its own"; fi
expect_in "$out" "the moved SDK headers were used" "the moved retort's build"

step "a lone retort, with nothing beside it, says what it misses and how to set it"
mkdir -p "$work/lone/bin" "$work/lone/project/migrations/versions"
cp "$prefix/bin/retort" "$work/lone/bin/"
cd "$work/lone/project"
if out=$("$work/lone/bin/retort" list_templates 2>&1); then fail "the lone retort found a scaffold"; fi
expect_in "$out" "cannot find the retort scaffold (templates/)" "the lone retort's list_templates"
expect_in "$out" "set RETORT_SCAFFOLD_DIR" "the lone retort's list_templates"
printf '[retort]\nscript_location = migrations\nurl = sqlite:///lone.db\n' > retort.ini
if out=$("$work/lone/bin/retort" upgrade head 2>&1); then fail "the lone retort found a dialect"; fi
expect_in "$out" "no dialect serves URL scheme 'sqlite'" "the lone retort's upgrade"
expect_in "$out" "set plugin_path in the [retort] section of 'retort.ini', or RETORT_PLUGIN_PATH" \
  "the lone retort's upgrade"
[[ $out != *"$work/lone/lib"* ]] || fail "the lone retort's hint names a directory that does not exist: $out"
out=$(RETORT_SCAFFOLD_DIR="$prefix/share/retort/scaffold" "$work/lone/bin/retort" list_templates)
expect_in "$out" "generic - " "the lone retort's list_templates with RETORT_SCAFFOLD_DIR"

step "the install, moved and its original deleted, runs init, revision, upgrade head, current"
relocated=$work/relocated
cp -a "$prefix" "$relocated"
rm -rf "$prefix"
retort=$relocated/bin/retort
mkdir "$work/reloc-cli"
cd "$work/reloc-cli"
"$retort" init migrations > /dev/null
"$retort" revision -m "first table" --rev-id 0000cccc0001 > /dev/null
out=$("$retort" upgrade head 2>&1)
expect_in "$out" "Running upgrade  -> 0000cccc0001" "the relocated retort's upgrade head"
out=$("$retort" current)
expect_in "$out" "0000cccc0001" "the relocated retort's current"

# embed_relocated NAME EMBED [DIALECT_DIR]: runs an embedding program on a
# fresh copy of the consumer's revisions, so that it compiles them itself.
embed_relocated() {
  rm -rf "${work:?}/$1"
  mkdir "$work/$1"
  cp -r "$source/migrations" "$work/$1/migrations"
  out=$("$2" "$work/$1/migrations" "$work/$1/app.db" "${3:-}" "$work/build/pack/consumer_pack.so") \
    || fail "$1: the embedding program failed"
  expect_in "$out" "Running upgrade aaaa0001 -> bbbb0002" "$1"
  [[ -n $(find "$work/$1/migrations/versions/build" -name '*.so') ]] || fail "$1 compiled no module"
}

step "an embedding program told where the moved install is (RETORT_SDK_INCLUDE, plugin_path)"
RETORT_SDK_INCLUDE="$relocated/include" \
  embed_relocated embed-told "$work/build/embed" "$relocated/lib/retort/dialects"

step "an embedding program installed in the moved install's bin/ finds it by itself"
cp "$work/build/embed" "$relocated/bin/embed"
embed_relocated embed-beside "$relocated/bin/embed"

echo "check_consumer: all checks passed"
