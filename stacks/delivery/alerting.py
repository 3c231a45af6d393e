"""Alertmanager's routing from the environment model (Environment.alerting): one route per receiver matching its
severities (every matching route notifies: `continue`), and the null receiver for whatever no route takes, so a
fresh environment with no receivers deploys and stays quiet. Plain data, no cdktf."""
from ..environments import Alerting, AlertReceiver, ConfigError

NULL = "null"
# Where each kind of receiver reads its secret: a file of a Secret that Alertmanager mounts (kube-prometheus-stack's
# alertmanagerSpec.secrets: /etc/alertmanager/secrets/<secret>/<key>), synced from the cloud's secret store; the
# value never appears in values or in git. receiver kind -> (config list, file setting, key in the Secret).
SECRET_FILES = {"slack": ("slack_configs", "api_url_file", "url"),
                "pagerduty": ("pagerduty_configs", "routing_key_file", "routing-key")}
SECRETS_DIR = "/etc/alertmanager/secrets"


def receiver_config(receiver: AlertReceiver) -> dict:
    if receiver.kind == "webhook":
        return {"name": receiver.name, "webhook_configs": [{"url": receiver.url, "send_resolved": True}]}
    if receiver.kind in SECRET_FILES:
        if not receiver.secret:
            raise ConfigError(f"alerting.receivers.{receiver.name}.secret", f"a {receiver.kind} receiver needs the "
                              "name of its secret", "name the secret store entry holding its URL or routing key")
        key, file_key, secret_key = SECRET_FILES[receiver.kind]
        return {"name": receiver.name,
                key: [{file_key: f"{SECRETS_DIR}/{receiver.secret}/{secret_key}", "send_resolved": True}]}
    raise ConfigError(f"alerting.receivers.{receiver.name}.kind", f"unknown receiver kind {receiver.kind!r}",
                      "use webhook, slack or pagerduty")


def alertmanager_config(alerting: Alerting) -> dict:
    routes = [{"receiver": receiver.name, "matchers": [f'severity=~"{"|".join(receiver.severities)}"'],
               "continue": True} for receiver in alerting.receivers]
    return {
        "route": {"receiver": NULL, "group_by": ["alertname", "namespace", "service"],
                  "group_wait": alerting.group_wait, "group_interval": alerting.group_interval,
                  "repeat_interval": alerting.repeat_interval, "routes": routes},
        "receivers": [{"name": NULL}, *(receiver_config(receiver) for receiver in alerting.receivers)],
    }


def kube_prometheus_stack_alerting(alerting: Alerting) -> dict:
    """kube-prometheus-stack values: Alertmanager's config, and the Secrets its receivers read mounted into it."""
    secrets = sorted({receiver.secret for receiver in alerting.receivers if receiver.secret})
    return {"alertmanager": {"config": alertmanager_config(alerting),
                             **({"alertmanagerSpec": {"secrets": secrets}} if secrets else {})}}
