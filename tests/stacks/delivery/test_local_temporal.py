"""Temporal on kind through the local stack (stacks/delivery/local_temporal.py): its own chart, configured from the
facts the clouds use; its alerts reach the clouds' monitoring too."""

import yaml

from deliverykit import delivery, documents, file_values, releases, sensitive
from stacks.delivery.local_temporal import ALERTS, CLOUD_VALUES, PASSWORD


def test_kind_registers_the_namespaces_the_cloud_values_register():
    cloud = yaml.safe_load(CLOUD_VALUES.read_text())["server"]["config"]["namespaces"]["namespace"]
    (values,) = documents(releases(delivery("local"))["temporal"])
    assert values["namespaces"] == cloud and any(n["name"] == "default" for n in cloud)


def test_postgresqls_password_is_generated_and_sensitive_never_a_value():
    release = releases(delivery("local"))["temporal"]
    assert "terraform_data" in sensitive(release)[PASSWORD]
    assert not file_values(release) and PASSWORD not in documents(release)[0]


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
