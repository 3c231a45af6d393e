"""Temporal's persistence and visibility stores on the environment's managed PostgreSQL (stacks/database/), through
the chart's `postgres12` SQL plugin; the chart's schema Job creates both databases and sets up and updates their
schemas with Temporal's own `temporal-sql-tool` (schema.createDatabase/setup/update). The chart's bundled Cassandra
and Elasticsearch are off (values/temporal.yaml).

The password never passes through values, git or the plan. Temporal reads it from the Secret TEMPORAL_DB_SECRET
(`existingSecret`), which comes from the cloud's secret store like every store-read Secret of the stacks:

    AWS    RDS keeps the administrator's password in Secrets Manager itself (manage_master_user_password); the
           Secrets Store CSI driver syncs its `password` field into the Secret through the SecretProviderClass
           below, read with Temporal's own IRSA role (it may read that one secret: stacks/managed_addons/aws.py).
           The server pods and the schema Job mount the class, so the Secret exists before their containers start.
    Azure  Flexible Server has no managed password: the stack generates one (generated_secret.py), gives it to the
           server and creates the Secret from it (kubernetes_secret_v1), as for LiveKit's Redis. Key Vault was
           rejected here: its vaults take private-endpoint traffic only, and a preview's deploy job runs outside the
           VNet, so it could not write the secret there.
"""

import yaml

import contract

from ..database import ADMIN_USER, PERSISTENCE_DATABASE, PORT, VISIBILITY_DATABASE
from ..environments import Environment
from .facts import TemporalDatabase
from .store_class import secret_provider_class

STORE_RELEASE = "temporal-store"  # the secret-provider-chart release of the class below
TEMPORAL_DB_SECRET = "temporal-db"
PASSWORD_KEY = "password"
PROVIDER_CLASS = "temporal-db"
VOLUME = "database-password"
MOUNT = "/mnt/database-password"  # the driver needs a mount to sync; Temporal reads the Secret, not the file
PLUGIN = "postgres12"


def _store(database: TemporalDatabase, name: str) -> dict:
    return {
        "driver": "sql",
        "sql": {
            "driver": PLUGIN,
            "host": database.host,
            "port": PORT,
            "database": name,
            "user": ADMIN_USER,
            "password": "",  # never a value: the chart's own default ("temporal") is cleared
            "existingSecret": TEMPORAL_DB_SECRET,
            "secretKey": PASSWORD_KEY,
            "maxConns": database.max_connections,
            "maxIdleConns": database.max_connections,
            "maxConnLifetime": "1h",
            "tls": {"enabled": True, "enableHostVerification": database.verify_host},
        },
    }


def temporal_values(database: TemporalDatabase) -> dict:
    """The temporal chart's values only the stack knows: both stores on the server, and (with a store reader) the
    ServiceAccount with its identity and the CSI volume on the server pods and the schema Job."""
    values: dict = {
        "server": {
            "config": {
                "persistence": {
                    "default": _store(database, PERSISTENCE_DATABASE),
                    "visibility": _store(database, VISIBILITY_DATABASE),
                }
            }
        }
    }
    if database.reader is None:
        return values
    volume = [
        {
            "name": VOLUME,
            "csi": {
                "driver": "secrets-store.csi.k8s.io",
                "readOnly": True,
                "volumeAttributes": {"secretProviderClass": PROVIDER_CLASS},
            },
        }
    ]
    mount = [{"name": VOLUME, "mountPath": MOUNT, "readOnly": True}]
    values["serviceAccount"] = {
        "create": True,
        "name": contract.TEMPORAL_ACCOUNT,
        "extraAnnotations": dict(database.reader.annotations),
    }
    values["server"] |= {"additionalVolumes": volume, "additionalVolumeMounts": mount}
    values["admintools"] = {"additionalVolumes": volume, "additionalVolumeMounts": mount}
    return values


def provider_class(environment: Environment, namespace: str, database: TemporalDatabase) -> dict:
    """secret-provider-chart values: the class syncing the RDS-managed secret's `password` into TEMPORAL_DB_SECRET."""
    if database.reader is None or not database.secret_arn:
        raise ValueError("only a database whose password is in Secrets Manager (AWS) has a provider class")
    objects = [
        {
            "objectName": database.secret_arn,
            "objectType": "secretsmanager",
            "jmesPath": [{"path": PASSWORD_KEY, "objectAlias": PASSWORD_KEY}],
        }
    ]
    secret = {
        "secretName": TEMPORAL_DB_SECRET,
        "type": "Opaque",
        "data": [{"objectName": PASSWORD_KEY, "key": PASSWORD_KEY}],
    }
    return {
        "objects": [
            secret_provider_class(
                environment,
                database.reader,
                name=PROVIDER_CLASS,
                namespace=namespace,
                objects=yaml.safe_dump(objects),
                secret_objects=[secret],
            )
        ]
    }
