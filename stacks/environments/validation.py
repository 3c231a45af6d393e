"""Checks an Environment as a whole; the first problem raises ConfigError with its field path.

It reads the model's objects by their fields (the model calls it while building them), so it imports the
enums and the cloud facts, never model.py: the dependency runs one way."""

import ipaddress
import re
from typing import TYPE_CHECKING, cast

import contract
from contract import pins

from .clouds import AGIC_CLASS, INGRESS_CONTROLLERS, REGIONS, SUPPORTED_KUBERNETES, UnknownMachine, machine_facts
from .database import validate_database
from .errors import ConfigError
from .kinds import Arch, Cloud, Delivery, ReceiverKind, Tier
from .state import AzureState, S3State

if TYPE_CHECKING:  # annotations only: at run time the model imports this module
    from .model import Alerting, AlertReceiver, Environment, ExistingCluster, ManagedCluster, Network, NodePool

_NAME = re.compile(r"^[a-z][a-z0-9-]{1,20}[a-z0-9]$")
_K8S_VERSION = re.compile(r"^1\.(\d+)$")
_OLDEST_MINOR = 30
_HOSTNAME = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_POLICY_CHECK = re.compile(r"^CKV2?_[A-Z]+_\d+$")
_STORE_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")  # valid in Key Vault and Secrets Manager
_VALUES_FILE = re.compile(r"^[a-z0-9][a-z0-9._/-]*\.yaml$")
# GitHub's rules: an owner of 1-39 letters, digits and inner single dashes; a name of letters, digits, . _ -
_GIT_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(?::\d+)?/\S+$")
_GITHUB_REPOSITORY = re.compile(r"^[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}/(?!.*\.git$)[A-Za-z0-9._-]{1,100}$")


def validate(env: "Environment") -> None:
    if not _NAME.match(env.name):
        raise ConfigError(
            "name",
            f"{env.name!r} is not a valid environment name",
            "use 3-22 lowercase letters, digits and dashes, starting with a letter (e.g. prod-eu)",
        )
    at = env.name
    if not isinstance(env.cloud, Cloud):
        raise ConfigError(f"{at}.cloud", f"{env.cloud!r} is not a Cloud", "use Cloud.AWS, Cloud.AZURE or Cloud.LOCAL")
    if not isinstance(env.tier, Tier):
        raise ConfigError(f"{at}.tier", f"{env.tier!r} is not a Tier", "use Tier.PREVIEW, Tier.PROD or Tier.E2E")
    if (env.tier is Tier.E2E) != (env.cloud is Cloud.LOCAL):
        raise ConfigError(
            f"{at}.tier",
            f"tier {env.tier.value} does not go with cloud {env.cloud.value}",
            "use Tier.E2E for the local kind cluster and Tier.PREVIEW or Tier.PROD on a cloud",
        )
    regions = REGIONS[env.cloud]
    if env.region not in regions:
        raise ConfigError(
            f"{at}.region",
            f"unknown {env.cloud.value} region {env.region!r}",
            f"use one of {', '.join(regions)} or add it to stacks/environments/clouds.py",
        )
    if env.cloud is Cloud.LOCAL:
        if getattr(env.cluster, "creates_cluster", None) is not False:
            raise ConfigError(
                f"{at}.cluster",
                "a local environment cannot create a cluster",
                "use ExistingCluster(kubeconfig_context=...) pointing at the kind cluster",
            )
        _existing(f"{at}.cluster", cast("ExistingCluster", env.cluster))  # creates_cluster is False
    elif getattr(env.cluster, "creates_cluster", None) is not True:
        raise ConfigError(
            f"{at}.cluster",
            f"a {env.cloud.value} environment needs a cluster to create",
            "use ManagedCluster(...) with zones, network and node_pools",
        )
    else:
        _managed(f"{at}.cluster", cast("ManagedCluster", env.cluster), env.cloud, regions[env.region])
    _ingress(f"{at}.ingress", env)
    _state(f"{at}.state", env)
    _ci_repository(f"{at}.ci_repository", env)
    _git(f"{at}.git", env)
    _alerting(f"{at}.alerting", env.alerting, env.tier)
    network = getattr(env.cluster, "network", None)
    validate_database(
        f"{at}.database", env.database, cloud=env.cloud.value, tier=env.tier.value, vnet=network.cidr if network else ""
    )
    for i, values_file in enumerate(env.values_files):
        if not _VALUES_FILE.match(values_file) or ".." in values_file.split("/"):
            raise ConfigError(
                f"{at}.values_files[{i}]",
                f"{values_file!r} is not a chart-relative .yaml path",
                "write a path inside the chart such as values/env-prod.yaml",
            )
    for check, reason in env.policy_skips.items():
        if not _POLICY_CHECK.match(check) or not isinstance(reason, str) or len(reason.split()) < 5:
            raise ConfigError(
                f"{at}.policy_skips[{check!r}]",
                "a skip needs a checkov ID and a written reason",
                "key it by the check ID (CKV_AWS_39) and say in a sentence why this environment may fail it",
            )
    for key, value in env.tags.items():
        if not key or not isinstance(value, str) or len(key) > 128 or len(value) > 256:
            raise ConfigError(
                f"{at}.tags[{key!r}]",
                "a tag needs a key of 1-128 characters and a string value of up to 256",
                "write the tag's value as a string, and shorten it if needed",
            )


def _ingress(at: str, env: "Environment") -> None:
    if not _HOSTNAME.match(env.ingress.domain):
        raise ConfigError(
            f"{at}.domain",
            f"{env.ingress.domain!r} is not a DNS name",
            "write a lowercase zone such as eu.voice.example.com",
        )
    if not env.ingress.class_name:
        raise ConfigError(f"{at}.class_name", "empty ingress class", "name the ingress class, e.g. nginx")
    offered = INGRESS_CONTROLLERS[env.cloud]
    if env.ingress.class_name not in offered:
        raise ConfigError(
            f"{at}.class_name",
            f"no controller serves ingress class {env.ingress.class_name!r} on {env.cloud.value}",
            f"use one of {', '.join(offered)} (INGRESS_CONTROLLERS in stacks/environments/clouds.py)",
        )
    if env.ingress.tls_certificate and not _STORE_NAME.match(env.ingress.tls_certificate):
        raise ConfigError(
            f"{at}.tls_certificate",
            f"{env.ingress.tls_certificate!r} is not a certificate name",
            "use lowercase letters, digits and dashes, as named in the secret store (e.g. ingress-tls)",
        )
    # Only Azure offers the Application Gateway class, and an Azure environment's cluster is a managed one.
    if env.ingress.class_name == AGIC_CLASS and not cast("ManagedCluster", env.cluster).network.public_subnets:
        raise ConfigError(
            f"{at}.class_name",
            "the Application Gateway needs a subnet of its own",
            "add one public (ingress) subnet to cluster.network.public_subnets, or use nginx",
        )


_STATE_STORE = {Cloud.LOCAL: "LocalState", Cloud.AWS: "S3State", Cloud.AZURE: "AzureState"}
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")
_STORAGE_ACCOUNT = re.compile(r"^[a-z0-9]{3,24}$")


def _state(at: str, env: "Environment") -> None:
    """A cloud's state in its own store (shared by its CI jobs, locked, encrypted); kind's in a local file."""
    wanted = _STATE_STORE[env.cloud]
    if type(env.state).__name__ != wanted:
        raise ConfigError(
            at,
            f"a {env.cloud.value} environment cannot keep its state in {type(env.state).__name__}",
            f"use {wanted}(...) (stacks/environments/state.py): "
            "a CI runner starts without local files, so a local state would re-create everything",
        )
    state = env.state
    if isinstance(state, (S3State, AzureState)) and state.region != env.region:
        raise ConfigError(
            at,
            f"{env.name} runs in {env.region} and keeps its state in {state.region}: deploying it would need "
            "another region's store, and that region's loss would stop its deploys",
            f"keep its state in its own region's store (catalog.py aws_state({env.region!r}) / "
            f"azure_state({env.region!r}))",
        )
    if isinstance(state, S3State):
        if not _BUCKET.match(state.bucket):
            raise ConfigError(
                f"{at}.bucket",
                f"{state.bucket!r} is not an S3 bucket name",
                "use 3-63 lowercase letters, digits and dashes",
            )
        if state.region not in REGIONS[Cloud.AWS]:
            raise ConfigError(
                f"{at}.region", f"unknown AWS region {state.region!r}", f"use one of {', '.join(REGIONS[Cloud.AWS])}"
            )
        if not state.kms_key_alias.startswith("alias/"):
            raise ConfigError(
                f"{at}.kms_key_alias",
                f"{state.kms_key_alias!r} is not a KMS alias",
                "write alias/<name>, the alias the state bootstrap stack creates",
            )
    if isinstance(state, AzureState) and not _STORAGE_ACCOUNT.match(state.storage_account):
        raise ConfigError(
            f"{at}.storage_account",
            f"{state.storage_account!r} is not a storage account name",
            "use 3-24 lowercase letters and digits, unique across Azure",
        )


def _ci_repository(at: str, env: "Environment") -> None:
    """The repository lands in IAM trust conditions and federated subjects: a typo would lock CI out silently."""
    if env.cloud is Cloud.LOCAL and not env.ci_repository:
        return
    if not env.ci_repository:
        raise ConfigError(
            at,
            f"a {env.cloud.value} environment needs the repository whose workflows deploy it",
            "set ci_repository='owner/name', the repository's path on github.com",
        )
    if not _GITHUB_REPOSITORY.match(env.ci_repository) or env.ci_repository.endswith(("/.", "/..")):
        raise ConfigError(
            at,
            f"{env.ci_repository!r} is not a GitHub owner/name",
            "write the repository as owner/name, e.g. voiceplat/voiceplat-infra (no URL, no .git)",
        )


def _git(at: str, env: "Environment") -> None:
    """ArgoCD clones this URL: a GitOps environment without one would synthesize an ApplicationSet that never syncs."""
    if env.git is None:
        if env.delivery is Delivery.GITOPS:
            raise ConfigError(
                at,
                "a GitOps environment needs the repository and branch ArgoCD syncs",
                "set git=GitSource(repository='https://github.com/<owner>/<name>.git', "
                "revision='deploy/<environment>')",
            )
        return
    if not _GIT_URL.match(env.git.repository):
        raise ConfigError(
            f"{at}.repository",
            f"{env.git.repository!r} is not an http(s) clone URL",
            "write the URL `git clone` takes, e.g. https://github.com/voiceplat/voiceplat-infra.git",
        )
    if not env.git.revision or env.git.revision.startswith(("-", "/")) or " " in env.git.revision:
        raise ConfigError(
            f"{at}.revision",
            f"{env.git.revision!r} is not a branch or tag name",
            "name the branch the environment follows, e.g. deploy/<environment>",
        )


# Severities the charts' and kube-prometheus-stack's alerting rules set; a route on another would match nothing.
_SEVERITIES = ("critical", "warning", "info")
_PAGER = "AlertReceiver(name='oncall', kind='pagerduty', severities=('critical',), secret='alertmanager-pagerduty')"


def _alerting(at: str, alerting: "Alerting", tier: Tier) -> None:
    """Production pages a person: its critical alerts reach a receiver. Elsewhere dropping every alert is allowed,
    but only as a stated decision (null_receiver_reason), never because receivers were forgotten."""
    names: list[str] = []
    for i, receiver in enumerate(alerting.receivers):
        _receiver(f"{at}.receivers[{i}]", receiver, names)
        names.append(receiver.name)
    if tier is Tier.PROD:
        if alerting.null_receiver_reason:
            raise ConfigError(
                f"{at}.null_receiver_reason",
                "a production environment may not drop its alerts",
                f"remove null_receiver_reason and route critical alerts to a receiver, e.g. {_PAGER}",
            )
        if not any("critical" in receiver.severities for receiver in alerting.receivers):
            raise ConfigError(
                f"{at}.receivers",
                "no receiver takes this production environment's critical alerts, "
                "so Alertmanager's null receiver would drop them and nobody would be paged",
                f"add a receiver with 'critical' in its severities, e.g. {_PAGER} (its key goes in "
                "the cloud's secret store: docs/cloud-runbook.md, 'Alert receivers'), or a slack or "
                "webhook receiver",
            )
        return
    if alerting.receivers and alerting.null_receiver_reason:
        raise ConfigError(
            f"{at}.null_receiver_reason",
            "the environment has receivers, so its alerts are not dropped",
            "remove null_receiver_reason",
        )
    if not alerting.receivers and len(alerting.null_receiver_reason.split()) < 5:
        raise ConfigError(
            f"{at}.receivers",
            "no receiver, and no reason why this environment may drop its alerts",
            f"add a receiver (e.g. {_PAGER}), or say in a sentence in "
            "Alerting(null_receiver_reason=...) why nobody needs them",
        )


def _receiver(at: str, receiver: "AlertReceiver", taken: list[str]) -> None:
    if not _STORE_NAME.match(receiver.name) or receiver.name == "null" or receiver.name in taken:
        raise ConfigError(
            f"{at}.name",
            f"{receiver.name!r} is not a new receiver name",
            "use lowercase letters, digits and dashes, unique in the environment and not 'null' "
            "(Alertmanager's drop receiver)",
        )
    kinds = [kind.value for kind in ReceiverKind]
    if receiver.kind not in kinds:
        raise ConfigError(f"{at}.kind", f"unknown receiver kind {receiver.kind!r}", f"use one of {', '.join(kinds)}")
    if not receiver.severities or not set(receiver.severities) <= set(_SEVERITIES):
        raise ConfigError(
            f"{at}.severities",
            f"{receiver.severities!r} are not alert severities",
            f"list one or more of {', '.join(_SEVERITIES)}",
        )
    if ReceiverKind(receiver.kind).secret:
        if not _STORE_NAME.match(receiver.secret):
            raise ConfigError(
                f"{at}.secret",
                f"a {receiver.kind} receiver needs the name of its secret in the "
                f"cloud's secret store, not {receiver.secret!r}",
                "name the entry holding its URL or routing key in lowercase letters, digits and "
                "dashes, e.g. alertmanager-pagerduty (docs/cloud-runbook.md, 'Alert receivers')",
            )
        if receiver.url:
            raise ConfigError(
                f"{at}.url",
                f"a {receiver.kind} receiver's URL is a secret and may not be in git",
                "remove url and put it in the secret store entry named by secret",
            )
    else:
        if not receiver.url.startswith(("http://", "https://")) or receiver.secret:
            raise ConfigError(
                f"{at}.url",
                f"a webhook receiver needs an http(s) URL and no secret, got {receiver.url!r}",
                "write the in-cluster URL Alertmanager posts to",
            )
    if receiver.channel and receiver.kind != ReceiverKind.SLACK.value:
        raise ConfigError(f"{at}.channel", f"a {receiver.kind} receiver has no channel", "remove channel")


def _existing(at: str, cluster: "ExistingCluster") -> None:
    if not cluster.kubeconfig_context:
        raise ConfigError(
            f"{at}.kubeconfig_context",
            "empty kubeconfig context",
            f"name the kind cluster's context, e.g. {contract.kind_context(contract.cluster_name('local'))}",
        )


def _managed(at: str, cluster: "ManagedCluster", cloud: Cloud, region_zones: tuple[str, ...]) -> None:
    match = _K8S_VERSION.match(cluster.kubernetes_version)
    if not match or int(match[1]) < _OLDEST_MINOR:
        raise ConfigError(
            f"{at}.kubernetes_version",
            f"{cluster.kubernetes_version!r} is not a supported version",
            f"write a minor version 1.{_OLDEST_MINOR} or newer as a string, e.g. '{pins.KUBERNETES_MINOR}'",
        )
    skew = int(match[1]) - int(pins.KUBERNETES_MINOR.split(".")[1])
    if skew not in (0, 1):
        raise ConfigError(
            f"{at}.kubernetes_version",
            f"{cluster.kubernetes_version} is not the "
            f"{pins.KUBERNETES_MINOR} the kind cluster runs and the charts are validated against, "
            "nor one minor newer: what the suites prove would not be what runs",
            "declare catalog.KUBERNETES_VERSION, or bump contract/pins.py KUBERNETES so kind and kubeconform follow",
        )
    offered = SUPPORTED_KUBERNETES[cloud]
    if cluster.kubernetes_version not in offered:
        raise ConfigError(
            f"{at}.kubernetes_version",
            f"{cloud.value} does not offer Kubernetes "
            f"{cluster.kubernetes_version} in standard support (offers {', '.join(offered)})",
            "pick an offered minor, or add it to SUPPORTED_KUBERNETES in "
            "stacks/environments/clouds.py once the provider lists it",
        )
    if len(cluster.zones) < 2 or len(set(cluster.zones)) != len(cluster.zones):
        raise ConfigError(
            f"{at}.zones",
            f"{cluster.zones!r} is fewer than two distinct zones",
            f"list two or more of {', '.join(region_zones)}",
        )
    for i, zone in enumerate(cluster.zones):
        if zone not in region_zones:
            raise ConfigError(
                f"{at}.zones[{i}]",
                f"zone {zone!r} is not in the region",
                f"use zones of the region: {', '.join(region_zones)}",
            )
    _network(f"{at}.network", cluster.network, cloud, len(cluster.zones))
    for i, cidr in enumerate(cluster.public_api_cidrs):
        net = _cidr(f"{at}.public_api_cidrs[{i}]", cidr)
        if net.prefixlen == 0:
            raise ConfigError(
                f"{at}.public_api_cidrs[{i}]",
                "0.0.0.0/0 opens the API server to the internet",
                "list the operators' egress ranges, or leave public_api_cidrs empty for a private endpoint",
            )
    _deploy_access(at, cluster)
    if cluster.log_retention_days not in _RETENTION_DAYS:
        raise ConfigError(
            f"{at}.log_retention_days",
            f"{cluster.log_retention_days} is not a retention both clouds offer",
            f"use one of {', '.join(map(str, sorted(_RETENTION_DAYS)))}",
        )
    _node_pools(f"{at}.node_pools", cluster.node_pools, cloud)


def _deploy_access(at: str, cluster: "ManagedCluster") -> None:
    """The stack's Helm provider talks to the API server from wherever `cdktf deploy` runs: there must be a path."""
    if not cluster.public_api_cidrs and not cluster.deploy_runner_cidrs:
        raise ConfigError(
            f"{at}.deploy_runner_cidrs",
            "the API endpoint is private and no deployer can reach it, "
            "so the stack's Helm releases would time out on the first deploy",
            "run cdktf deploy from a runner inside a network connected to the cluster's and list its "
            "CIDRs in deploy_runner_cidrs, or list the deployers' egress CIDRs in public_api_cidrs "
            "(docs/cloud-runbook.md, 'Reaching the cluster')",
        )
    for i, cidr in enumerate(cluster.deploy_runner_cidrs):
        net = _cidr(f"{at}.deploy_runner_cidrs[{i}]", cidr)
        if not net.is_private:
            raise ConfigError(
                f"{at}.deploy_runner_cidrs[{i}]",
                f"{net} is not a private range",
                "list the runner network's private range (RFC 1918); internet ranges belong in public_api_cidrs",
            )
        if net.overlaps(ipaddress.IPv4Network(cluster.network.cidr)):
            raise ConfigError(
                f"{at}.deploy_runner_cidrs[{i}]",
                f"{net} overlaps the cluster's network {cluster.network.cidr}",
                "give the runner network its own range: peered or VPN-connected networks must not overlap",
            )


_RETENTION_DAYS = {30, 60, 90, 120, 180, 365, 730}


def _cidr(at: str, value: str) -> ipaddress.IPv4Network:
    try:
        return ipaddress.IPv4Network(value, strict=True)
    except ValueError as error:
        try:
            fixed = ipaddress.IPv4Network(value, strict=False)
        except ValueError:
            raise ConfigError(
                at, f"{value!r} is not an IPv4 CIDR ({error})", "write an IPv4 range such as 10.0.0.0/16"
            ) from None
        raise ConfigError(at, f"{value!r} has host bits set", f"write the network address: {fixed}") from None


def _network(at: str, network: "Network", cloud: Cloud, zone_count: int) -> None:
    vpc = _cidr(f"{at}.cidr", network.cidr)
    if cloud is Cloud.AWS:
        for name in ("public_subnets", "private_subnets"):
            if len(getattr(network, name)) != zone_count:
                raise ConfigError(
                    f"{at}.{name}",
                    f"{len(getattr(network, name))} subnets for {zone_count} zones",
                    "give one public and one private subnet per zone, in the zones' order",
                )
        if network.pod_cidr is not None:
            raise ConfigError(
                f"{at}.pod_cidr",
                "EKS pods take addresses from the private subnets",
                "remove pod_cidr (it is for the Azure CNI overlay)",
            )
    else:
        if len(network.private_subnets) != 1 or len(network.public_subnets) > 1:
            raise ConfigError(
                f"{at}.private_subnets",
                "AKS takes one nodes subnet and at most one ingress subnet",
                "give exactly one private subnet and zero or one public subnet",
            )
        if network.pod_cidr is None:
            raise ConfigError(
                f"{at}.pod_cidr",
                "Azure CNI overlay needs a pod range",
                "set pod_cidr to a range outside the VNet and the service CIDR, e.g. 10.244.0.0/16",
            )
    subnets = [
        (f"{at}.{name}[{i}]", _cidr(f"{at}.{name}[{i}]", cidr))
        for name in ("public_subnets", "private_subnets")
        for i, cidr in enumerate(getattr(network, name))
    ]
    for path, subnet in subnets:
        if not subnet.subnet_of(vpc):
            raise ConfigError(path, f"{subnet} is outside {at}.cidr ({vpc})", f"pick a range inside {vpc}")
    for i, (path, subnet) in enumerate(subnets):
        for other_path, other in subnets[:i]:
            if subnet.overlaps(other):
                raise ConfigError(
                    path, f"{subnet} overlaps {other_path} ({other})", f"give each subnet its own range inside {vpc}"
                )
    outside = [(f"{at}.cidr", vpc), (f"{at}.service_cidr", _cidr(f"{at}.service_cidr", network.service_cidr))]
    if network.pod_cidr is not None:
        outside.append((f"{at}.pod_cidr", _cidr(f"{at}.pod_cidr", network.pod_cidr)))
    for i, (path, net) in enumerate(outside):
        for other_path, other in outside[:i]:
            if net.overlaps(other):
                raise ConfigError(
                    path, f"{net} overlaps {other_path} ({other})", "keep the VNet/VPC, service and pod ranges disjoint"
                )


def _node_pools(at: str, pools: tuple["NodePool", ...], cloud: Cloud) -> None:
    roles = [pool.role for pool in pools]
    if contract.SYSTEM_POOL.name not in roles:
        raise ConfigError(at, "no system pool", "add NodePool(role='system', ...) for cluster add-ons")
    for i, pool in enumerate(pools):
        path = f"{at}[{i}]"
        if pool.role not in contract.POOL_ROLES:
            raise ConfigError(
                f"{path}.role",
                f"unknown pool role {pool.role!r}",
                f"use one of {', '.join(contract.POOL_ROLES)} (contract/__init__.py)",
            )
        if pool.role in roles[:i]:
            raise ConfigError(f"{path}.role", f"a second {pool.role!r} pool", "declare each role once")
        _sizes(path, pool)
        if not pool.instance_types:
            raise ConfigError(f"{path}.instance_types", "no instance types", "list at least one machine size")
        if cloud is Cloud.AZURE and len(pool.instance_types) != 1:
            raise ConfigError(
                f"{path}.instance_types",
                "an AKS node pool has exactly one VM size",
                "keep one size, or declare another pool",
            )
        for j, machine in enumerate(pool.instance_types):
            _machine(f"{path}.instance_types[{j}]", pool, machine, cloud)


def _sizes(path: str, pool: "NodePool") -> None:
    for name in ("min_size", "max_size", "desired_size", "disk_gib"):
        value = getattr(pool, name)
        if not isinstance(value, int) or isinstance(value, bool):
            raise ConfigError(f"{path}.{name}", f"{value!r} is not a whole number", f"write {name} as an integer")
    if pool.min_size < 0 or pool.max_size < 1:
        raise ConfigError(
            f"{path}.max_size", f"min {pool.min_size}, max {pool.max_size}", "use min_size >= 0 and max_size >= 1"
        )
    if pool.min_size > pool.max_size:
        raise ConfigError(
            f"{path}.min_size",
            f"min_size {pool.min_size} > max_size {pool.max_size}",
            f"lower min_size or raise max_size to at least {pool.min_size}",
        )
    if not pool.min_size <= pool.desired_size <= pool.max_size:
        raise ConfigError(
            f"{path}.desired_size",
            f"desired_size {pool.desired_size} is outside [{pool.min_size}, {pool.max_size}]",
            "pick a desired_size between min_size and max_size",
        )
    if pool.role == contract.SYSTEM_POOL.name and pool.min_size < 1:
        raise ConfigError(
            f"{path}.min_size", "the system pool may not scale to zero", "set min_size to 1 or more (2+ in production)"
        )
    if pool.disk_gib < 20:
        raise ConfigError(
            f"{path}.disk_gib", f"{pool.disk_gib} GiB cannot hold the node image and images", "use 20 GiB or more"
        )


def _machine(path: str, pool: "NodePool", machine: str, cloud: Cloud) -> None:
    try:
        facts = machine_facts(cloud, machine)
    except UnknownMachine as error:
        raise ConfigError(
            path, str(error), "use a vetted size or add its family to stacks/environments/clouds.py"
        ) from None
    if pool.gpu and facts.gpu is None:
        raise ConfigError(
            path,
            f"{machine} has no NVIDIA GPU but the pool is a GPU pool",
            "use a GPU size (AWS g6.* for L4, Azure Standard_NC*as_T4_v3)",
        )
    if not pool.gpu and facts.gpu is not None:
        raise ConfigError(
            path,
            f"{machine} carries a {facts.gpu} GPU in a pool without the GPU taint",
            "move it to the gpu pool, or use a size without a GPU",
        )
    if facts.arch is not pool.arch:
        wanted = "Graviton (m7g, c7g, r7g) or Dpsv5" if pool.arch is Arch.ARM64 else "x86"
        raise ConfigError(
            path,
            f"{machine} is {facts.arch.value} but the pool is {pool.arch.value}",
            f"use a {wanted} size, or change the pool's arch",
        )
