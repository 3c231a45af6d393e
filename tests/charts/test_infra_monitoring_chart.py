"""The infrastructure's monitoring chart (stacks/delivery/infra-monitoring-chart) as the stack installs it in each
environment: the dashboards of what runs there, labelled for the Grafana sidecar as the service charts' are, and
ArgoCD's alerts (and on kind its ServiceMonitors) with GitOps delivery only."""

import subprocess
from dataclasses import replace

import pytest
import yaml

import chartkit
import kubeschemas
from stacks.delivery.helm_addons import INFRA_MONITORING
from stacks.environments import ENVIRONMENTS, Delivery

pytestmark = [pytest.mark.charts, pytest.mark.slow]


@pytest.mark.parametrize("name", sorted(ENVIRONMENTS))
def test_every_environment_gets_the_dashboards_of_what_it_runs_and_argocds_with_gitops(name):
    environment = ENVIRONMENTS[name]
    objects = chartkit.render_addon(INFRA_MONITORING, environment)
    config_maps = chartkit.by_kind(objects, "ConfigMap")
    expected = {"temporal", "rabbitmq", "livekit"} | ({"argocd"} if environment.delivery is Delivery.GITOPS else set())
    assert expected <= {n.removesuffix("-dashboard") for n in config_maps}
    for config_map in config_maps.values():
        assert config_map["metadata"]["labels"]["grafana_dashboard"] == "1"
        assert config_map["metadata"]["annotations"]["grafana_folder"] == "infrastructure"
    rules = chartkit.by_kind(objects, "PrometheusRule")
    assert set(rules) == ({"argocd-alerts"} if environment.delivery is Delivery.GITOPS else set())


def test_kind_in_gitops_mode_scrapes_argocd_under_the_job_names_its_alerts_watch():
    local = replace(ENVIRONMENTS["local"], delivery=Delivery.GITOPS)
    monitors = chartkit.by_kind(chartkit.render_addon(INFRA_MONITORING, local), "ServiceMonitor")
    jobs = {m["spec"]["endpoints"][0]["relabelings"][0]["replacement"] for m in monitors.values()}
    assert {"argocd-application-controller", "argocd-repo-server"} <= jobs
    assert {m["metadata"]["namespace"] for m in monitors.values()} == {"argocd"}
    assert not chartkit.by_kind(chartkit.render_addon(INFRA_MONITORING, ENVIRONMENTS["local"]), "ServiceMonitor")


def test_every_render_is_valid_against_the_kubernetes_and_operator_schemas(tmp_path):
    local_gitops = replace(ENVIRONMENTS["local"], delivery=Delivery.GITOPS)
    objects = [o for e in [*ENVIRONMENTS.values(), local_gitops] for o in chartkit.render_addon(INFRA_MONITORING, e)]
    manifest = tmp_path / "infra-monitoring.yaml"
    manifest.write_text(yaml.safe_dump_all(objects))
    kubeschemas.ensure_schemas()
    command = [chartkit.tool("kubeconform"), "-strict", "-summary", "-schema-location", kubeschemas.schema_location()]
    result = subprocess.run([*command, str(manifest)], capture_output=True, text=True)
    assert result.returncode == 0 and "Invalid: 0, Errors: 0, Skipped: 0" in result.stdout, (
        result.stdout + result.stderr
    )
