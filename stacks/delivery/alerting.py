"""Alertmanager's routing from the environment model (Environment.alerting): one route per receiver matching its
severities (every matching route notifies: `continue`), and the null receiver for whatever no route takes, so a
fresh environment with no receivers deploys and stays quiet. Plain data, no cdktf."""
from ..environments import Alerting, AlertReceiver, ConfigError

NULL = "null"
# Where each kind of receiver reads its secret: a file mounted from the cloud's secret store, never a value.
SECRET_FILES = {"slack": ("slack_configs", "api_url_file"), "pagerduty": ("pagerduty_configs", "routing_key_file")}
SECRETS_DIR = "/etc/alertmanager/secrets"


def receiver_config(receiver: AlertReceiver) -> dict:
    if receiver.kind == "webhook":
        return {"name": receiver.name, "webhook_configs": [{"url": receiver.url, "send_resolved": True}]}
    if receiver.kind in SECRET_FILES:
        key, file_key = SECRET_FILES[receiver.kind]
        return {"name": receiver.name, key: [{file_key: f"{SECRETS_DIR}/{receiver.secret}", "send_resolved": True}]}
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
