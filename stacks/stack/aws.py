"""An AWS environment: VPC, EKS, one managed node group per pool, add-ons and their IAM roles."""

from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderDefaultTags
from constructs import Construct

from ..ci_access.aws import GitHubActionsRoles
from ..cluster.aws import EksCluster
from ..database.aws import RdsPostgres
from ..delivery.alerting import aws_alerting_secrets
from ..delivery.argocd_repository import aws_repository_secret
from ..delivery.aws import aws_cluster_facts
from ..delivery.environment_values import aws_secrets_path
from ..delivery.images import project_repositories
from ..delivery.providers import pin_provider_version
from ..environments import Delivery, Environment
from ..environments.catalog import global_entry_of, runner_of
from ..global_entry.certificate_aws import GlobalNamesCertificate
from ..managed_addons.aws import EksAddons
from ..network.aws import AwsNetwork
from ..node_pools.aws import EksNodePool
from ..registry.aws import EcrRegistry
from ..runner.path_aws import AwsRunnerPath
from ..storage.aws import EfsStorage
from .base import EnvironmentStack


class AwsEnvironmentStack(EnvironmentStack):
    def __init__(self, scope: Construct, *, environment: Environment):
        super().__init__(scope, environment=environment)
        settings = environment.cluster
        name = environment.cluster_name
        AwsProvider(
            self, "aws", region=environment.region, default_tags=[AwsProviderDefaultTags(tags=dict(environment.tags))]
        )
        pin_provider_version(self, "aws")
        network = AwsNetwork(self, "network", name=name, zones=settings.zones, network=settings.network)
        cluster = EksCluster(
            self,
            "cluster",
            name=name,
            region=environment.region,
            settings=settings,
            subnet_ids=network.private_subnet_ids,
        )
        pools = [
            EksNodePool(
                self,
                f"pool-{pool.role}",
                cluster_name=cluster.cluster_name,
                pool=pool,
                subnet_ids=network.private_subnet_ids,
                kubernetes_version=settings.kubernetes_version,
            )
            for pool in settings.node_pools
        ]
        database = RdsPostgres(
            self,
            "temporal-database",
            name=name,
            database=environment.database,
            vpc_id=network.vpc_id,
            subnet_ids=network.private_subnet_ids,
            cluster_security_group_id=cluster.cluster.vpc_config.cluster_security_group_id,
            kms_key_arn=cluster.secrets_key.arn,
        )
        addons = EksAddons(
            self,
            "addons",
            cluster_name=cluster.cluster_name,
            kubernetes_version=settings.kubernetes_version,
            region=environment.region,
            oidc_provider_arn=cluster.oidc_provider_arn,
            oidc_issuer_host=cluster.oidc_issuer_host,
            secrets_prefix=aws_secrets_path(environment),
            after=[pool.node_group for pool in pools],
            argocd_repository_secret=(
                aws_repository_secret(environment) if environment.delivery is Delivery.GITOPS else None
            ),
            alertmanager_secrets=aws_alerting_secrets(environment),
            temporal_secret=(database.secret_arn, cluster.secrets_key.arn),
        )
        shared = EfsStorage(
            self,
            "shared-storage",
            name=name,
            vpc_id=network.vpc_id,
            vpc_cidr=settings.network.cidr,
            subnet_ids=network.private_subnet_ids,
            kms_key_arn=cluster.secrets_key.arn,
        )
        self.connection = cluster.connection
        self.cluster_ready = [pool.node_group for pool in pools] + list(addons.addons.values()) + shared.mount_targets
        if settings.deploy_runner_cidrs:  # a private endpoint: the runner's path first (stacks/runner/path_aws.py)
            path = AwsRunnerPath(
                self,
                "runner-path",
                name=name,
                runner=runner_of(environment),
                vpc_id=network.vpc_id,
                vpc_cidr=settings.network.cidr,
                route_table_ids=[table.id for table in network.private_route_tables],
            )
            self.cluster_ready += path.ready
        self.role_arns = addons.role_arns
        entry = global_entry_of(environment)
        registry = EcrRegistry(
            self,
            "container-registry",
            prefix=entry.name if entry else environment.name,
            region=environment.region,
            repositories=project_repositories(),
            replicated_from=entry.account if entry else "",
        )
        if entry:
            certificate = GlobalNamesCertificate(self, "global-names", entry=entry)
            self.output(
                "global_names_validation",
                certificate.validation,
                f"DNS records that validate this region's certificate for the {entry.domain} names ({entry.name})",
            )
        self.output("account_id", registry.account_id, "Account of this region (its registry's id)")
        self.deliver_platform(
            aws_cluster_facts(
                environment=environment,
                cluster_name=cluster.cluster_name,
                vpc_id=network.vpc_id,
                registry=registry.registry,
                role_arns=addons.role_arns,
                efs_file_system_id=shared.file_system_id,
                database=database,
                max_connections=environment.database.max_connections_per_store,
            )
        )
        self.output("cluster_name", cluster.cluster_name, "Name of the EKS cluster")
        self.output("cluster_endpoint", cluster.endpoint, "Kubernetes API endpoint")
        self.output_public_hosts()
        self.output("registry", registry.registry, "ECR prefix the charts pull from (push images under it)")
        self.output("temporal_database", database.host, "Private DNS name of Temporal's PostgreSQL (RDS)")
        self.output("vpc_id", network.vpc_id, "VPC of the cluster (the load balancer controller's --aws-vpc-id)")
        ci = GitHubActionsRoles(
            self,
            "ci-access",
            name=name,
            repository=environment.ci_repository,
            environment=environment.name,
            cluster_name=cluster.cluster_name,
            state=environment.state,
        )
        self.output(
            "ci_deploy_role_arn",
            ci.deploy_role.arn,
            f"Role the GitHub environment {environment.name}'s jobs assume (variable AWS_DEPLOY_ROLE_ARN)",
        )
        self.output(
            "ci_plan_role_arn",
            ci.plan_role.arn,
            "Read-only role of pull-request jobs' cdktf diff (variable AWS_PLAN_ROLE_ARN)",
        )
        self.output(
            "workloads_role_arn",
            addons.role_arns["workloads"],
            "IAM role the platform's service accounts assume (eks.amazonaws.com/role-arn)",
        )
