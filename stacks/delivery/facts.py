"""What a cloud stack tells the platform delivery about its cluster, besides how to reach it."""

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class StoreReader:
    """An identity a cloud stack gives one reader of the secret store (ArgoCD's repo server, Alertmanager), which
    reads only that reader's entries."""

    annotations: Mapping[str, str]  # on its ServiceAccount: the IRSA role, or the workload identity's client id
    parameters: Mapping[str, str] = field(default_factory=dict)  # its SecretProviderClass's (Azure: vault, tenant)


@dataclass(frozen=True, kw_only=True)
class TemporalDatabase:
    """What the cloud stack tells the Temporal release about its database.

    `host`: the server's private DNS name; `verify_host`: TLS verifies the server's name and chain with the image's
    system roots (Azure's DigiCert chain; RDS's own CA is not among them, so on AWS TLS is required and encrypts
    but does not verify); `reader` and `secret_arn`: the IRSA identity and the RDS-managed secret (AWS);
    `password`: the generated sensitive value the stack makes the Secret from (Azure)."""

    host: str
    verify_host: bool
    max_connections: int
    reader: StoreReader | None = None
    secret_arn: str = ""
    password: str = ""


@dataclass(frozen=True, kw_only=True)
class ClusterFacts:
    """What the releases need from the cloud stack besides its connection; values may be tokens.

    `chart_values` go to every project chart after its values files (domain, registry, identity);
    `addon_values` are per add-on (its name in stacks/delivery/upstream_charts.py) values only the stack knows;
    `chart_overrides` are per project chart (its folder name) values given after all others (the local stack's,
    from contract.settings.LOCAL_VALUES: a changed value delivered like any change);
    `storage` the facts the cloud's StorageClasses name (storage.py, e.g. the EFS file system's id);
    `repo_server` the identity ArgoCD's repo server reads the repository credentials with (GitOps clouds only,
    argocd_repository.py); `alertmanager` the one Alertmanager reads its receivers' secrets with (clouds whose
    environment has a Slack or PagerDuty receiver, alerting.py).
    """

    chart_values: Mapping = field(default_factory=dict)
    addon_values: Mapping[str, Mapping] = field(default_factory=dict)
    chart_overrides: Mapping[str, Mapping] = field(default_factory=dict)
    storage: Mapping[str, str] = field(default_factory=dict)
    repo_server: StoreReader | None = None
    alertmanager: StoreReader | None = None
    temporal: TemporalDatabase | None = None  # the database of Temporal's stores (temporal_store.py)
