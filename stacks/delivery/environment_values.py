"""The `global` values that describe an environment to every project chart, generated from its Environment.

Tier, cloud, region, domain and ingress class are fields of the environment model; what follows from the cloud
(storage classes, secret store) and from the ingress controller (annotations, TLS, the peers a NetworkPolicy
admits) is declared once here, per cloud and per ingress class. The charts keep only what is their own
(values.yaml defaults, per-tier sizing in values/env-<tier>.yaml, a service's own annotations), so no fact of
an environment is copied into each chart. Releases (Helm and ArgoCD alike) and the chart tests
(tests/charts/chartkit.py) take this document; it is plain data, no cdktf.
"""

import functools
from collections.abc import Mapping

import contract

from ..environments import Cloud, ConfigError, Environment
from ..environments.catalog import global_entry_of
from .project_charts import chart_defaults
from .storage import storage_globals

# What each cloud provides to pods: storage classes by role (storage.py), and the secret store behind
# `<service>-secrets`.
CLOUD_GLOBALS: Mapping[Cloud, dict] = {
    Cloud.LOCAL: {},  # kind: emptyDir volumes, Secrets created beforehand (the chart defaults)
    Cloud.AWS: {**storage_globals(Cloud.AWS), "secrets": {"provider": "aws"}},
    Cloud.AZURE: {**storage_globals(Cloud.AZURE), "secrets": {"provider": "azure"}},
}

# Peers each cloud's clusters admit to every service port, beside the ingress controller's (kind: its nodes).
CLOUD_NODE_PEERS: Mapping[Cloud, list] = {
    Cloud.LOCAL: [{"ipBlock": {"cidr": contract.KIND_NODE_RANGE}}],
    Cloud.AWS: [],
    Cloud.AZURE: [],
}

# The Secret nginx and AGIC read the certificate from, in the Ingresses' namespace: the pods behind the Ingresses
# sync it from the environment's secret store (ingress.tls_certificate; the charts' `global.ingress.tls`).
TLS_SECRET = "voiceplat-tls"
# Per ingress class: annotations on every Ingress, where TLS ends, and the NetworkPolicy peers its traffic comes
# from ("vnet": the environment's own address range, for load balancers that connect from inside it).
INGRESS_CLASSES: Mapping[str, dict] = {
    # AWS Load Balancer Controller: the ALB terminates TLS with the ACM certificate it discovers for the host
    # and, with target-type ip, connects to pods from its subnets in the VPC.
    "alb": {
        "annotations": {
            "alb.ingress.kubernetes.io/scheme": "internet-facing",
            "alb.ingress.kubernetes.io/target-type": "ip",
            "alb.ingress.kubernetes.io/listen-ports": '[{"HTTPS":443}]',
            "alb.ingress.kubernetes.io/group.name": "voiceplat",
            "alb.ingress.kubernetes.io/healthcheck-path": "/readyz",
        },
        "tls_secret": "",
        "peers": "vnet",
    },
    # Application Gateway (AGIC): reaches pods from its subnet in the VNet.
    "azure-application-gateway": {
        "annotations": {
            "appgw.ingress.kubernetes.io/ssl-redirect": "true",
            "appgw.ingress.kubernetes.io/health-probe-path": "/readyz",
        },
        "tls_secret": TLS_SECRET,
        "peers": "vnet",
    },
    # F5 NGINX Ingress Controller (helm_addons.py INGRESS), in its own namespace; nginx.org/* annotations.
    "nginx": {
        "annotations": {"nginx.org/client-max-body-size": "16m"},
        "tls_secret": TLS_SECRET,
        "peers": {
            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": contract.NGINX_INGRESS_NAMESPACE}}
        },
    },
}
# kind still runs the community ingress-nginx, since F5's controller cannot be built offline (docs/ingress-on-kind.md
# says why): class nginx there speaks ingress-nginx's annotations, with the same meaning, from its own namespace.
KIND_INGRESS_CLASSES: Mapping[str, dict] = {
    "nginx": {
        "annotations": {"nginx.ingress.kubernetes.io/proxy-body-size": "16m"},
        "tls_secret": TLS_SECRET,
        "peers": {
            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": contract.KIND_INGRESS_NAMESPACE}}
        },
    },
}
CLOUD_INGRESS_CLASSES: Mapping[Cloud, Mapping[str, dict]] = {
    Cloud.LOCAL: KIND_INGRESS_CLASSES,
    Cloud.AWS: INGRESS_CLASSES,
    Cloud.AZURE: INGRESS_CLASSES,
}


@functools.cache
def aws_secret_prefix() -> str:
    values = chart_defaults("platform")
    return values["global"]["secrets"]["aws"]["secretPrefix"]


def aws_secrets_path(environment: Environment) -> str:
    """The Secrets Manager path under which the charts read an environment's secrets (`<secretPrefix>/<environment>/
    <name>`, `environment` being the tier this module generates): what its workloads' IAM role may read."""
    return f"{aws_secret_prefix()}/{environment.tier.value}"


def environment_values(environment: Environment) -> dict:
    """The `global` block every project chart gets for `environment`, before the stack's cluster values."""
    ingress, cloud = environment.ingress, environment.cloud
    classes = CLOUD_INGRESS_CLASSES[cloud]
    if ingress.class_name not in classes:
        raise ConfigError(
            f"{environment.name}.ingress.class_name",
            f"no chart settings for ingress class {ingress.class_name!r} on {cloud.value}",
            f"use one of {', '.join(classes)} or add the class "
            "to CLOUD_INGRESS_CLASSES in stacks/delivery/environment_values.py",
        )
    by_class = classes[ingress.class_name]
    values = {
        "environment": environment.tier.value,
        "cloud": "" if cloud is Cloud.LOCAL else cloud.value,
        "region": "" if cloud is Cloud.LOCAL else environment.region,
        "ingress": {
            "domain": ingress.domain,
            "globalDomain": entry.domain if (entry := global_entry_of(environment)) else "",
            "className": ingress.class_name,
            "annotations": dict(by_class["annotations"]),
            "tls": _tls(environment, by_class["tls_secret"]),
        },
        "networkPolicy": {
            "ingressFrom": [_peer(environment, by_class["peers"])],
            "ingressFromAll": list(CLOUD_NODE_PEERS[cloud]),
        },
        **CLOUD_GLOBALS[cloud],
    }
    if cloud is Cloud.AWS:
        values["secrets"] = {**values["secrets"], "aws": {"region": environment.region}}
    return {"global": values}


def _tls(environment: Environment, secret: str) -> dict:
    """The Ingresses' TLS: the Secret the class reads, and the store's certificate its pods sync into it."""
    ingress, at = environment.ingress, f"{environment.name}.ingress"
    if not (ingress.tls and secret):
        if ingress.tls_certificate:
            raise ConfigError(
                f"{at}.tls_certificate",
                f"ingress class {ingress.class_name} with tls={ingress.tls} reads no certificate from a Secret",
                "remove tls_certificate",
            )
        return {"enabled": ingress.tls, "secretName": "", "certificate": ""}
    if environment.cloud is Cloud.LOCAL:
        raise ConfigError(
            f"{at}.tls",
            "kind has no secret store to sync a certificate from",
            "keep tls=False: the local environment's Ingresses serve plain HTTP",
        )
    if not ingress.tls_certificate:
        raise ConfigError(
            f"{at}.tls_certificate",
            f"ingress class {ingress.class_name} reads its certificate from "
            f"the Secret {secret}, which is synced from the {environment.cloud.value} secret store, "
            "and no certificate is named",
            "set Ingress(tls_certificate=<its name in the store>) in "
            'stacks/environments/catalog.py and put it there (docs/cloud-runbook.md, "Secrets")',
        )
    return {"enabled": True, "secretName": secret, "certificate": ingress.tls_certificate}


def _peer(environment: Environment, peers) -> dict:
    if peers != "vnet":
        return peers
    network = getattr(environment.cluster, "network", None)
    if network is None:
        raise ConfigError(
            f"{environment.name}.ingress.class_name",
            f"{environment.ingress.class_name} reaches pods "
            "from the cluster's network, which an existing cluster does not declare",
            "use nginx",
        )
    return {"ipBlock": {"cidr": network.cidr}}
