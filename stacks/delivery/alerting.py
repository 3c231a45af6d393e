"""Alertmanager's routing and its receivers' secrets, from the environment model (Environment.alerting): one route
per receiver matching its severities (every matching route notifies: `continue`), and the null receiver for what no
route takes. Which environments may leave everything to the null receiver is the model's rule (validation.py).

A Slack or PagerDuty receiver reads its URL or routing key from a file of a Secret that Alertmanager mounts
(kube-prometheus-stack's alertmanagerSpec.secrets: /etc/alertmanager/secrets/<secret>/<key>). That Secret is synced
from the cloud's secret store by the Secrets Store CSI driver, through the SecretProviderClass below (an extra
manifest of the release) and a CSI volume on Alertmanager's pods: the driver writes the Secret only while a pod
mounts the volume. Alertmanager reads the store with an identity of its own (`StoreReader` from the cloud stack:
an IRSA role that may read only these entries, or a workload identity on a Key Vault of its own), so no secret is
in git, values or Terraform state. Where each entry goes: docs/cloud-runbook.md, "Alert receivers".

    AWS Secrets Manager  <secretPrefix>/alerting/<environment>/<secret>   plain text: the URL or routing key
    Azure Key Vault      kv-alerts-<environment>: secret <secret>          the same
"""

import yaml

import contract

from ..environments import Alerting, AlertReceiver, Cloud, Environment, ReceiverKind
from .environment_values import aws_secret_prefix
from .facts import StoreReader
from .store_class import secret_provider_class

NULL = "null"
# receiver kind -> (its config list, the setting naming its secret file, the key of the synced Secret)
SECRET_FILES = {
    ReceiverKind.SLACK: ("slack_configs", "api_url_file", "url"),
    ReceiverKind.PAGERDUTY: ("pagerduty_configs", "routing_key_file", "routing-key"),
}
SECRETS_DIR = "/etc/alertmanager/secrets"
PROVIDER_CLASS = "alertmanager-receivers"
VOLUME = "receiver-secrets"
MOUNT = "/mnt/receiver-secrets"  # the driver needs a mount to sync; Alertmanager reads the Secrets, not these files


def receiver_config(receiver: AlertReceiver) -> dict:
    kind = ReceiverKind(receiver.kind)
    if not kind.secret:
        return {"name": receiver.name, "webhook_configs": [{"url": receiver.url, "send_resolved": True}]}
    key, file_key, secret_key = SECRET_FILES[kind]
    config = {file_key: f"{SECRETS_DIR}/{receiver.secret}/{secret_key}", "send_resolved": True}
    if receiver.channel:
        config["channel"] = receiver.channel
    return {"name": receiver.name, key: [config]}


def alertmanager_config(alerting: Alerting) -> dict:
    routes = [
        {"receiver": receiver.name, "matchers": [f'severity=~"{"|".join(receiver.severities)}"'], "continue": True}
        for receiver in alerting.receivers
    ]
    return {
        "route": {
            "receiver": NULL,
            "group_by": ["alertname", "namespace", "service"],
            "group_wait": alerting.group_wait,
            "group_interval": alerting.group_interval,
            "repeat_interval": alerting.repeat_interval,
            "routes": routes,
        },
        "receivers": [{"name": NULL}, *(receiver_config(receiver) for receiver in alerting.receivers)],
    }


def store_receivers(alerting: Alerting) -> tuple[AlertReceiver, ...]:
    """The receivers whose secret comes from the cloud's secret store, one per secret."""
    found = {}
    for receiver in alerting.receivers:
        if ReceiverKind(receiver.kind).secret:
            found.setdefault(receiver.secret, receiver)
    return tuple(found[name] for name in sorted(found))


def aws_alerting_path(environment: Environment) -> str:
    """The Secrets Manager path of an environment's receiver secrets: outside the workloads' path
    (environment_values.aws_secrets_path), so only Alertmanager's role reads them."""
    return f"{aws_secret_prefix()}/alerting/{environment.name}"


def aws_alerting_secrets(environment: Environment) -> tuple[str, ...]:
    """The Secrets Manager names Alertmanager's role may read (none: the stack makes no role)."""
    return tuple(
        f"{aws_alerting_path(environment)}/{receiver.secret}" for receiver in store_receivers(environment.alerting)
    )


def _objects(environment: Environment) -> str:
    receivers = store_receivers(environment.alerting)
    if environment.cloud is Cloud.AWS:
        return yaml.safe_dump(
            [
                {
                    "objectName": f"{aws_alerting_path(environment)}/{receiver.secret}",
                    "objectType": "secretsmanager",
                    "objectAlias": receiver.secret,
                }
                for receiver in receivers
            ]
        )
    return yaml.safe_dump(
        {"array": [yaml.safe_dump({"objectName": receiver.secret, "objectType": "secret"}) for receiver in receivers]}
    )


def provider_class(environment: Environment, reader: StoreReader) -> dict:
    """The SecretProviderClass syncing each receiver's store entry into the Secret of its name that Alertmanager
    mounts, under the key its config reads."""
    return secret_provider_class(
        environment,
        reader,
        name=PROVIDER_CLASS,
        namespace=contract.MONITORING_NAMESPACE,
        objects=_objects(environment),
        secret_objects=[
            {
                "secretName": receiver.secret,
                "type": "Opaque",
                "data": [{"objectName": receiver.secret, "key": SECRET_FILES[ReceiverKind(receiver.kind)][2]}],
            }
            for receiver in store_receivers(environment.alerting)
        ],
    )


def kube_prometheus_stack_alerting(environment: Environment, reader: StoreReader | None) -> dict:
    """kube-prometheus-stack values: Alertmanager's config, and the Secrets its receivers read, synced from the
    store by its own identity (`reader`, which the cloud stack makes when a receiver needs a secret)."""
    receivers = store_receivers(environment.alerting)
    values: dict = {"alertmanager": {"config": alertmanager_config(environment.alerting)}}
    if not receivers:
        return values
    if reader is None:
        raise ValueError(
            f"{environment.name}: receivers {', '.join(r.name for r in receivers)} read the secret "
            "store, but the cloud stack gave Alertmanager no identity to read it "
            "(ClusterFacts.alertmanager)"
        )
    values["alertmanager"] |= {
        "serviceAccount": {
            "create": True,
            "name": contract.ALERTMANAGER_ACCOUNT,
            "annotations": dict(reader.annotations),
        },
        "alertmanagerSpec": {
            "secrets": [receiver.secret for receiver in receivers],
            "volumes": [
                {
                    "name": VOLUME,
                    "csi": {
                        "driver": "secrets-store.csi.k8s.io",
                        "readOnly": True,
                        "volumeAttributes": {"secretProviderClass": PROVIDER_CLASS},
                    },
                }
            ],
            "volumeMounts": [{"name": VOLUME, "mountPath": MOUNT, "readOnly": True}],
        },
    }
    values["extraManifests"] = [provider_class(environment, reader)]
    return values
