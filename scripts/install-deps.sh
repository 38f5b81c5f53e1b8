#!/usr/bin/env bash
# Installs the Debian packages retort needs. Idempotent; quiet when all is there.
#   scripts/install-deps.sh             build + SQLite (the embedded default)
#   scripts/install-deps.sh --servers   only the PostgreSQL/MariaDB servers and the ODBC drivers
#                                       (what scripts/servers.sh needs)
#   scripts/install-deps.sh --all       build + servers, drivers and tools the full test suite uses
set -euo pipefail

build_packages=(
  build-essential cmake pkg-config
  libboost-dev libboost-program-options-dev
  unixodbc unixodbc-dev libsqliteodbc
  libpoco-dev libfmt-dev catch2
  libsqlite3-dev sqlite3
)
# unixodbc brings isql, which servers.sh uses to check the ODBC connection strings.
server_packages=(postgresql mariadb-server unixodbc odbc-postgresql odbc-mariadb tdsodbc)

case "${1:-}" in
  "")        packages=("${build_packages[@]}") ;;
  --servers) packages=("${server_packages[@]}") ;;
  --all)     packages=("${build_packages[@]}" "${server_packages[@]}" clang clang-format libclang-rt-dev alembic) ;;
  *)         echo "usage: $0 [--servers|--all]" >&2; exit 2 ;;
esac

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
