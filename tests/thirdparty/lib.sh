# Shared by the third-party plugin tests: sourced, not run.
#   fail MESSAGE           prints "FAIL: MESSAGE" and exits 1
#   check WHAT CMD...      runs CMD; on failure prints WHAT, the command and its output
#   retort ARGS...         the INSTALLED retort, in the current directory, with the plugins on the path
#   build_plugins          builds plugins/ against the test prefix into $work/plugins-build
#   new_project DIR URL [KEY=VALUE...]
#                          retort init in DIR; retort.ini gets the url URL and the options given
# Needs: $source_root, $prefix, $work.
set -euo pipefail

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

check() {
  local what=$1 out
  shift
  if ! out=$("$@" 2>&1); then
    echo "FAIL: $what" >&2
    echo "  command: $*" >&2
    sed 's/^/  | /' <<<"$out" >&2
    exit 1
  fi
  printf '%s\n' "$out"
}

retort() { RETORT_PLUGIN_PATH="$work/plugins-build/dialects" "$prefix/bin/retort" "$@"; }

build_plugins() {
  [[ -x $prefix/bin/retort ]] || fail "no installed retort at $prefix/bin/retort; the retort_install fixture must run first"
  check "plugins/build.sh could not build the plugins against $prefix" \
    "$source_root/plugins/build.sh" "$prefix" "$work/plugins-build" >/dev/null
}

new_project() {
  local dir=$1 url=${2//%/%%} option # a literal % is %% in retort.ini
  shift 2
  rm -rf "$dir"
  mkdir -p "$dir"
  cd "$dir"
  check "retort init failed" retort init migrations >/dev/null
  sed -i -E "s|^url = .*|url = $url|" retort.ini
  grep -qxF "url = $url" retort.ini || fail "could not set the url in $dir/retort.ini"
  for option in "$@"; do
    sed -i "/^\[retort\]\$/a ${option%%=*} = ${option#*=}" retort.ini
  done
}

# revision_file ID: the path of the source `retort revision --rev-id ID` wrote.
revision_file() {
  local files=(migrations/versions/"$1"_*.cpp)
  [[ -f ${files[0]} ]] || fail "retort revision wrote no source for revision $1"
  printf '%s\n' "${files[0]}"
}
