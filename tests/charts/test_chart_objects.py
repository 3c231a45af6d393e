"""The objects of every render hang together: HPAs own their Deployments' replicas and state their behaviour,
PDBs, ServiceMonitors, alerts, NetworkPolicies and dashboards cover every service or none, and every custom
metric an HPA asks for has its prometheus-adapter rule. Which objects the values ask for is claimed per template
by helm-unittest (charts/<chart>/tests)."""

import json

import pytest
import yaml

import chartkit

pytestmark = [pytest.mark.charts, pytest.mark.slow]
SCENARIOS = chartkit.all_scenarios()
ids = lambda s: s.id  # noqa: E731


def selects(selector: dict, labels: dict) -> bool:
    return bool(selector) and all(labels.get(key) == value for key, value in selector.items())


def pod_labels(deployment):
    return deployment["spec"]["template"]["metadata"]["labels"]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=ids)
def test_a_deployment_leaves_its_replicas_to_its_hpa_exactly_when_it_has_one(scenario, parsed):
    docs = parsed[scenario]
    targets = {
        hpa["spec"]["scaleTargetRef"]["name"] for hpa in chartkit.by_kind(docs, "HorizontalPodAutoscaler").values()
    }
    deployments = chartkit.by_kind(docs, "Deployment")
    assert targets <= set(deployments), f"HPAs of missing Deployments: {sorted(targets - set(deployments))}"
    problems = [
        f"{name}: "
        + ("sets replicas although its HPA owns them" if name in targets else "has neither replicas nor an HPA")
        for name, deployment in deployments.items()
        if ("replicas" in deployment["spec"]) == (name in targets)
    ]
    assert not problems, problems


@pytest.mark.parametrize("scenario", SCENARIOS, ids=ids)
def test_every_hpa_states_its_scale_up_and_scale_down_behaviour(scenario, parsed):
    for name, hpa in chartkit.by_kind(parsed[scenario], "HorizontalPodAutoscaler").items():
        behavior = hpa["spec"]["behavior"]
        for direction in ("scaleUp", "scaleDown"):
            rules = behavior[direction]
            assert rules["policies"] and "stabilizationWindowSeconds" in rules and "selectPolicy" in rules, (
                name,
                direction,
            )


@pytest.mark.parametrize("scenario", SCENARIOS, ids=ids)
def test_hpas_scale_only_on_utilization_or_a_custom_metric_the_chart_serves(scenario, parsed):
    docs = parsed[scenario]
    served = {rule["name"]["as"] for kind in ("rules", "externalRules") for rule in adapter_rules(docs).get(kind, [])}
    for name, hpa in chartkit.by_kind(docs, "HorizontalPodAutoscaler").items():
        for metric in hpa["spec"]["metrics"]:
            if metric["type"] == "Resource":
                assert metric["resource"]["name"] in ("cpu", "memory"), name
                assert metric["resource"]["target"]["type"] == "Utilization", name
            else:
                wanted = metric[metric["type"].lower()]["metric"]["name"]
                assert wanted in served, f"{name} scales on {wanted}, which no adapter rule of the chart serves"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=ids)
def test_every_pdb_covers_exactly_one_deployment_and_none_has_two(scenario, parsed):
    docs = parsed[scenario]
    deployments = chartkit.by_kind(docs, "Deployment")
    covered = {}
    for name, pdb in chartkit.by_kind(docs, "PodDisruptionBudget").items():
        matches = [
            d
            for d, deployment in deployments.items()
            if selects(pdb["spec"]["selector"]["matchLabels"], pod_labels(deployment))
        ]
        assert len(matches) == 1, f"PDB {name} covers {matches}"
        covered[matches[0]] = covered.get(matches[0], 0) + 1
    assert all(count == 1 for count in covered.values()), covered


@pytest.mark.parametrize("scenario", SCENARIOS, ids=ids)
def test_every_service_is_scraped_and_alerted_on_or_none_is(scenario, parsed):
    docs = parsed[scenario]
    services = chartkit.by_kind(docs, "Service")
    monitors, rules = chartkit.by_kind(docs, "ServiceMonitor"), chartkit.by_kind(docs, "PrometheusRule")
    assert set(monitors) in (set(), set(services)), f"ServiceMonitors {sorted(monitors)}, Services {sorted(services)}"
    assert set(rules) in (set(), set(services)), f"PrometheusRules {sorted(rules)}, Services {sorted(services)}"
    for name, monitor in monitors.items():
        service = services[name]
        assert selects(monitor["spec"]["selector"]["matchLabels"], service["metadata"]["labels"]), name
        port_names = {port["name"] for port in service["spec"]["ports"]}
        assert {e["port"] for e in monitor["spec"]["endpoints"]} <= port_names, name
    for name, rule in rules.items():
        alerts = {r["alert"] for group in rule["spec"]["groups"] for r in group["rules"]}
        assert any(alert.endswith("Down") for alert in alerts), name


@pytest.mark.parametrize("scenario", SCENARIOS, ids=ids)
def test_every_pod_is_covered_by_one_network_policy_or_none_is(scenario, parsed):
    docs = parsed[scenario]
    policies = chartkit.by_kind(docs, "NetworkPolicy").values()
    for doc in docs:
        if doc["kind"] in ("Deployment", "CronJob", "Job"):
            template = (
                doc["spec"]["jobTemplate"]["spec"]["template"] if doc["kind"] == "CronJob" else doc["spec"]["template"]
            )
            covered = [
                p for p in policies if selects(p["spec"]["podSelector"]["matchLabels"], template["metadata"]["labels"])
            ]
            assert len(covered) == int(bool(policies)), doc["metadata"]["name"]


def adapter_rules(docs) -> dict:
    config = chartkit.by_kind(docs, "ConfigMap")
    found = [
        c for c in config.values() if c["metadata"]["labels"].get("voiceplat.io/prometheus-adapter-rules") == "true"
    ]
    return yaml.safe_load(found[0]["data"]["rules.yaml"]) if found else {}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=ids)
def test_every_custom_metric_an_hpa_asks_for_has_exactly_one_adapter_rule(scenario, parsed):
    docs = parsed[scenario]
    asked = {
        (m["type"], m[m["type"].lower()]["metric"]["name"])
        for hpa in chartkit.by_kind(docs, "HorizontalPodAutoscaler").values()
        for m in hpa["spec"]["metrics"]
        if m["type"] in ("Pods", "External")
    }
    rules = adapter_rules(docs)
    served = [("Pods", r["name"]["as"]) for r in rules.get("rules", [])]
    served += [("External", r["name"]["as"]) for r in rules.get("externalRules", [])]
    assert sorted(served) == sorted(asked), "adapter rules and HPA metrics differ"
    assert len(served) == len(set(served)), "a metric has two rules"


@pytest.mark.parametrize("cell", [s.name for s in chartkit.scenarios("platform") if not s.name.startswith("ci-")])
def test_a_metric_two_charts_define_has_the_same_rule_in_both(cell, parsed):
    """The delivery stack merges every chart's rules into one prometheus-adapter release."""
    by_name = {}
    for scenario in (s for s in parsed if s.name == cell):
        rules = adapter_rules(parsed[scenario])
        for rule in rules.get("rules", []) + rules.get("externalRules", []):
            earlier = by_name.setdefault(rule["name"]["as"], (scenario.chart, rule))
            assert earlier[1] == rule, f"{rule['name']['as']}: {earlier[0]} and {scenario.chart} differ"
    assert by_name, "no adapter rules rendered"


@pytest.mark.parametrize("cell", sorted({s.name for s in SCENARIOS}))
def test_every_declared_dependency_is_a_service_of_the_platform(cell, parsed):
    docs = [doc for scenario in parsed if scenario.name == cell for doc in parsed[scenario]]
    services = set(chartkit.by_kind(docs, "Service"))
    declared = {
        dep
        for doc in chartkit.by_kind(docs, "Deployment").values()
        for dep in doc["metadata"]["annotations"]["voiceplat.io/depends-on"].split(",")
        if dep
    }
    assert declared and declared <= services, f"no chart renders {declared - services}"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=ids)
def test_every_service_has_a_grafana_dashboard_the_sidecar_picks_up_or_none_has(scenario, parsed):
    sidecar = chartkit.chart_values(scenario.chart)["global"]["monitoring"]["dashboards"]  # the documented label
    config = chartkit.by_kind(parsed[scenario], "ConfigMap")
    names = set(chartkit.by_kind(parsed[scenario], "Deployment"))
    dashboards = {name.removesuffix("-dashboard") for name in config if name.endswith("-dashboard")}
    assert dashboards in (set(), names), f"dashboards {sorted(dashboards)}, services {sorted(names)}"
    for name in dashboards:
        dashboard = config[f"{name}-dashboard"]
        assert dashboard["metadata"]["labels"][sidecar["label"]] == sidecar["labelValue"], name
        board = json.loads(dashboard["data"][f"{name}.json"])
        assert board["uid"] and board["panels"] and all(p["targets"][0]["expr"] for p in board["panels"]), name
