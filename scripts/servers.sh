#!/usr/bin/env bash
# Throwaway PostgreSQL and MariaDB servers for the server tests (loopback only, no systemd).
#   scripts/servers.sh start   install what is missing, start both (a no-op for one already running),
#                              create the test role/user and databases, then write $RETORT_SERVER_DIR/env
#   scripts/servers.sh stop    stop the servers that start started (pg_ctl / pid file, never by name),
#                              remove the env file
#   scripts/servers.sh env     print the export lines:  eval "$(scripts/servers.sh env)"
# Each start after a stop begins from empty data directories. State: ${RETORT_SERVER_DIR:-/tmp/retort-servers}
# (its parents must be traversable by the postgres and mysql users, which /tmp is).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${RETORT_SERVER_DIR:-/tmp/retort-servers}
pg_port=${RETORT_PG_PORT:-55432}
my_port=${RETORT_MARIADB_PORT:-53306}
user=retort
db=retort_test
# Needs percent-escaping in a URL (@ : / %) and brace-quoting in ODBC (;). No ' or \ (SQL literals below).
password='re@t:pw/1%;x'

die() { echo "servers.sh: $*" >&2; exit 1; }

# step LOG WHAT CMD...: runs CMD with its output appended to LOG; on failure one line naming LOG.
step() {
  local log=$1 what=$2; shift 2
  "$@" >>"$log" 2>&1 || die "$what failed; see $log"
}

# as USER CMD...: runs CMD as USER when we are root (servers refuse to run as root), else as ourselves.
as() {
  local u=$1; shift
  if [[ $(id -u) -eq 0 ]]; then runuser -u "$u" -- "$@"; else "$@"; fi
}

# Percent-encodes everything but RFC 3986 unreserved characters (byte-wise).
urlencode() {
  local LC_ALL=C s=$1 out="" c i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case $c in [A-Za-z0-9._~-]) out+=$c ;; *) out+=$(printf '%%%02X' "'$c") ;; esac
  done
  printf '%s' "$out"
}

# ODBC attribute value in braces; a } inside is doubled (ODBC's rule for braced values).
odbc_quote() { printf '{%s}' "${1//\}/\}\}}"; }

# mkdir_for USER DIR...: creates the directories owned by USER.
mkdir_for() {
  local u=$1; shift
  mkdir -p "$@"
  [[ $(id -u) -eq 0 ]] && chown "$u:" "$@"
  return 0
}

pg_bin=/usr/lib/postgresql/15/bin
[[ -x $pg_bin/postgres ]] || pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
pg_data=$dir/postgresql
pg_run=$dir/postgresql-run # the Unix socket's directory
pg_log=$dir/postgresql.log
my_data=$dir/mariadb
my_run=$dir/mariadb-run
my_sock=$my_run/mariadbd.sock
my_pid=$my_run/mariadbd.pid
my_log=$dir/mariadb.log
my_user=()
[[ $(id -u) -eq 0 ]] && my_user=(--user=mysql)
pw_url=$(urlencode "$password")
pg_url="postgresql://$user:$pw_url@127.0.0.1:$pg_port/$db"
my_url="mariadb://$user:$pw_url@127.0.0.1:$my_port/$db"
pg_odbc="Driver={PostgreSQL Unicode};Server=127.0.0.1;Port=$pg_port;Database=$db;Uid=$user;Pwd=$(odbc_quote "$password")"
my_odbc="Driver={MariaDB Unicode};Server=127.0.0.1;Port=$my_port;Database=$db;Uid=$user;Pwd=$(odbc_quote "$password")"
# The superusers over the Unix sockets (trust / no password), for tests that create roles and users.
pg_admin_odbc="Driver={PostgreSQL Unicode};Server=$pg_run;Port=$pg_port;Database=$db;Uid=postgres"
my_admin_odbc="Driver={MariaDB Unicode};Socket=$my_sock;Database=$db;Uid=root"

pg_running() { [[ -f $pg_data/postmaster.pid ]] && as postgres "$pg_bin/pg_ctl" -D "$pg_data" status >/dev/null 2>&1; }
my_running() {
  local pid
  pid=$(cat "$my_pid" 2>/dev/null) || return 1
  [[ -n $pid && $(cat "/proc/$pid/comm" 2>/dev/null) == mariadbd ]]
}

# check_odbc LOG WHAT CONNSTR: the connection string must connect and run a query (isql ships with unixODBC).
check_odbc() {
  local out
  out=$(echo "SELECT 1" | ODBCSYSINI=$dir isql -b -v -k "$3" 2>&1) || true
  echo "$out" >>"$1"
  grep -Eq '^\| *1 *\|' <<<"$out" || die "$2: the ODBC connection string does not connect: $(head -n 1 <<<"$out"); see $1"
}

pg_start() {
  local what="postgresql (port $pg_port)"
  if ! pg_running; then
    [[ -x $pg_bin/initdb ]] || die "$what: no PostgreSQL binaries in /usr/lib/postgresql/*/bin"
    rm -rf "$pg_data" "$pg_run"
    mkdir_for postgres "$pg_data" "$pg_run"
    : >"$pg_log"
    [[ $(id -u) -eq 0 ]] && chown postgres: "$pg_log"
    step "$pg_log" "$what: initdb" as postgres "$pg_bin/initdb" -D "$pg_data" -U postgres \
      --auth-local=trust --auth-host=scram-sha-256 --no-sync -E UTF8 --locale=C.UTF-8
    # fsync and friends off: the data is thrown away anyway.
    step "$pg_log" "$what: start" as postgres "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_log" -w -t 60 start \
      -o "-p $pg_port -k $pg_run -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    step "$pg_log" "$what: creating role and database" "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 \
      -h "$pg_run" -p "$pg_port" -U postgres -d postgres <<SQL
CREATE ROLE $user LOGIN PASSWORD '$password';
CREATE DATABASE $db OWNER $user;
\\connect $db
CREATE SCHEMA analytics AUTHORIZATION $user;
SQL
    # The URL (percent-escaped password, over TCP) and the ODBC string must both work.
    step "$pg_log" "$what: login with RETORT_TEST_POSTGRESQL_URL" "$pg_bin/psql" -X -q -At "$pg_url" -c "SELECT 1"
    check_odbc "$pg_log" "$what" "$pg_odbc"
  fi
  echo "postgresql $(basename "$(dirname "$pg_bin")") on 127.0.0.1:$pg_port"
}

my_start() {
  local what="mariadb (port $my_port)" pid i
  if ! my_running; then
    rm -rf "$my_data" "$my_run"
    mkdir_for mysql "$my_data" "$my_run"
    : >"$my_log"
    [[ $(id -u) -eq 0 ]] && chown mysql: "$my_log"
    # --no-defaults everywhere: /etc/mysql/my.cnf must not interfere. root@localhost gets no password
    # (socket only; it cannot log in over TCP because of --skip-name-resolve).
    step "$my_log" "$what: mariadb-install-db" mariadb-install-db --no-defaults "${my_user[@]}" \
      --datadir="$my_data" --skip-test-db --auth-root-authentication-method=normal
    # setsid: the server outlives this script and its terminal. As root, --user makes it drop to mysql.
    setsid mariadbd --no-defaults "${my_user[@]}" --datadir="$my_data" --socket="$my_sock" --port="$my_port" \
      --bind-address=127.0.0.1 --pid-file="$my_pid" --log-error="$my_log" --skip-name-resolve \
      --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
      --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 </dev/null >>"$my_log" 2>&1 &
    pid=$!
    for ((i = 0; i < 300; i++)); do
      mariadb-admin --no-defaults --socket="$my_sock" -uroot ping >/dev/null 2>&1 && break
      kill -0 "$pid" 2>/dev/null || die "$what: mariadbd exited while starting; see $my_log"
      sleep 0.1
    done
    ((i < 300)) || die "$what: not accepting connections after 30 s; see $my_log"
    # MySQL's schemas are databases: retort_test2 is the one schema-qualified tests use.
    step "$my_log" "$what: creating user and databases" mariadb --no-defaults --socket="$my_sock" -uroot <<SQL
CREATE DATABASE $db CHARACTER SET utf8mb4;
CREATE DATABASE ${db}2 CHARACTER SET utf8mb4;
CREATE USER '$user'@'%' IDENTIFIED BY '$password';
GRANT ALL ON $db.* TO '$user'@'%';
GRANT ALL ON ${db}2.* TO '$user'@'%';
SQL
    MYSQL_PWD=$password step "$my_log" "$what: login as $user over TCP" mariadb --no-defaults -h 127.0.0.1 -P "$my_port" \
      -u "$user" "$db" -e "SELECT 1"
    check_odbc "$my_log" "$what" "$my_odbc"
  fi
  echo "mariadb $(mariadbd --version | sed -E 's/.*Ver ([0-9]+\.[0-9]+).*/\1/') on 127.0.0.1:$my_port"
}

# Debian's odbcinst.ini sets CommLog=1 for psqlODBC, which leaves a /tmp/psqlodbc_*.log behind for every
# process that connects (CommLog=0 in the connection string does not help): a copy with it off.
write_odbcinst() { sed -E 's/^(CommLog|Debug)=1/\1=0/' /etc/odbcinst.ini >"$dir/odbcinst.ini"; }

write_env() {
  cat >"$dir/env" <<EOF
export RETORT_TEST_POSTGRESQL_URL='$pg_url'
export RETORT_TEST_POSTGRESQL_ODBC='$pg_odbc'
export RETORT_TEST_POSTGRESQL_SCHEMA='analytics'
export RETORT_TEST_MARIADB_URL='$my_url'
export RETORT_TEST_MARIADB_ODBC='$my_odbc'
export RETORT_TEST_MARIADB_SCHEMA='${db}2'
export RETORT_TEST_POSTGRESQL_ADMIN_ODBC='$pg_admin_odbc'
export RETORT_TEST_MARIADB_ADMIN_ODBC='$my_admin_odbc'
export ODBCSYSINI='$dir'
EOF
}

pg_stop() {
  if pg_running; then
    as postgres "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop >>"$pg_log" 2>&1 || die "postgresql: stop failed; see $pg_log"
  fi
}

my_stop() {
  local pid i
  my_running || return 0
  pid=$(cat "$my_pid")
  mariadb-admin --no-defaults --socket="$my_sock" -uroot shutdown >>"$my_log" 2>&1 || kill "$pid" 2>/dev/null || true
  for ((i = 0; i < 300; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  die "mariadb: pid $pid still running 30 s after shutdown; see $my_log"
}

case "${1:-}" in
  start)
    "$root/scripts/install-deps.sh" --servers
    mkdir -p "$dir"
    chmod 755 "$dir"
    write_odbcinst
    # Both at once (each mostly waits on its own server); then their lines, errors last.
    pg_start >"$dir/.pg.out" 2>"$dir/.pg.err" &
    pg=$!
    my_start >"$dir/.my.out" 2>"$dir/.my.err" &
    my=$!
    rc=0
    wait "$pg" || rc=1
    wait "$my" || rc=1
    cat "$dir/.pg.out" "$dir/.my.out"
    cat "$dir/.pg.err" "$dir/.my.err" >&2
    rm -f "$dir"/.{pg,my}.{out,err}
    [[ $rc -eq 0 ]] || exit 1
    write_env
    ;;
  stop)
    rm -f "$dir/env"
    pg_stop
    my_stop
    ;;
  env)
    [[ -f $dir/env ]] || die "no $dir/env: run scripts/servers.sh start first"
    cat "$dir/env"
    ;;
  *)
    echo "usage: $0 start|stop|env" >&2
    exit 2
    ;;
esac
