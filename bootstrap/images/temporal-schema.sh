#!/bin/sh
# Temporal's schema step (the server pod's init container on kind): with temporal-sql-tool alone, as the cloud
# chart's schema Job does, create each database when it is missing, set up its versioning on creation, then
# upgrade its schema to the version this tool (and so the server beside it) carries. Connection settings come
# from SQL_PLUGIN, SQL_HOST, SQL_PORT, SQL_USER and SQL_PASSWORD.
set -eu
: "${SQL_HOST:?set SQL_HOST (and SQL_PLUGIN, SQL_PORT, SQL_USER, SQL_PASSWORD) to reach the database}"

# create_database DB: 0 when created, 1 when it already exists; retries while the server is not reachable yet.
create_database() {
  attempts=0
  while :; do
    if out=$(temporal-sql-tool --db "$1" create-database 2>&1); then
      echo "created database $1"
      return 0
    fi
    case "$out" in
      *"already exists"*) return 1 ;;
    esac
    attempts=$((attempts + 1))
    if [ "$attempts" -ge 90 ]; then
      echo "temporal-schema: cannot create database $1 on $SQL_HOST after $attempts attempts: $out" >&2
      echo "temporal-schema: check that PostgreSQL is Ready and that the password Secret matches" >&2
      exit 1
    fi
    sleep 2
  done
}

for pair in temporal:postgresql/v12/temporal temporal_visibility:postgresql/v12/visibility; do
  db=${pair%%:*}
  schema=${pair#*:}
  if create_database "$db"; then
    temporal-sql-tool --db "$db" setup-schema -v 0.0
  fi
  temporal-sql-tool --db "$db" update-schema --schema-name "$schema"
done
