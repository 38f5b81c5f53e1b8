#!/usr/bin/env bash
# Installs what check.js needs: node and npm (Debian's, only if absent) and the npm packages pinned in
# package-lock.json (npm ci, only when node_modules is missing or older than the lock file).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

missing=()
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "installing: ${missing[*]}"
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm writes node_modules/.package-lock.json last: its absence means no (or an unfinished) install.
stamp=$here/node_modules/.package-lock.json
[[ -f $stamp && ! $here/package-lock.json -nt $stamp ]] && exit 0
# Serialise concurrent callers (parallel ctest), then look again.
exec 9>"${TMPDIR:-/tmp}/retort-sqlcheck-setup.lock"
flock 9
[[ -f $stamp && ! $here/package-lock.json -nt $stamp ]] && exit 0
cd "$here"
npm ci --no-audit --no-fund --silent
