#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 on a loopback port and prints its URL (for CI and the Postgres test pass).
# Usage: eval "$(bash tooling/scripts/throwaway-postgres.sh [port])"  → exports TEST_DATABASE_URL
set -euo pipefail
PORT=${1:-55433}
BIN=/usr/lib/postgresql/15/bin
if [ ! -x "$BIN/initdb" ]; then
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >&2
fi
PGDIR=$(mktemp -d /tmp/ktizo-pg.XXXXXX)
chown postgres "$PGDIR"
su postgres -c "$BIN/initdb -D $PGDIR/data -U postgres --auth=trust -E UTF8" >&2
su postgres -c "$BIN/pg_ctl -D $PGDIR/data -o '-p $PORT -k $PGDIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200 -c shared_preload_libraries=pg_stat_statements' -l $PGDIR/server.log -w start" >&2
psql -h 127.0.0.1 -p "$PORT" -U postgres -qc 'create database ktizo_test' >&2
echo "export TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$PORT/ktizo_test"
echo "export KTIZO_TEST_PGDIR=$PGDIR"
