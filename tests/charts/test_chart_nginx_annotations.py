"""Every annotation on an Ingress of class nginx is one its environment's controller reads, with the meaning it had:
F5's NGINX Ingress Controller on the clouds (nginx.org/*), the community ingress-nginx that kind still runs
(nginx.ingress.kubernetes.io/*, docs/ingress-on-kind.md). A controller ignores the other's annotations silently, so
a missed translation would only show as an hour-long call cut at 60 s or an upload refused at 1 MiB."""

import pytest

from bootstrap.cluster import INGRESS_RELEASE
from chartkit import CHARTS, Scenario, by_kind, cell, documents, layered, render_many
from stacks.environments import ENVIRONMENTS

pytestmark = [pytest.mark.charts, pytest.mark.slow]

DIALECTS = {"nginx-ingress": "nginx.org/", "ingress-nginx": "nginx.ingress.kubernetes.io/"}
CLOUD_NGINX = cell("preview", "aws", "eu-west-1", "nginx")


@pytest.fixture(scope="module")
def ingresses() -> dict[str, dict[str, dict]]:
    """'cloud' and 'kind' -> the class nginx Ingresses every project chart renders there, by name."""

    def values(chart, env, name):  # kind has no cloud identity fixture
        return tuple(path for path in layered(chart, env, name) if path.exists())

    scenarios = {
        Scenario(chart, f"{where}-nginx-dialect", values(chart, env, f"{where}-nginx-dialect")): where
        for where, env in (("cloud", CLOUD_NGINX), ("kind", ENVIRONMENTS["local"]))
        for chart in CHARTS
    }
    found: dict[str, dict[str, dict]] = {"cloud": {}, "kind": {}}
    for scenario, text in render_many(list(scenarios)).items():
        found[scenarios[scenario]].update(by_kind(documents(text), "Ingress"))
    return found


@pytest.mark.parametrize(("where", "controller"), [("cloud", "nginx-ingress"), ("kind", INGRESS_RELEASE)])
def test_every_annotation_is_in_the_dialect_of_the_controller_there(ingresses, where, controller):
    assert ingresses[where], f"no Ingress rendered on {where}"
    for name, ingress in ingresses[where].items():
        assert ingress["spec"]["ingressClassName"] == "nginx"
        foreign = [key for key in ingress["metadata"]["annotations"] if not key.startswith(DIALECTS[controller])]
        assert not foreign, f"{where} Ingress {name}: {foreign} mean nothing to {controller}"


def test_the_voice_websockets_get_an_hour_and_their_upgrade_headers_from_f5s_controller(ingresses):
    voice = ingresses["cloud"]["voice"]
    annotations = voice["metadata"]["annotations"]
    backends = {path["backend"]["service"]["name"] for rule in voice["spec"]["rules"] for path in rule["http"]["paths"]}
    assert set(annotations["nginx.org/websocket-services"].split(",")) == backends
    assert annotations["nginx.org/proxy-read-timeout"] == annotations["nginx.org/proxy-send-timeout"] == "3600s"


def test_kind_keeps_the_voice_timeouts_and_every_ingress_the_body_limit_of_the_clouds(ingresses):
    kind, cloud = ingresses["kind"], ingresses["cloud"]
    assert kind["voice"]["metadata"]["annotations"]["nginx.ingress.kubernetes.io/proxy-read-timeout"] == "3600"
    for name in cloud.keys() & kind.keys():
        assert (
            cloud[name]["metadata"]["annotations"]["nginx.org/client-max-body-size"]
            == kind[name]["metadata"]["annotations"]["nginx.ingress.kubernetes.io/proxy-body-size"]
        ), name
