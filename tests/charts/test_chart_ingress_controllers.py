"""Every Ingress the charts publish in an environment has a controller in that environment's stack: the class's
controller (stacks/environments/clouds.py INGRESS_CONTROLLERS) is installed by the synthesized stack."""

import sys
from pathlib import Path

import pytest

from bootstrap.cluster import INGRESS_RELEASE
from chartkit import CHARTS, Scenario, documents, layered, render_many
from stacks.environments import ENVIRONMENTS
from stacks.environments.clouds import AGIC_CLASS

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the synthesized stacks
from synthkit import all_stacks, start_app_runs

pytestmark = [pytest.mark.charts, pytest.mark.slow]
start_app_runs()


def installed_controllers(stack: dict) -> set[str]:
    """The ingress classes the synthesized stack installs a controller for."""
    resources = stack.get("resource", {})
    releases = {release["name"] for release in resources.get("helm_release", {}).values()}
    classes = {
        cls
        for cls, release in (("nginx", "nginx-ingress"), ("alb", "aws-load-balancer-controller"))
        if release in releases
    }
    if any(
        cluster.get("ingress_application_gateway")
        for cluster in resources.get("azurerm_kubernetes_cluster", {}).values()
    ):
        classes.add(AGIC_CLASS)
    return classes


@pytest.fixture(scope="module")
def ingress_classes() -> dict[str, set[str]]:
    """environment -> the classes of the Ingresses its project charts render."""

    def values(chart, name, env):  # kind has no cloud identity fixture
        return tuple(path for path in layered(chart, env, f"env-{name}") if path.exists())

    scenarios = {
        Scenario(chart, name, values(chart, name, env)): name for name, env in ENVIRONMENTS.items() for chart in CHARTS
    }
    found = {name: set() for name in ENVIRONMENTS}
    for scenario, text in render_many(list(scenarios)).items():
        for doc in documents(text):
            if doc["kind"] == "Ingress":
                found[scenarios[scenario]].add(doc["spec"].get("ingressClassName", "<none>"))
    return found


def cluster_controllers(name: str) -> set[str]:
    """On kind the cluster bootstrap installs ingress-nginx with the cluster (bootstrap/cluster.py; the e2e
    `ingress` claims route through it), so the local stack does not."""
    return {"nginx"} if ENVIRONMENTS[name].cloud.value == "local" and INGRESS_RELEASE == "ingress-nginx" else set()


@pytest.mark.parametrize("name", list(ENVIRONMENTS))
def test_every_ingress_class_has_a_controller_in_the_environment(ingress_classes, name):
    stack = all_stacks()[name].stack_json(name)
    assert ingress_classes[name] <= installed_controllers(stack) | cluster_controllers(name)


def test_the_cloud_environments_publish_ingresses(ingress_classes):
    assert all(ingress_classes[name] for name, env in ENVIRONMENTS.items() if env.cloud.value != "local")
