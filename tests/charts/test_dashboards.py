"""Every Grafana dashboard the project ships, validated strictly against Grafana's dashboard schema: the service
charts' (one per service, every chart x scenario) and the infrastructure's (infra-monitoring-chart, as the stack
renders it for every environment). The check is `dashboard-check` (bootstrap/gomod/dashboard-check): the Grafana
Foundation SDK's strict decoder, pinned in contract/pins.py, which refuses an unknown key, a wrong type or a missing
required field, in the dashboard, its panels, their field config and their Prometheus queries. Grafana itself cannot
run here; e2e/test_dashboards.py checks the queries against the live Prometheus."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

import chartkit
from stacks.delivery.helm_addons import INFRA_MONITORING
from stacks.environments import ENVIRONMENTS

pytestmark = [pytest.mark.charts, pytest.mark.slow]


def dashboard_config_maps(objects: list[dict], label: str) -> dict[str, str]:
    """file name -> dashboard JSON of the ConfigMaps the Grafana sidecar picks up."""
    return {
        key: text
        for obj in objects
        if obj["kind"] == "ConfigMap" and label in obj["metadata"].get("labels", {})
        for key, text in obj["data"].items()
    }


@pytest.fixture(scope="module")
def shipped(parsed) -> dict[str, str]:
    """`<source>/<file>` -> JSON of every distinct dashboard the charts render (a JSON in many scenarios once)."""
    found: dict[str, str] = {}
    for scenario, objects in parsed.items():
        for name, text in dashboard_config_maps(objects, "grafana_dashboard").items():
            if text not in found.values():
                found[f"{scenario.id}/{name}"] = text
    for environment in ENVIRONMENTS:
        for name, text in dashboard_config_maps(
            chartkit.render_addon(INFRA_MONITORING, ENVIRONMENTS[environment]), "grafana_dashboard"
        ).items():
            if text not in found.values():
                found[f"infra-monitoring {environment}/{name}"] = text
    return found


def dashboard_check(documents: dict[str, str], folder: Path) -> subprocess.CompletedProcess:
    paths = []
    for index, (source, text) in enumerate(sorted(documents.items())):
        path = folder / f"{index:03d}-{source.replace('/', '__').replace(' ', '_')}"
        path.write_text(text)
        paths.append(path)
    return subprocess.run([chartkit.tool("dashboard-check"), *map(str, paths)], capture_output=True, text=True)


def test_the_project_ships_the_services_and_the_infrastructures_dashboards(shipped):
    titles = {json.loads(text)["title"] for text in shipped.values()}
    infrastructure = {f"voiceplat / {name}" for name in ("Temporal", "PostgreSQL", "RabbitMQ", "LiveKit", "Redis")}
    assert infrastructure | {"voiceplat / ArgoCD", "voiceplat / rest-api"} <= titles, sorted(titles)


def test_every_shipped_dashboard_matches_grafanas_schema_strictly(shipped, tmp_path):
    result = dashboard_check(shipped, tmp_path)
    assert result.returncode == 0, f"dashboard-check (Grafana's dashboard schema):\n{result.stdout}{result.stderr}"


# A dashboard of each kind, broken one way each: what the check must refuse, and the words that name the problem.
PLANTED = {
    "a misspelled dashboard key": (lambda d: d.update(refersh="30s"), "unexpected field 'refersh'"),
    "a misspelled panel key": (lambda d: d["panels"][0].update(gridpos=d["panels"][0]["gridPos"]), "gridpos"),
    "a misspelled field config key": (
        lambda d: d["panels"][0]["fieldConfig"]["defaults"].update(unti="s"),
        "unexpected field 'unti'",
    ),
    "a misspelled query key": (lambda d: d["panels"][0]["targets"][0].update(legendFromat="x"), "legendFromat"),
    "a string where a number belongs": (lambda d: d["panels"][0]["gridPos"].update(w="12"), "gridPos.w"),
    "a required key missing": (lambda d: d["panels"][0].pop("type"), "type"),
}


@pytest.mark.parametrize("flaw", sorted(PLANTED))
@pytest.mark.parametrize("source", ["service", "infrastructure"])
def test_the_check_refuses_a_planted_flaw(flaw, source, shipped, tmp_path):
    name = next(n for n in sorted(shipped) if n.startswith("infra-monitoring") == (source == "infrastructure"))
    dashboard = json.loads(shipped[name])
    plant, named = PLANTED[flaw]
    plant(dashboard)
    result = dashboard_check({name: json.dumps(dashboard)}, tmp_path)
    assert result.returncode == 1 and named in result.stdout, f"{flaw} in {name} not refused:\n{result.stdout}"
