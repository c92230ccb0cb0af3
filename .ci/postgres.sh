# Sourced by .ci/run: starts a throw-away PostgreSQL cluster and exports PORTCULLIS_TEST_PG_URL.
start_test_postgres() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$bin" ] || return 1
  local user=postgres
  id "$user" >/dev/null 2>&1 || useradd --system --no-create-home "$user" || return 1
  PG_TMP=$(mktemp -d /tmp/portcullis-pg.XXXXXX)
  chown "$user" "$PG_TMP"
  local port
  # A free port: a developer's own server may already hold the usual one.
  port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  su "$user" -s /bin/sh -c "'$bin/initdb' -D '$PG_TMP/data' -U postgres --auth=trust -E UTF8 >/dev/null" || return 1
  su "$user" -s /bin/sh -c "'$bin/pg_ctl' -D '$PG_TMP/data' -o '-p $port -k $PG_TMP -c listen_addresses=127.0.0.1 -c max_connections=200' -l '$PG_TMP/log' -w start >/dev/null" || return 1
  export PORTCULLIS_TEST_PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
  trap "su $user -s /bin/sh -c \"'$bin/pg_ctl' -D '$PG_TMP/data' -m fast stop\" >/dev/null 2>&1 || true" EXIT
  echo "== PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}
