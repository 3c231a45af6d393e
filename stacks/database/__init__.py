"""Temporal's managed PostgreSQL per cloud: RDS for PostgreSQL (aws.py), Flexible Server (azure.py)."""

# What Temporal's two stores are called on the server; the chart's schema job creates both (temporal-sql-tool).
PERSISTENCE_DATABASE = "temporal"
VISIBILITY_DATABASE = "temporal_visibility"
ADMIN_USER = "temporal"  # the server's administrator, which Temporal connects as (it creates its databases)
PORT = 5432
