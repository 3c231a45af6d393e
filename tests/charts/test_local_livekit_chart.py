"""The local LiveKit chart (stacks/delivery/local-livekit-chart) as the local stack installs it: it renders with the
values the stack generates into two LiveKit replicas and one Redis on a claimed volume, the Secrets the stack makes
reach both, and its PrometheusRule carries the alerts the stack gives it (promtool-tested by
tests/stacks/delivery/test_livekit_alerts.py)."""

import json
import tempfile

import pytest
import yaml

import chartkit
from stacks.delivery.infrastructure import LIVEKIT_NAMESPACE
from stacks.delivery.livekit_keys import SECRET_NAME as KEYS_SECRET
from stacks.delivery.livekit_redis import SECRET_NAME as REDIS_SECRET
from stacks.delivery.local_livekit import CHART, RELEASE, livekit_alerts, local_livekit_values

pytestmark = [pytest.mark.charts, pytest.mark.slow]


def render(values: dict):
    with tempfile.NamedTemporaryFile("w", suffix=".json") as file:
        json.dump(values, file)
        file.flush()
        return chartkit.helm("template", RELEASE, str(CHART), "--namespace", LIVEKIT_NAMESPACE, "--values", file.name)


@pytest.fixture(scope="module")
def objects() -> list[dict]:
    result = render(local_livekit_values(redis_service="livekit-redis-master"))
    assert result.returncode == 0, result.stderr
    return chartkit.documents(result.stdout)


def test_two_livekit_replicas_share_one_redis_whose_data_is_on_a_claimed_volume(objects):
    livekit = chartkit.by_kind(objects, "Deployment")["livekit"]
    redis = chartkit.by_kind(objects, "StatefulSet")["livekit-redis"]
    assert livekit["spec"]["replicas"] == 2 and redis["spec"]["replicas"] == 1
    (claim,) = redis["spec"]["volumeClaimTemplates"]
    volumes = redis["spec"]["template"]["spec"].get("volumes", [])
    assert claim["metadata"]["name"] == "data" and not any("emptyDir" in volume for volume in volumes)
    config = yaml.safe_load(chartkit.by_kind(objects, "ConfigMap")["livekit"]["data"]["config.yaml"])
    assert config["redis"]["address"] == f"livekit-redis-master.{LIVEKIT_NAMESPACE}.svc:6379"


def test_the_stacks_generated_secrets_reach_livekit_and_redis(objects):
    livekit = chartkit.by_kind(objects, "Deployment")["livekit"]["spec"]["template"]["spec"]
    redis = chartkit.by_kind(objects, "StatefulSet")["livekit-redis"]["spec"]["template"]["spec"]
    assert {"name": "keys", "secret": {"secretName": KEYS_SECRET, "defaultMode": 0o440}} in livekit["volumes"]
    refs = [
        env["valueFrom"]["secretKeyRef"]["name"]
        for container in livekit["containers"] + redis["containers"]
        for env in container.get("env", [])
        if "secretKeyRef" in env.get("valueFrom", {})
    ]
    assert refs and set(refs) == {REDIS_SECRET}


def test_the_chart_ships_the_stacks_alerts_as_one_prometheus_rule(objects):
    (rule,) = [o for o in objects if o["kind"] == "PrometheusRule"]
    assert rule["spec"]["groups"][0]["rules"] == livekit_alerts()


def test_a_misspelt_value_is_refused_at_render_time_by_its_name():
    values = local_livekit_values(redis_service="livekit-redis-master")
    values["livekit"]["replica"] = 3  # for `replicas`
    result = render(values)
    assert result.returncode != 0 and "replica" in result.stderr, result.stderr
