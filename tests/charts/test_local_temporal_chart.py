"""kind's Temporal chart (stacks/delivery/local-temporal-chart) with the values the local stack generates:
PostgreSQL's state on a volume claim, its password only from the stack's Secret (no Secret in the chart, none in the
configuration), the platform's pod security for every pod, policies admitting the declared clients and Prometheus."""

import json
import tempfile

import pytest
import yaml

import chartkit
from stacks.delivery.local_temporal import (
    CHART,
    CLOUD_VALUES,
    NAMESPACE,
    PASSWORD_KEY,
    PASSWORD_SECRET,
    local_temporal_values,
)

pytestmark = [pytest.mark.charts, pytest.mark.slow]


def render(values: dict):
    with tempfile.NamedTemporaryFile("w", suffix=".json") as file:
        json.dump(values, file)
        file.flush()
        return chartkit.helm("template", "temporal", str(CHART), "--namespace", NAMESPACE, "--values", file.name)


@pytest.fixture(scope="module")
def objects() -> list[dict]:
    result = render(local_temporal_values())
    assert result.returncode == 0, result.stderr
    return chartkit.documents(result.stdout)


def pod_specs(objects: list[dict]) -> dict[str, dict]:
    return {
        f"{obj['kind']}/{obj['metadata']['name']}": obj["spec"]["template"]["spec"]
        for obj in objects
        if obj["kind"] in ("Deployment", "StatefulSet", "Job")
    }


def test_postgresql_keeps_its_state_on_a_claim(objects):
    database = chartkit.by_kind(objects, "StatefulSet")["temporal-postgresql"]["spec"]
    (claim,) = database["volumeClaimTemplates"]
    mounts = {m["mountPath"]: m["name"] for m in database["template"]["spec"]["containers"][0]["volumeMounts"]}
    assert mounts["/var/lib/postgresql/data"] == claim["metadata"]["name"]
    assert claim["metadata"]["name"] not in {v["name"] for v in database["template"]["spec"]["volumes"]}


def test_the_server_reads_the_clouds_dynamic_configuration(objects):
    data = chartkit.by_kind(objects, "ConfigMap")["temporal-config"]["data"]
    cloud = yaml.safe_load(CLOUD_VALUES.read_text())["server"]["dynamicConfig"]
    assert cloud and yaml.safe_load(data["dynamic_config.yaml"]) == cloud
    path = yaml.safe_load(data["docker.yaml"].replace("{{", "").replace("}}", ""))["dynamicConfigClient"]["filepath"]
    config_step = next(
        c for c in pod_specs(objects)["Deployment/temporal-server"]["initContainers"] if c["name"] == "config"
    )
    assert f"dynamic_config.yaml {path.rsplit('/', 1)[0]}/" in config_step["command"][-1], config_step["command"]


def test_the_password_comes_from_the_stacks_secret_alone(objects):
    assert not chartkit.by_kind(objects, "Secret")
    assert "__SQL_PASSWORD__" in chartkit.by_kind(objects, "ConfigMap")["temporal-config"]["data"]["docker.yaml"]
    refs = [
        env["valueFrom"]["secretKeyRef"]
        for spec in pod_specs(objects).values()
        for container in spec.get("initContainers", []) + spec["containers"]
        for env in container.get("env") or []
        if "secretKeyRef" in env.get("valueFrom", {})
    ]
    assert refs and all(ref == {"name": PASSWORD_SECRET, "key": PASSWORD_KEY} for ref in refs), refs


@pytest.mark.parametrize(
    "workload", ["StatefulSet/temporal-postgresql", "Deployment/temporal-server", "Job/temporal-namespaces"]
)
def test_every_pod_runs_as_the_platforms_do(objects, workload):
    spec = pod_specs(objects)[workload]
    assert spec["securityContext"]["runAsNonRoot"] and spec["securityContext"]["runAsUser"] != 0
    assert spec["automountServiceAccountToken"] is False
    for container in spec.get("initContainers", []) + spec["containers"]:
        assert container["securityContext"] == {
            "allowPrivilegeEscalation": False,
            "readOnlyRootFilesystem": True,
            "capabilities": {"drop": ["ALL"]},
        }, container["name"]


def test_the_frontend_admits_the_platform_and_postgresql_the_server_alone(objects):
    policies = chartkit.by_kind(objects, "NetworkPolicy")
    client_peers = [
        peer for peer in policies["temporal-server"]["spec"]["ingress"][0]["from"] if "namespaceSelector" in peer
    ]
    assert [p["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"] for p in client_peers] == ["voiceplat"]
    database, metrics = policies["temporal-postgresql"]["spec"]["ingress"]
    assert database["from"] == [
        {
            "podSelector": {
                "matchLabels": {"app.kubernetes.io/name": "temporal", "app.kubernetes.io/component": "server"}
            }
        }
    ]
    assert metrics["from"][0]["namespaceSelector"]["matchLabels"] == {"kubernetes.io/metadata.name": "monitoring"}
