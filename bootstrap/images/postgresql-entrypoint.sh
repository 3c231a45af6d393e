#!/bin/sh
# PostgreSQL on kind (Temporal's persistence and visibility): on an empty volume, initdb with the password from
# POSTGRES_PASSWORD for POSTGRES_USER, password authentication (scram-sha-256) for every TCP client; then the
# server in the foreground. PGDATA is a folder inside the volume, which initdb creates with the owner and mode it
# needs whatever the volume's own are.
set -eu
bin=/usr/lib/postgresql/15/bin
: "${PGDATA:?set PGDATA to a folder on the data volume}"
: "${POSTGRES_USER:?set POSTGRES_USER to the role Temporal connects as}"
: "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD (from the chart Secret) for POSTGRES_USER}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  pwfile=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
  "$bin/initdb" -D "$PGDATA" -U "$POSTGRES_USER" --pwfile="$pwfile" -E UTF8 --no-locale \
    --auth-local=trust --auth-host=scram-sha-256
  rm -f "$pwfile"
  printf 'host all all 0.0.0.0/0 scram-sha-256\n' >> "$PGDATA/pg_hba.conf"
fi
exec "$bin/postgres" -D "$PGDATA" -c listen_addresses='*' -c unix_socket_directories=/tmp
