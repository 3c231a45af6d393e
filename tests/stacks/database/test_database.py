"""Temporal's managed PostgreSQL: never reachable from outside the cluster's network, sized and protected as the
environment says, and its password never in values."""

import dataclasses
import json

import pytest
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_azurerm.provider import AzurermProvider, AzurermProviderFeatures

import contract
from deliverykit import eks_addons, has_store_reader_role, store_reader_statements
from stacks.database.aws import RdsPostgres
from stacks.database.azure import FlexiblePostgres
from stacks.delivery.facts import StoreReader, TemporalDatabase
from stacks.delivery.temporal_store import TEMPORAL_DB_SECRET, temporal_values
from stacks.environments import ENVIRONMENTS, ConfigError
from stacks.environments.catalog import PROD_EU, PROD_EU_AZ
from stacks.managed_addons.aws import TEMPORAL
from synthkit import construct_json

CLUSTER_SG = "sg-cluster"


def rds(database=PROD_EU.database):
    def build(stack):
        AwsProvider(stack, "aws", region="eu-west-1")
        return RdsPostgres(
            stack,
            "db",
            name="voiceplat-prod-eu",
            database=database,
            vpc_id="vpc-1",
            subnet_ids=["subnet-private-a", "subnet-private-b"],
            cluster_security_group_id=CLUSTER_SG,
            kms_key_arn="arn:aws:kms:eu-west-1:1:key/k",
        )

    return construct_json(build)


def flexible(database=PROD_EU_AZ.database):
    def build(stack):
        AzurermProvider(stack, "azurerm", features=[AzurermProviderFeatures()])
        return FlexiblePostgres(
            stack,
            "db",
            name="voiceplat-prod-eu-az",
            database=database,
            location="westeurope",
            resource_group_name="rg",
            vnet_name="vnet",
            vnet_id="/vnet",
            nodes_subnet="10.40.0.0/18",
            tags={},
        )

    return construct_json(build)


def only(doc: dict, kind: str) -> dict:
    (resource,) = doc["resource"][kind].values()
    return resource


def rds_reachable_from_outside(doc: dict) -> list[str]:
    """Every way the RDS instance could be reached from outside the cluster's nodes and pods."""
    found = []
    instance = only(doc, "aws_db_instance")
    if instance.get("publicly_accessible") is not False:
        found.append("publicly accessible")
    group = only(doc, "aws_security_group")
    if group.get("ingress"):
        found.append(f"inline ingress {group['ingress']}")
    for rule in doc["resource"]["aws_security_group_rule"].values():
        if rule["type"] == "ingress" and (
            rule.get("cidr_blocks")
            or rule.get("ipv6_cidr_blocks")
            or rule.get("source_security_group_id") != CLUSTER_SG
        ):
            found.append(f"ingress {rule}")
    if only(doc, "aws_db_subnet_group")["subnet_ids"] != ["subnet-private-a", "subnet-private-b"]:
        found.append("subnets other than the private ones")
    return found


def test_a_production_rds_is_reachable_only_from_the_cluster_security_group():
    assert rds_reachable_from_outside(rds().doc) == []


def test_the_reachability_check_fails_on_a_public_instance_or_a_cidr_rule():
    doc = json.loads(rds().text)
    only(doc, "aws_db_instance")["publicly_accessible"] = True
    only(doc, "aws_security_group_rule")["cidr_blocks"] = ["0.0.0.0/0"]
    assert len(rds_reachable_from_outside(doc)) == 2


def test_production_rds_is_multi_az_encrypted_with_the_environment_key_and_keeps_a_final_snapshot():
    instance = only(rds().doc, "aws_db_instance")
    assert instance["multi_az"] is True and instance["storage_encrypted"] is True
    assert instance["kms_key_id"] == instance["master_user_secret_kms_key_id"] == "arn:aws:kms:eu-west-1:1:key/k"
    assert instance["deletion_protection"] is True and instance["skip_final_snapshot"] is False
    assert instance["backup_retention_period"] == PROD_EU.database.backup_retention_days
    assert instance["manage_master_user_password"] is True and "password" not in instance


def test_a_preview_rds_is_single_zone_and_leaves_no_snapshot():
    instance = only(rds(ENVIRONMENTS["preview-eu"].database).doc, "aws_db_instance")
    assert instance["multi_az"] is False and instance["skip_final_snapshot"] is True
    assert instance["instance_class"] == "db.t4g.medium"


def test_rds_requires_tls():
    parameters = only(rds().doc, "aws_db_parameter_group")["parameter"]
    assert {"name": "rds.force_ssl", "value": "1"} in parameters


def flexible_reachable_from_outside(doc: dict) -> list[str]:
    found = []
    server = only(doc, "azurerm_postgresql_flexible_server")
    if server.get("public_network_access_enabled") is not False or not server.get("delegated_subnet_id"):
        found.append("public access")
    rules = sorted(doc["resource"]["azurerm_network_security_rule"].values(), key=lambda rule: rule["priority"])
    allowed = [rule["source_address_prefix"] for rule in rules if rule["access"] == "Allow"]
    if set(allowed) - {"10.40.0.0/18", PROD_EU_AZ.database.subnet}:
        found.append(f"allowed from {allowed}")
    if rules[-1]["source_address_prefix"] != "*" or rules[-1]["access"] != "Deny":
        found.append("no final deny")
    return found


def test_a_production_flexible_server_is_private_and_admits_the_nodes_subnet_only():
    assert flexible_reachable_from_outside(flexible().doc) == []


def test_the_flexible_check_fails_on_public_access_or_a_wide_rule():
    doc = json.loads(flexible().text)
    only(doc, "azurerm_postgresql_flexible_server")["public_network_access_enabled"] = True
    next(iter(doc["resource"]["azurerm_network_security_rule"].values()))["source_address_prefix"] = "0.0.0.0/0"
    assert len(flexible_reachable_from_outside(doc)) == 2


def test_a_production_flexible_server_is_zone_redundant_and_cannot_be_destroyed():
    server = only(flexible().doc, "azurerm_postgresql_flexible_server")
    assert server["high_availability"]["mode"] == "ZoneRedundant"
    assert server["lifecycle"]["prevent_destroy"] is True
    assert server["backup_retention_days"] == 35 and server["geo_redundant_backup_enabled"] is True


def test_a_preview_flexible_server_has_no_standby():
    server = only(flexible(ENVIRONMENTS["preview-eu-az"].database).doc, "azurerm_postgresql_flexible_server")
    assert "high_availability" not in server


def passwords_in(values, path="") -> list[str]:
    """Every non-empty `password` key of a values document."""
    found = []
    if isinstance(values, dict):
        for key, item in values.items():
            if key == "password" and item:
                found.append(f"{path}.{key}")
            found += passwords_in(item, f"{path}.{key}")
    elif isinstance(values, list):
        for index, item in enumerate(values):
            found += passwords_in(item, f"{path}[{index}]")
    return found


@pytest.mark.parametrize("reader", [StoreReader(annotations={"a": "b"}), None])
def test_temporal_values_carry_no_password_only_the_secret_name(reader):
    database = TemporalDatabase(host="db", verify_host=True, max_connections=5, reader=reader, password="s3cret")
    values = temporal_values(database)
    assert passwords_in(values) == []
    for store in ("default", "visibility"):
        assert values["server"]["config"]["persistence"][store]["sql"]["existingSecret"] == TEMPORAL_DB_SECRET


def test_the_password_check_finds_a_planted_password():
    values = temporal_values(TemporalDatabase(host="db", verify_host=True, max_connections=5))
    values["server"]["config"]["persistence"]["default"]["sql"]["password"] = "planted"
    assert passwords_in(values) == [".server.config.persistence.default.sql.password"]


@pytest.mark.parametrize("field", ["high_availability", "deletion_protection", "final_snapshot"])
def test_a_production_database_without_a_standby_or_protection_is_refused(field):
    with pytest.raises(ConfigError, match=field):
        dataclasses.replace(PROD_EU, database=dataclasses.replace(PROD_EU.database, **{field: False}))


def test_a_cloud_environment_without_a_database_is_refused():
    with pytest.raises(ConfigError, match="managed PostgreSQL"):
        dataclasses.replace(PROD_EU, database=None)


SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:rds!db-1-AbCdEf"
KEY_ARN = "arn:aws:kms:eu-west-1:111122223333:key/k"


def test_temporals_own_account_alone_reads_the_rds_password_and_only_through_secrets_manager():
    subject, (read, decrypt) = store_reader_statements(eks_addons(temporal_secret=(SECRET_ARN, KEY_ARN)), TEMPORAL)
    assert subject == f"system:serviceaccount:{contract.TEMPORAL_NAMESPACE}:{contract.TEMPORAL_ACCOUNT}"
    assert read["Resource"] == [SECRET_ARN] and set(read["Action"]) <= {
        "secretsmanager:GetSecretValue",
        "secretsmanager:DescribeSecret",
    }
    assert decrypt["Resource"] == [KEY_ARN]
    assert decrypt["Condition"] == {"StringLike": {"kms:ViaService": "secretsmanager.*.amazonaws.com"}}


def test_a_stack_without_a_database_makes_no_role_for_temporal():
    assert not has_store_reader_role(eks_addons(), TEMPORAL)
