"""Temporal on kind through the local stack (stacks/delivery/local_temporal.py): its own chart, configured from the
facts the clouds use; its alerts reach the clouds' monitoring too."""

import yaml

from deliverykit import address, delivery, documents, file_values, namespaces, releases, secrets, sensitive
from stacks.delivery.local_temporal import ALERTS, CLOUD_VALUES, NAMESPACE, PASSWORD_KEY, PASSWORD_SECRET


def test_kind_registers_the_namespaces_the_cloud_values_register():
    cloud = yaml.safe_load(CLOUD_VALUES.read_text())["server"]["config"]["namespaces"]["namespace"]
    (values,) = documents(releases(delivery("local"))["temporal"])
    assert values["namespaces"] == cloud and any(n["name"] == "default" for n in cloud)


def test_postgresqls_password_is_a_generated_secret_of_the_stack_never_a_value_of_the_release():
    synth = delivery("local")
    release = releases(synth)["temporal"]
    secret = secrets(synth)[PASSWORD_SECRET]
    assert secret["metadata"]["namespace"] == NAMESPACE and "terraform_data" in secret["data"][PASSWORD_KEY]
    assert not sensitive(release) and not file_values(release)
    assert documents(release)[0]["passwordSecret"] == PASSWORD_SECRET


def test_temporal_waits_for_its_namespace_and_password_and_the_platform_for_temporal():
    synth = delivery("local")
    assert NAMESPACE in namespaces(synth)
    release = releases(synth)["temporal"]
    assert address(synth, "kubernetes_secret_v1", PASSWORD_SECRET) in release["depends_on"]
    assert address(synth, "kubernetes_namespace_v1", NAMESPACE) in release["depends_on"]
    assert address(synth, "helm_release", "temporal") in releases(synth)["platform"]["depends_on"]


def test_the_platform_namespace_is_the_frontends_client_and_prometheus_scrapes_from_monitoring():
    (values,) = documents(releases(delivery("local"))["temporal"])
    assert values["clients"] == ["voiceplat"] and values["monitoringNamespace"] == "monitoring"


def test_kind_and_the_clouds_monitoring_carry_the_same_temporal_alerts():
    groups = yaml.safe_load(ALERTS.read_text())["groups"]
    (local,) = documents(releases(delivery("local"))["temporal"])
    cloud = [
        d
        for d in documents(releases(delivery("prod-eu"))["kube-prometheus-stack"])
        if "additionalPrometheusRulesMap" in d
    ]
    assert local["alertGroups"] == groups
    assert cloud and cloud[0]["additionalPrometheusRulesMap"]["temporal"]["groups"] == groups
