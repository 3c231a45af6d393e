"""The Kubernetes provider manages the cluster objects the stacks own (stacks/delivery/cluster_objects.py): the
namespaces (the platform's with its Pod Security labels), the StorageClasses a cloud lacks and the Secrets of
generated values are kubernetes_* resources in every synthesized stack, kind and clouds alike; no one-object local
chart is left; the provider is pinned, built into the offline mirror, and its bindings load only what is used."""

import re
import tomllib
from pathlib import Path

import pytest

import contract
from bootstrap import terraform
from contract import pins, settings
from stacks.delivery import local_rabbitmq, local_temporal
from stacks.delivery.cluster_objects import BINDINGS, USED
from stacks.delivery.livekit_keys import SECRET_NAME as LIVEKIT_KEYS, voice_secret
from stacks.delivery.livekit_redis import SECRET_NAME as REDIS_PASSWORD
from stacks.delivery.platform_charts import POD_SECURITY_LABELS
from stacks.delivery.temporal_store import TEMPORAL_DB_SECRET
from synthkit import all_stacks, start_app_runs

start_app_runs()
ROOT = Path(__file__).resolve().parents[3]
STACKS = ("local", "prod-eu", "prod-eu-az")  # kind, one AWS and one Azure environment
# Per stack: (resource type, object name) of every object the stack owns on its cluster.
OWNED = {
    "local": {
        ("kubernetes_namespace_v1", contract.PLATFORM_NAMESPACE),
        ("kubernetes_secret_v1", voice_secret()[0]),
        # kind's RabbitMQ (local_rabbitmq.py): its namespace, its user, and the URL of each service that reaches it
        ("kubernetes_namespace_v1", local_rabbitmq.NAMESPACE),
        ("kubernetes_secret_v1", local_rabbitmq.CREDENTIALS_SECRET),
        *(("kubernetes_secret_v1", f"{service}-secrets") for service in ("rest-api", "text", "media")),
        # kind's Temporal (local_temporal.py): its namespace and PostgreSQL's password
        ("kubernetes_namespace_v1", local_temporal.NAMESPACE),
        ("kubernetes_secret_v1", local_temporal.PASSWORD_SECRET),
        # kind's LiveKit (local_livekit.py): its namespace, the server's keys and its Redis's password, as the clouds'
        ("kubernetes_namespace_v1", "livekit"),
        ("kubernetes_secret_v1", LIVEKIT_KEYS),
        ("kubernetes_secret_v1", REDIS_PASSWORD),
    },
    "prod-eu": {
        ("kubernetes_namespace_v1", contract.PLATFORM_NAMESPACE),
        ("kubernetes_namespace_v1", "livekit"),
        ("kubernetes_secret_v1", voice_secret()[0]),
        ("kubernetes_secret_v1", LIVEKIT_KEYS),
        ("kubernetes_secret_v1", REDIS_PASSWORD),
        ("kubernetes_storage_class_v1", "gp3"),
        ("kubernetes_storage_class_v1", "efs-sc"),
    },
    "prod-eu-az": {
        ("kubernetes_namespace_v1", contract.PLATFORM_NAMESPACE),
        ("kubernetes_namespace_v1", "livekit"),
        ("kubernetes_secret_v1", voice_secret()[0]),
        ("kubernetes_secret_v1", LIVEKIT_KEYS),
        ("kubernetes_secret_v1", REDIS_PASSWORD),
        # the Flexible Server's generated password, in Temporal's namespace (temporal_store.py)
        ("kubernetes_namespace_v1", "temporal"),
        ("kubernetes_secret_v1", TEMPORAL_DB_SECRET),
    },
}
# A release's local chart, copied into the stack's assets; the project's charts (charts/) are the platform itself.
LOCAL_CHART = re.compile(r"^assets/(?P<asset>[^/]+)")
PROJECT_CHART_ASSET = "file-charts-"


def document(name: str) -> dict:
    return all_stacks()[name].stack_json(name)


def owned_objects(doc: dict) -> set[tuple[str, str]]:
    return {
        (kind, body["metadata"]["name"])
        for kind, bodies in doc["resource"].items()
        if kind.startswith("kubernetes_")
        for body in bodies.values()
    }


@pytest.mark.parametrize("name", STACKS)
def test_every_object_the_stack_owns_is_a_kubernetes_resource(name):
    assert owned_objects(document(name)) == OWNED[name]


@pytest.mark.parametrize("name", STACKS)
def test_the_stack_asks_for_the_kubernetes_provider_the_project_builds(name):
    doc = document(name)
    assert doc["terraform"]["required_providers"]["kubernetes"]["version"] == pins.TF_PROVIDER_KUBERNETES[0]
    (provider,) = doc["provider"]["kubernetes"]
    (helm,) = doc["provider"]["helm"]
    assert {key: value for key, value in provider.items() if key != "exec"} == {
        key: value for key, value in helm["kubernetes"].items() if key != "exec"
    }, "both reach the same cluster"
    assert provider.get("exec") == ([helm["kubernetes"]["exec"]] if "exec" in helm["kubernetes"] else None)


@pytest.mark.parametrize("name", STACKS)
def test_the_platform_namespace_carries_the_restricted_pod_security_labels(name):
    (namespace,) = [
        body
        for body in document(name)["resource"]["kubernetes_namespace_v1"].values()
        if body["metadata"]["name"] == contract.PLATFORM_NAMESPACE
    ]
    assert POD_SECURITY_LABELS.items() <= namespace["metadata"]["labels"].items()


@pytest.mark.parametrize("name", STACKS)
def test_every_release_in_the_platform_namespace_depends_on_its_namespace_resource(name):
    doc = document(name)
    (logical,) = [
        key
        for key, body in doc["resource"]["kubernetes_namespace_v1"].items()
        if body["metadata"]["name"] == contract.PLATFORM_NAMESPACE
    ]
    users = [
        body
        for body in [*doc["resource"]["helm_release"].values(), *doc["resource"]["kubernetes_secret_v1"].values()]
        if contract.PLATFORM_NAMESPACE in (body.get("namespace"), body.get("metadata", {}).get("namespace"))
    ]
    assert users and all(f"kubernetes_namespace_v1.{logical}" in body["depends_on"] for body in users)


def local_chart_objects(folder: Path) -> int:
    """Objects a local chart's templates declare (their `kind:` lines, a `range` counting as several)."""
    text = "".join(path.read_text() for path in (folder / "templates").glob("*.yaml"))
    return len(re.findall(r"^kind: ", text, re.MULTILINE)) + (2 if "{{- range" in text else 0)


@pytest.mark.parametrize("name", STACKS)
def test_no_release_installs_a_one_object_local_chart(name):
    stack_folder = all_stacks()[name].outdir / "stacks" / name
    for release in document(name)["resource"]["helm_release"].values():
        match = None if "repository" in release else LOCAL_CHART.match(release["chart"])
        if match is None or match["asset"].startswith(PROJECT_CHART_ASSET):
            continue
        assert local_chart_objects(stack_folder / release["chart"]) > 1, release["name"]


def test_no_one_object_chart_is_left_in_the_stacks():
    for folder in (ROOT / "stacks").rglob("Chart.yaml"):
        assert local_chart_objects(folder.parent) > 1, folder.parent.relative_to(ROOT)


@pytest.mark.parametrize("name", STACKS)
def test_synthesis_loads_only_the_kubernetes_binding_modules_it_uses(name):
    loaded = {
        module.removeprefix(f"{BINDINGS}.").split(".")[0]
        for module in all_stacks()[name].loaded_modules
        if module.startswith(f"{BINDINGS}.")
    }
    assert loaded == {"_jsii", *USED}


def test_the_bindings_are_pinned_for_cdktf_and_the_offline_mirror_serves_the_provider(tmp_path, monkeypatch):
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert any(dependency.startswith("cdktf-cdktf-provider-kubernetes==") for dependency in dependencies)
    assert terraform.KUBERNETES in terraform.DEPLOY and terraform.KUBERNETES.version == pins.TF_PROVIDER_KUBERNETES[0]
    monkeypatch.setenv(settings.CACHE.name, str(tmp_path))
    text = terraform.cli_config(tmp_path / "mirror").read_text()
    assert '"registry.opentofu.org/hashicorp/kubernetes"' in text and '"registry.opentofu.org/hashicorp/helm"' in text
