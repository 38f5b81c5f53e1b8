#!/usr/bin/env bash
# Installs the Debian packages retort needs. Idempotent; quiet when all is there.
#   scripts/install-deps.sh           build + SQLite (the embedded default)
#   scripts/install-deps.sh --all     also the servers, drivers and tools the full test suite uses
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libboost-dev libboost-program-options-dev
  unixodbc unixodbc-dev libsqliteodbc
  libpoco-dev libfmt-dev catch2
  libsqlite3-dev sqlite3
)
if [[ "${1:-}" == "--all" ]]; then
  packages+=(clang alembic)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "installing: ${missing[*]}"
sudo=""
[[ $(id -u) -ne 0 ]] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
