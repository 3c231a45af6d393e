"""The local LiveKit chart (stacks/delivery/local-livekit-chart) as the local stack installs it: it renders with the
values the stack generates into two LiveKit replicas and one Redis on a claimed volume, the Secrets the stack makes
reach both, and every alert it ships passes `promtool check rules` and fires on failing series after its `for:` while
staying silent on healthy ones (the platform's alerts' test, tests/charts/test_chart_alerts.py, on its own series)."""

import json
import subprocess
import tempfile
from pathlib import Path

import pytest
import yaml

import alertkit
import chartkit
from stacks.delivery.infrastructure import LIVEKIT_NAMESPACE
from stacks.delivery.livekit_keys import SECRET_NAME as KEYS_SECRET
from stacks.delivery.livekit_redis import SECRET_NAME as REDIS_SECRET
from stacks.delivery.local_livekit import CHART, RELEASE, local_livekit_values

pytestmark = [pytest.mark.charts, pytest.mark.slow]

SERIES = Path(__file__).resolve().parent / "fixtures" / "livekit-alert-series.yaml"


@pytest.fixture(scope="module")
def objects() -> list[dict]:
    with tempfile.NamedTemporaryFile("w", suffix=".json") as file:
        json.dump(local_livekit_values(redis_service="livekit-redis-master"), file)
        file.flush()
        result = chartkit.helm("template", RELEASE, str(CHART), "--namespace", LIVEKIT_NAMESPACE, "--values", file.name)
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


@pytest.fixture(scope="module")
def written(objects, tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("livekit-alerts")
    alerts = alertkit.alerts({"local-livekit": objects})
    series = yaml.safe_load(SERIES.read_text())
    tests = {
        alert.name: alertkit.write(alert, entry, folder)
        for alert in alerts
        if (entry := series["alerts"].get(alert.name))
    }
    return {"alerts": alerts, "folder": folder, "tests": tests}


def promtool(*args) -> subprocess.CompletedProcess:
    return subprocess.run([chartkit.tool("promtool"), *map(str, args)], capture_output=True, text=True)


def test_every_livekit_alert_has_failing_and_healthy_series(written):
    names = {alert.name for alert in written["alerts"]}
    assert {"LiveKitDown", "LiveKitRedisDown"} <= names
    assert names == set(written["tests"]), f"alerts without series in {SERIES.name}: {names - set(written['tests'])}"


def test_promtool_accepts_every_livekit_alert_and_each_fires_only_on_failing_series(written):
    checked = promtool("check", "rules", *sorted(written["folder"].glob("*.rules.yaml")))
    assert checked.returncode == 0, f"promtool check rules:\n{checked.stdout}\n{checked.stderr}"
    tested = promtool("test", "rules", *written["tests"].values())
    assert tested.returncode == 0, f"promtool test rules:\n{tested.stdout}\n{tested.stderr}"
