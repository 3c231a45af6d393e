"""The managed PostgreSQL an environment's Temporal keeps its persistence and visibility stores in: AWS RDS for
PostgreSQL or Azure Database for PostgreSQL Flexible Server (stacks/database/). Sizes, high availability, backups and
what a deletion keeps are values per environment, declared in catalog.py; the constructs never ask for a tier.
"""

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Database:
    """One PostgreSQL server, private to the environment's network.

    `instance_class`: an RDS class (db.r7g.large) or a Flexible Server SKU (GP_Standard_D4ds_v5);
    `high_availability`: a standby in another zone (RDS Multi-AZ, Flexible Server zone-redundant HA);
    `backup_retention_days`: automated backups and point-in-time restore window (RDS 1-35, Azure 7-35);
    `deletion_protection`: the cloud refuses to delete it (RDS) / Terraform refuses to (prevent_destroy);
    `final_snapshot`: RDS takes a last snapshot when the instance is deleted;
    `subnet`: Azure only, the /24 of the VNet delegated to the server (Flexible Server's private access).
    """

    engine_version: str = "16"  # major; both clouds pick the newest minor and patch it in the maintenance window
    instance_class: str
    storage_gib: int
    max_storage_gib: int = 0  # RDS storage autoscaling ceiling (0: off); Azure grows storage by itself (auto_grow)
    high_availability: bool
    backup_retention_days: int
    geo_redundant_backup: bool = False  # Azure only: backups copied to the paired region (set at creation)
    deletion_protection: bool
    final_snapshot: bool
    subnet: str = ""
    max_connections_per_store: int = 20  # each Temporal service's pool per store (persistence, visibility)


def validate_database(at: str, database: "Database | None", *, cloud: str, tier: str, vnet: str = "") -> None:
    """A cloud environment keeps Temporal's stores in a managed server; production's survives a zone and a delete.
    `cloud`, `tier`: the environment's (values of kinds.Cloud, kinds.Tier); `vnet`: its network's CIDR (Azure)."""
    import ipaddress

    from .errors import ConfigError

    if cloud == "local":
        if database is not None:
            raise ConfigError(at, "the local environment has no managed database", "set database=None on kind")
        return
    if database is None:
        raise ConfigError(
            at,
            f"a {cloud} environment needs a managed PostgreSQL for Temporal's stores",
            "set database=Database(...) in stacks/environments/catalog.py",
        )
    low = 7 if cloud == "azure" else 1
    if not low <= database.backup_retention_days <= 35:
        raise ConfigError(
            f"{at}.backup_retention_days",
            f"{database.backup_retention_days} days is outside what {cloud} keeps ({low}-35)",
            f"choose {low} to 35 days",
        )
    if database.max_storage_gib and database.max_storage_gib < database.storage_gib:
        raise ConfigError(
            f"{at}.max_storage_gib",
            f"the autoscaling ceiling {database.max_storage_gib} GiB is below the size {database.storage_gib} GiB",
            "raise it above storage_gib, or 0 for no autoscaling",
        )
    if tier == "prod":
        for name in ("high_availability", "deletion_protection", "final_snapshot"):
            if not getattr(database, name):
                raise ConfigError(
                    f"{at}.{name}",
                    "a production database must keep a standby in another zone, refuse deletion and leave a "
                    "final snapshot",
                    f"set {name}=True",
                )
        if database.backup_retention_days < 14:
            raise ConfigError(
                f"{at}.backup_retention_days",
                f"{database.backup_retention_days} days of point-in-time restore is too short for production",
                "keep at least 14 days",
            )
    if cloud != "azure":
        if database.subnet:
            raise ConfigError(f"{at}.subnet", "only Azure delegates a subnet to the server", "leave subnet empty")
        return
    try:
        subnet = ipaddress.IPv4Network(database.subnet)
    except ValueError:
        raise ConfigError(
            f"{at}.subnet",
            f"{database.subnet!r} is not a CIDR",
            "give the /24 of the VNet delegated to the server, e.g. 10.40.65.0/24",
        ) from None
    if vnet and not subnet.subnet_of(ipaddress.IPv4Network(vnet)):
        raise ConfigError(f"{at}.subnet", f"{subnet} is outside the VNet {vnet}", "pick a free /24 inside it")
