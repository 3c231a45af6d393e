"""Every environment of the platform, declared once. `main.py` makes one stack per entry.

Differences between environments are values here (sizes, NAT layout, endpoint exposure, SLA tier,
delivery mode); the constructs never branch on an environment's name.
"""

from dataclasses import replace

import contract

from .clouds import AGIC_CLASS
from .database import Database
from .errors import UnknownEnvironment
from .global_entry import GlobalEntry
from .kinds import Arch, Cloud, Delivery, NatGateways, Tier
from .model import (
    Alerting,
    AlertReceiver,
    Environment,
    ExistingCluster,
    GitSource,
    Ingress,
    ManagedCluster,
    Network,
    NodePool,
)
from .runner import DeployRunner
from .state import AzureState, S3State


def aws_state(region: str) -> S3State:
    """The state store of one AWS region, shared by the environments in that region (one object each), created by
    `cdktf deploy state-aws-<region>` (stacks/state/). Bucket names are global: change the prefix to one you own
    before the first deploy."""
    return S3State(bucket=f"voiceplat-infra-tfstate-{region}", region=region, kms_key_alias="alias/voiceplat-tfstate")


def azure_state(location: str) -> AzureState:
    """The state store of one Azure region (`cdktf deploy state-azure-<location>`); account names are global."""
    return AzureState(
        resource_group=f"rg-voiceplat-tfstate-{location}",
        storage_account=f"vptfstate{location}"[:24],
        container_prefix="tfstate",
        location=location,
    )


AWS_STATE = aws_state("eu-west-1")
AZURE_STATE = azure_state("westeurope")
# One minor for every cloud cluster: the newest both EKS and AKS offer in standard support, until 2027-03-27 and
# 2027-03 (stacks/environments/clouds.py SUPPORTED_KUBERNETES). Kind's 1.34 (contract/pins.py) left AKS's community
# support in 2026-11 (a new AKS cluster would need the Premium tier's LTS plan) and EKS's standard support on
# 2026-12-02 (AWS then upgrades a STANDARD-plan cluster under Terraform). Kind cannot follow on cgroup v1 hosts, so
# what the suites prove runs one minor behind; validation.py allows no wider skew.
KUBERNETES_VERSION = "1.35"
# Where `cdktf deploy` runs for the private production endpoints: a self-hosted runner in a small VPC/VNet of its own
# in each region (`cdktf deploy runner-aws-<region>` / `runner-azure-<location>`, environments/runner.py), which the
# region's production stacks peer with. A region is deployed from its own runner, whose state sits in the region's
# own store, so losing another region never stops its deploys (docs/multi-region.md). The ranges stay outside every
# environment's; a cloud's runners share theirs, since they never peer with each other.
AWS_DEPLOY_RUNNER_CIDRS = ("10.250.0.0/24",)
AZURE_DEPLOY_RUNNER_CIDRS = ("10.251.0.0/24",)


def aws_runner(region: str) -> DeployRunner:
    """The deploy runner of one AWS region, its state in that region's store."""
    return DeployRunner(
        name=f"runner-aws-{region}",
        cloud=Cloud.AWS,
        region=region,
        cidr=AWS_DEPLOY_RUNNER_CIDRS[0],
        machine="t4g.large",
        state=aws_state(region),
    )


def azure_runner(location: str) -> DeployRunner:
    """The deploy runner of one Azure region, its state in that region's store."""
    return DeployRunner(
        name=f"runner-azure-{location}",
        cloud=Cloud.AZURE,
        region=location,
        cidr=AZURE_DEPLOY_RUNNER_CIDRS[0],
        machine="Standard_B2ps_v2",
        state=azure_state(location),
    )


RUNNER_FACTORIES = {Cloud.AWS: aws_runner, Cloud.AZURE: azure_runner}
# Reviewers and the preview deploy jobs reach the preview APIs from the office/VPN egress range (documentation
# range here: replace it with the real egress CIDRs before the first deploy).
PREVIEW_API_CIDRS = ("203.0.113.0/24",)
# Each cloud's own ingress controller (stacks/delivery/environment_values.py says what each class implies).
AWS_INGRESS_CLASS = "alb"
AZURE_INGRESS_CLASS = AGIC_CLASS  # an environment may choose "nginx" instead (clouds.py INGRESS_CONTROLLERS)
# The name of each environment's certificate in its secret store, where nginx and AGIC get it from (the runbook
# says how to put it there); the ALB environments use ACM instead.
TLS_CERTIFICATE = "ingress-tls"
# The repository whose GitHub Actions workflows deploy the cloud environments (.github/workflows/).
CI_REPOSITORY = "voiceplat/voiceplat-infra"
# Production pages a person: critical alerts to PagerDuty, critical and warning ones to the team's Slack channel.
# Each names an entry of the environment's own secret store (AWS Secrets Manager <secretPrefix>/alerting/<env>/<name>,
# Azure Key Vault kv-alerts-<env>, secret <name>), filled before the first deploy: docs/cloud-runbook.md, "Alert
# receivers". The channel is a placeholder: name the team's real one.
PRODUCTION_ALERTING = Alerting(
    receivers=(
        AlertReceiver(
            name="oncall-pagerduty", kind="pagerduty", severities=("critical",), secret="alertmanager-pagerduty"
        ),
        AlertReceiver(
            name="team-slack",
            kind="slack",
            severities=("critical", "warning"),
            secret="alertmanager-slack",
            channel="#voiceplat-alerts",
        ),
    )
)
# A preview drops its alerts, on purpose (Alertmanager's null receiver): stated here, never by omission.
PREVIEW_ALERTING = Alerting(
    null_receiver_reason="a preview is short-lived and watched by its reviewers on its "
    "dashboards; nobody is on call for it"
)

# Temporal's PostgreSQL per tier (stacks/database/). Production: a standby in another zone (RDS Multi-AZ, Flexible
# Server zone-redundant HA), 35 days of point-in-time restore (the most both clouds keep), deletion refused and a
# final snapshot. A preview: one small single-zone server, 7 days of restore, deleted with the preview.
AWS_PROD_DATABASE = Database(
    instance_class="db.r7g.large",
    storage_gib=100,
    max_storage_gib=1000,
    high_availability=True,
    backup_retention_days=35,
    deletion_protection=True,
    final_snapshot=True,
)
AWS_PREVIEW_DATABASE = Database(
    instance_class="db.t4g.medium",
    storage_gib=20,
    max_storage_gib=100,
    high_availability=False,
    backup_retention_days=7,
    deletion_protection=False,
    final_snapshot=False,
    max_connections_per_store=10,
)


# Azure's the same per tier; each server's delegated /24 is its environment's (_azure_database).
AZURE_PROD_DATABASE = Database(
    instance_class="GP_Standard_D4ds_v5",
    storage_gib=128,
    high_availability=True,
    backup_retention_days=35,
    geo_redundant_backup=True,
    deletion_protection=True,
    final_snapshot=True,
)
AZURE_PREVIEW_DATABASE = Database(
    instance_class="B_Standard_B2s",
    storage_gib=32,
    high_availability=False,
    backup_retention_days=7,
    deletion_protection=False,
    final_snapshot=False,
    max_connections_per_store=10,
)


def _azure_database(tier_database: Database, second_octet: int) -> Database:
    """The tier's server in the /24 after the ingress subnet of _azure_network, delegated to it."""
    return replace(tier_database, subnet=f"10.{second_octet}.65.0/24")


def _deploy_branch(name: str) -> GitSource:
    """What a cloud environment's ArgoCD syncs: the project's repository at deploy/<environment>, the branch the
    deliver workflow moves to a release's commit once it is approved (.github/workflows/deliver.yml), so a merge to
    main never reaches production on its own."""
    return GitSource(repository=f"https://github.com/{CI_REPOSITORY}.git", revision=f"deploy/{name}")


def _tags(name: str, tier: str) -> dict[str, str]:
    return {"project": "voiceplat", "environment": name, "tier": tier, "managed-by": "cdktf"}


def _overlays(ingress_class: str, tier: Tier) -> tuple[str, ...]:
    """The charts' own overlays: their services' settings for the ingress class, then for the tier (later wins)."""
    return (f"values/ingress-{ingress_class}.yaml", f"values/env-{tier.value}.yaml")


def _aws_network(second_octet: int, nat: NatGateways) -> Network:
    """A /16 VPC: three /20 public subnets (load balancers) and three /18 private ones (nodes and pods)."""
    base = f"10.{second_octet}"
    return Network(
        cidr=f"{base}.0.0/16",
        public_subnets=(f"{base}.0.0/20", f"{base}.16.0/20", f"{base}.32.0/20"),
        private_subnets=(f"{base}.64.0/18", f"{base}.128.0/18", f"{base}.192.0/18"),
        service_cidr="172.20.0.0/16",
        nat_gateways=nat,
    )


def _aws_pools(
    *,
    system: tuple[int, int, int],
    general: tuple[int, int, int],
    gpu: tuple[int, int, int],
    general_types: tuple[str, ...],
    gpu_types: tuple[str, ...],
) -> tuple[NodePool, ...]:
    """System and general pools on Graviton; the GPU pool on g6 (NVIDIA L4), which is x86 only."""

    def sizes(min_desired_max: tuple[int, int, int]) -> dict[str, int]:
        low, desired, high = min_desired_max
        return {"min_size": low, "desired_size": desired, "max_size": high}

    return (
        NodePool(
            role=contract.SYSTEM_POOL.name,
            arch=Arch.ARM64,
            instance_types=("m7g.large", "m7g.xlarge"),
            disk_gib=50,
            **sizes(system),
        ),
        NodePool(role=contract.GENERAL_POOL.name, arch=Arch.ARM64, instance_types=general_types, **sizes(general)),
        NodePool(role=contract.GPU_POOL.name, arch=Arch.AMD64, instance_types=gpu_types, disk_gib=200, **sizes(gpu)),
    )


def _aws_prod(name: str, region: str, second_octet: int) -> Environment:
    return Environment(
        name=name,
        cloud=Cloud.AWS,
        region=region,
        tier=Tier.PROD,
        cluster=ManagedCluster(
            kubernetes_version=KUBERNETES_VERSION,
            zones=tuple(f"{region}{zone}" for zone in "abc"),
            network=_aws_network(second_octet, NatGateways.PER_ZONE),
            node_pools=_aws_pools(
                system=(3, 3, 6),
                general=(3, 3, 30),
                gpu=(1, 2, 20),
                general_types=("m7g.2xlarge", "m7g.4xlarge"),
                gpu_types=("g6.xlarge", "g6.2xlarge"),
            ),
            public_api_cidrs=(),
            deploy_runner_cidrs=AWS_DEPLOY_RUNNER_CIDRS,
            log_retention_days=365,
        ),
        delivery=Delivery.GITOPS,
        values_files=_overlays(AWS_INGRESS_CLASS, Tier.PROD),
        ingress=Ingress(domain=f"{name.removeprefix('prod-')}.voice.example.com", class_name=AWS_INGRESS_CLASS),
        tags=_tags(name, "prod"),
        ci_repository=CI_REPOSITORY,
        alerting=PRODUCTION_ALERTING,
        git=_deploy_branch(name),
        state=aws_state(region),
        database=AWS_PROD_DATABASE,
    )


LOCAL = Environment(
    name="local",
    cloud=Cloud.LOCAL,
    region="local",
    tier=Tier.E2E,
    # `make up`'s kind cluster; stacks/app.py aims the stack at another one when contract.settings.CLUSTER
    # names it (the e2e suite's, through localenv).
    cluster=ExistingCluster(
        kubeconfig_context=contract.kind_context(contract.cluster_name("local")),
        kubeconfig_path=contract.DEFAULT_KUBECONFIG,
    ),
    delivery=Delivery.HELM,  # contract.settings.DELIVERY=gitops: through ArgoCD instead (environments/aim.py)
    # The in-cluster Git server the runner pushes the working tree's charts to (bootstrap/gitops.py, localenv).
    git=GitSource(repository=contract.LOCAL_GIT_REPOSITORY, revision="deploy/local"),
    # The ingress class's overlay in the dialect of kind's controller (ingress-nginx until F5's controller can be
    # built offline: docs/ingress-on-kind.md), then its own.
    values_files=("values/ingress-nginx-kind.yaml", "values/env-local.yaml"),
    ingress=Ingress(domain="voiceplat.localhost", tls=False),
    tags=_tags("local", "dev"),
    # Every alert to the in-cluster receiver, which records it for the e2e suite (images/alert-receiver).
    alerting=Alerting(
        receivers=(
            AlertReceiver(
                name="in-cluster-webhook",
                kind="webhook",
                url=f"http://alert-receiver.{contract.MONITORING_NAMESPACE}.svc:8080/alerts",
            ),
        ),
        group_wait="10s",
        group_interval="30s",
        repeat_interval="1h",
    ),
)

PREVIEW_EU = Environment(
    name="preview-eu",
    cloud=Cloud.AWS,
    region="eu-west-1",
    tier=Tier.PREVIEW,
    cluster=ManagedCluster(
        kubernetes_version=KUBERNETES_VERSION,
        zones=("eu-west-1a", "eu-west-1b", "eu-west-1c"),
        network=_aws_network(10, NatGateways.SINGLE),
        node_pools=_aws_pools(
            system=(2, 2, 3), general=(1, 1, 4), gpu=(0, 0, 2), general_types=("m7g.xlarge",), gpu_types=("g6.xlarge",)
        ),
        public_api_cidrs=PREVIEW_API_CIDRS,
        uptime_sla=False,
        log_retention_days=30,
    ),
    delivery=Delivery.HELM,
    values_files=_overlays(AWS_INGRESS_CLASS, Tier.PREVIEW),
    ingress=Ingress(domain="preview-eu.voice.example.com", class_name=AWS_INGRESS_CLASS),
    tags=_tags("preview-eu", "preview"),
    ci_repository=CI_REPOSITORY,
    alerting=PREVIEW_ALERTING,
    git=_deploy_branch("preview-eu"),
    state=AWS_STATE,
    database=AWS_PREVIEW_DATABASE,
    policy_skips={
        "CKV_AWS_39": "reviewers reach the preview API over the internet, limited to public_api_cidrs; "
        "production environments keep the endpoint private",
    },
)

PROD_EU = _aws_prod("prod-eu", "eu-west-1", 20)
PROD_US = _aws_prod("prod-us", "us-east-1", 30)


def _azure_network(second_octet: int) -> Network:
    """A /16 VNet: one /18 nodes subnet, one /24 ingress subnet (Application Gateway); pods in the overlay."""
    base = f"10.{second_octet}"
    return Network(
        cidr=f"{base}.0.0/16",
        public_subnets=(f"{base}.64.0/24",),  # ingress (Application Gateway)
        private_subnets=(f"{base}.0.0/18",),  # nodes; pods live in the overlay range below
        pod_cidr="10.244.0.0/16",
        service_cidr="172.20.0.0/16",
    )


def _azure_pools(
    *, system: tuple[int, int, int], general: tuple[int, int, int], gpu: tuple[int, int, int]
) -> tuple[NodePool, ...]:
    """System and general pools on Arm (Dpsv5); the GPU pool on T4.

    Azure offers no NVIDIA L4. The T4 (NCasT4_v3) is the L4's predecessor in the same low-power inference class,
    runs the stock NVIDIA driver and device plugin on AKS, and is offered in every zone here; A10 (NVadsA10_v5)
    sizes are vGPU slices needing GRID drivers, and A100/H100 sizes are training-class and several times the price.
    """

    def sizes(min_desired_max: tuple[int, int, int]) -> dict[str, int]:
        low, desired, high = min_desired_max
        return {"min_size": low, "desired_size": desired, "max_size": high}

    return (
        NodePool(
            role=contract.SYSTEM_POOL.name,
            arch=Arch.ARM64,
            instance_types=("Standard_D4ps_v5",),
            disk_gib=64,
            **sizes(system),
        ),
        NodePool(
            role=contract.GENERAL_POOL.name, arch=Arch.ARM64, instance_types=("Standard_D8ps_v5",), **sizes(general)
        ),
        NodePool(
            role=contract.GPU_POOL.name,
            arch=Arch.AMD64,
            instance_types=("Standard_NC8as_T4_v3",),
            disk_gib=200,
            **sizes(gpu),
        ),
    )


def _azure_prod(name: str, region: str, second_octet: int) -> Environment:
    return Environment(
        name=name,
        cloud=Cloud.AZURE,
        region=region,
        tier=Tier.PROD,
        cluster=ManagedCluster(
            kubernetes_version=KUBERNETES_VERSION,
            zones=("1", "2", "3"),
            network=_azure_network(second_octet),
            node_pools=_azure_pools(system=(3, 3, 6), general=(3, 3, 30), gpu=(1, 2, 20)),
            public_api_cidrs=(),
            deploy_runner_cidrs=AZURE_DEPLOY_RUNNER_CIDRS,
            log_retention_days=365,
        ),
        delivery=Delivery.GITOPS,
        values_files=_overlays(AZURE_INGRESS_CLASS, Tier.PROD),
        ingress=Ingress(
            domain=f"{name.removeprefix('prod-')}.voice.example.com",
            class_name=AZURE_INGRESS_CLASS,
            tls_certificate=TLS_CERTIFICATE,
        ),
        tags=_tags(name, "prod"),
        ci_repository=CI_REPOSITORY,
        alerting=PRODUCTION_ALERTING,
        git=_deploy_branch(name),
        state=azure_state(region),
        database=_azure_database(AZURE_PROD_DATABASE, second_octet),
    )


PROD_EU_AZ = _azure_prod("prod-eu-az", "westeurope", 40)
# The second Azure production region, so the Azure global entry has somewhere to fail over to.
PROD_US_AZ = _azure_prod("prod-us-az", "eastus", 60)

# Azure's preview: the same shape as preview-eu (small pools, GPU pool at zero, Helm delivery, API reachable from
# the reviewers' range, no paid SLA), so both clouds have a preview and a production environment.
PREVIEW_EU_AZ = Environment(
    name="preview-eu-az",
    cloud=Cloud.AZURE,
    region="westeurope",
    tier=Tier.PREVIEW,
    cluster=ManagedCluster(
        kubernetes_version=KUBERNETES_VERSION,
        zones=("1", "2", "3"),
        network=_azure_network(50),
        node_pools=_azure_pools(system=(2, 2, 3), general=(1, 1, 4), gpu=(0, 0, 2)),
        public_api_cidrs=PREVIEW_API_CIDRS,
        uptime_sla=False,
        log_retention_days=30,
    ),
    delivery=Delivery.HELM,
    values_files=_overlays(AZURE_INGRESS_CLASS, Tier.PREVIEW),
    ingress=Ingress(
        domain="preview-eu-az.voice.example.com", class_name=AZURE_INGRESS_CLASS, tls_certificate=TLS_CERTIFICATE
    ),
    tags=_tags("preview-eu-az", "preview"),
    ci_repository=CI_REPOSITORY,
    alerting=PREVIEW_ALERTING,
    git=_deploy_branch("preview-eu-az"),
    state=AZURE_STATE,
    database=_azure_database(AZURE_PREVIEW_DATABASE, 50),
    policy_skips={
        "CKV_AZURE_115": "reviewers reach the preview API over the internet, limited to public_api_cidrs; "
        "production environments keep the cluster private",
        "CKV_AZURE_170": "a preview cluster is short-lived and needs no paid uptime SLA; production has one",
    },
)

ENVIRONMENTS: dict[str, Environment] = {
    env.name: env for env in (LOCAL, PREVIEW_EU, PROD_EU, PROD_US, PREVIEW_EU_AZ, PROD_EU_AZ, PROD_US_AZ)
}

# Each cloud's global entry over its production regions (global_entry.py; docs/multi-region.md): the zone of the
# global names (delegate it from voice.example.com), and the store its own state lives in.
GLOBAL_ENTRIES: dict[str, GlobalEntry] = {
    entry.name: entry
    for entry in (
        # The account is a placeholder (AWS's documentation one): set the one global-aws is deployed in.
        GlobalEntry(
            name="global-aws", cloud=Cloud.AWS, domain="aws.voice.example.com", state=AWS_STATE, account="111122223333"
        ),
        GlobalEntry(name="global-azure", cloud=Cloud.AZURE, domain="azure.voice.example.com", state=AZURE_STATE),
    )
}


def runner_of(environment: Environment) -> DeployRunner:
    """The deploy runner in the environment's own region, which its stack peers with when its API is private."""
    return RUNNER_FACTORIES[environment.cloud](environment.region)


def global_entry_of(environment: Environment) -> GlobalEntry | None:
    """The global entry that sends callers to `environment`, if one does (its cloud's, for a production one)."""
    return next((entry for entry in GLOBAL_ENTRIES.values() if environment in entry.regions([environment])), None)


def get(name: str) -> Environment:
    """The environment called `name`; an unknown name lists the known ones."""
    try:
        return ENVIRONMENTS[name]
    except KeyError:
        raise UnknownEnvironment(name, tuple(ENVIRONMENTS)) from None
