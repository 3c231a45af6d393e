"""Temporal's PostgreSQL on AWS: RDS for PostgreSQL in the environment's private subnets, encrypted with the
environment's KMS key, reachable on 5432 only from the cluster security group (which EKS puts on every managed node,
so on every pod of the VPC CNI), never public, TLS required (rds.force_ssl).

The administrator's password is made by RDS itself into Secrets Manager (`manage_master_user_password`), encrypted
with the same key and rotated by RDS: it is never in Terraform's plan, state, values or git. Temporal's pods read it
through the Secrets Store CSI driver with an IRSA role that may read that one secret (`secret_arn`,
stacks/delivery/temporal_store.py), the way ArgoCD and Alertmanager read theirs.

Sizes, Multi-AZ, backups and what a deletion keeps come from the environment's `database` (environments/database.py).
"""

from collections.abc import Sequence

from cdktf_cdktf_provider_aws.db_instance import DbInstance
from cdktf_cdktf_provider_aws.db_parameter_group import DbParameterGroup, DbParameterGroupParameter
from cdktf_cdktf_provider_aws.db_subnet_group import DbSubnetGroup
from cdktf_cdktf_provider_aws.security_group import SecurityGroup
from cdktf_cdktf_provider_aws.security_group_rule import SecurityGroupRule
from constructs import Construct

from ..environments import Database
from . import ADMIN_USER, PERSISTENCE_DATABASE, PORT

FAMILY = "postgres{major}"


class RdsPostgres(Construct):
    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        name: str,
        database: Database,
        vpc_id: str,
        subnet_ids: Sequence[str],
        cluster_security_group_id: str,
        kms_key_arn: str,
    ):
        """`subnet_ids`: the private subnets; `cluster_security_group_id`: the only source admitted."""
        super().__init__(scope, id_)
        identifier = f"{name}-temporal"
        subnets = DbSubnetGroup(
            self, "subnets", name=identifier, subnet_ids=list(subnet_ids), tags={"Name": identifier}
        )
        self.security_group = SecurityGroup(
            self,
            "access",
            name=f"{identifier}-db",
            vpc_id=vpc_id,
            description="PostgreSQL from the cluster nodes and pods only",
            tags={"Name": f"{identifier}-db"},
        )
        # The one way in, a rule of its own (not an inline block), so the group exists before the cluster's does.
        SecurityGroupRule(
            self,
            "from-cluster",
            type="ingress",
            description="PostgreSQL from the EKS cluster security group (nodes, pods)",
            protocol="tcp",
            from_port=PORT,
            to_port=PORT,
            source_security_group_id=cluster_security_group_id,
            security_group_id=self.security_group.id,
        )
        family = FAMILY.format(major=database.engine_version)
        parameters = DbParameterGroup(
            self,
            "parameters",
            name=identifier,
            family=family,
            description="TLS only; slow statements logged",
            parameter=[
                DbParameterGroupParameter(name="rds.force_ssl", value="1"),
                DbParameterGroupParameter(name="log_min_duration_statement", value="1000"),
            ],
        )
        self.instance = DbInstance(
            self,
            "instance",
            identifier=identifier,
            engine="postgres",
            engine_version=database.engine_version,
            auto_minor_version_upgrade=True,
            instance_class=database.instance_class,
            allocated_storage=database.storage_gib,
            max_allocated_storage=database.max_storage_gib or None,
            storage_type="gp3",
            storage_encrypted=True,
            kms_key_id=kms_key_arn,
            multi_az=database.high_availability,
            db_subnet_group_name=subnets.name,
            vpc_security_group_ids=[self.security_group.id],
            publicly_accessible=False,
            parameter_group_name=parameters.name,
            db_name=PERSISTENCE_DATABASE,
            username=ADMIN_USER,
            manage_master_user_password=True,
            master_user_secret_kms_key_id=kms_key_arn,
            backup_retention_period=database.backup_retention_days,
            backup_window="02:00-03:00",
            maintenance_window="sun:03:30-sun:04:30",
            copy_tags_to_snapshot=True,
            delete_automated_backups=not database.final_snapshot,
            deletion_protection=database.deletion_protection,
            skip_final_snapshot=not database.final_snapshot,
            final_snapshot_identifier=f"{identifier}-final" if database.final_snapshot else None,
            performance_insights_enabled=True,
            performance_insights_kms_key_id=kms_key_arn,
            enabled_cloudwatch_logs_exports=["postgresql", "upgrade"],
            tags={"Name": identifier},
        )
        self.host = self.instance.address
        self.secret_arn = self.instance.master_user_secret.get(0).secret_arn
