"""A global entry's health checks ask `https://<label>.<region domain>/readyz` (stacks/global_entry/): that request
must reach, through whichever ingress controller serves the region (the ALB, Application Gateway or F5's NGINX
Ingress Controller), a pod's own readiness endpoint, so a region whose controller or services cannot take calls
fails its checks. Checked for every ingress class each cloud offers, on the region's and on the global names."""

import pytest

from chartkit import CHARTS, Scenario, by_kind, cell, documents, layered, pod_spec, render_many
from stacks.delivery.environment_values import environment_values
from stacks.delivery.public_hosts import HEALTH_PATH, host_labels
from stacks.environments.clouds import INGRESS_CONTROLLERS
from stacks.environments.kinds import Cloud

pytestmark = [pytest.mark.charts, pytest.mark.slow]

REGIONS = {Cloud.AWS: "eu-west-1", Cloud.AZURE: "westeurope"}
CELLS = {
    f"{cloud.value}-{class_name}": cell("prod", cloud.value, REGIONS[cloud], class_name)
    for cloud in REGIONS
    for class_name in INGRESS_CONTROLLERS[cloud]
}


@pytest.fixture(scope="module")
def rendered() -> dict[str, list[dict]]:
    """cell -> the objects every project chart renders there."""
    scenarios = {
        Scenario(chart, f"global-health-{name}", layered(chart, env, f"global-health-{name}")): name
        for name, env in CELLS.items()
        for chart in CHARTS
    }
    found: dict[str, list[dict]] = {name: [] for name in CELLS}
    for scenario, text in render_many(list(scenarios)).items():
        found[scenarios[scenario]] += documents(text)
    return found


def health_backend(ingresses: dict[str, dict], host: str) -> str | None:
    """The Service a request for HEALTH_PATH on `host` reaches: the longest Prefix path covering it."""
    routes = [
        (path["path"], path["backend"]["service"]["name"])
        for ingress in ingresses.values()
        for rule in ingress["spec"]["rules"]
        if rule["host"] == host
        for path in rule["http"]["paths"]
        if path["pathType"] == "Prefix" and HEALTH_PATH.startswith(path["path"].rstrip("/") + "/")
    ]
    return max(routes, default=(None, None), key=lambda route: len(route[0]))[1]


@pytest.mark.parametrize("name", sorted(CELLS))
def test_each_checked_host_routes_readyz_to_a_pods_readiness_endpoint(rendered, name):
    ingress = environment_values(CELLS[name])["global"]["ingress"]
    assert ingress["globalDomain"], f"{name}: no global entry covers the cell"
    ingresses = by_kind(rendered[name], "Ingress")
    workloads = by_kind(rendered[name], "Deployment")
    for label in host_labels():
        for host in (f"{label}.{ingress['domain']}", f"{label}.{ingress['globalDomain']}"):
            service = health_backend(ingresses, host)
            assert service, f"{name}: no Ingress routes {host}{HEALTH_PATH}"
            assert ingresses[service]["spec"]["ingressClassName"] == CELLS[name].ingress.class_name
            (container,) = pod_spec(workloads[service])["containers"][:1]
            probe = container["readinessProbe"]["httpGet"]
            assert probe["path"] == HEALTH_PATH, f"{name}: {host}{HEALTH_PATH} reaches {service}, ready on {probe}"
