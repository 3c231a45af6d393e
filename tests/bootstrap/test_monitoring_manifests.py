"""What every kind cluster runs for monitoring (bootstrap/monitoring.py): the upstream manifests from their modules,
in the monitoring namespace, naming exactly the images `make tools` builds."""

import pytest

import contract
from bootstrap.monitoring import cluster_manifests, operator_crds
from contract import pins

pytestmark = pytest.mark.toolchain  # the modules `make tools` downloads


@pytest.fixture(scope="module")
def documents():
    if not operator_crds().is_dir():
        pytest.skip("prometheus-operator's module is not downloaded (`make tools`)")
    return cluster_manifests(operator_crds())


def test_the_operators_crds_operator_and_kube_state_metrics_are_installed_in_the_monitoring_namespace(documents):
    kinds = {(d["kind"], d["metadata"]["name"]) for d in documents}
    assert ("CustomResourceDefinition", "prometheuses.monitoring.coreos.com") in kinds
    assert {("Deployment", "prometheus-operator"), ("Deployment", "kube-state-metrics")} <= kinds
    namespaced = [d for d in documents if "namespace" in d["metadata"]]
    assert {d["metadata"]["namespace"] for d in namespaced} == {contract.MONITORING_NAMESPACE}


def test_the_manifests_name_the_images_make_tools_builds(documents):
    text = str(documents)
    for key in ("operator", "configReloader", "kubeStateMetrics"):
        assert pins.MONITORING_IMAGES[key] in text, key


def test_a_bare_equals_sign_in_the_crds_is_read_as_a_string(documents):
    assert "'='" in str(documents)
