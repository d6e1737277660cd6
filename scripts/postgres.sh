# Starts Debian's PostgreSQL (when installed) and exports the connection string that
# @backstage/backend-test-utils' TestDatabases reads, so database tests run on it as well as SQLite.
start_postgres() {
  local bin version
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$bin" ] || return 1
  version="$(basename "$(dirname "$bin")")"
  if command -v pg_ctlcluster >/dev/null && [ "$(id -u)" = 0 ]; then
    pg_lsclusters -h | grep -q . || pg_createcluster "$version" main >/dev/null
    pg_ctlcluster "$version" main start 2>/dev/null || true
    for _ in $(seq 1 30); do
      su postgres -c "psql -qtAc 'select 1'" >/dev/null 2>&1 && break
      sleep 1
    done
    su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
  else
    return 1
  fi
  export "BACKSTAGE_TEST_DATABASE_POSTGRES${version}_CONNECTION_STRING=postgresql://postgres:postgres@localhost:5432"
  export BACKSTAGE_TEST_DISABLE_DOCKER=1
  echo "==> PostgreSQL $version ready for database tests"
}
