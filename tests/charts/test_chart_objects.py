"""Each service gets the objects its values ask for: HPA with explicit behaviour, PDB, ServiceMonitor,
alerts, NetworkPolicy; and every custom metric an HPA asks for has its prometheus-adapter rule."""
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
def test_every_deployment_has_an_hpa_exactly_where_the_values_say_so(scenario, parsed):
    docs = parsed[scenario]
    hpas = {hpa["spec"]["scaleTargetRef"]["name"]: hpa for hpa in chartkit.by_kind(docs, "HorizontalPodAutoscaler").values()}
    problems = []
    for name, deployment in chartkit.by_kind(docs, "Deployment").items():
        wanted = chartkit.services(scenario)[name]["hpa"]["enabled"]
        if (name in hpas) != wanted:
            problems.append(f"{name}: HPA {'missing' if wanted else 'rendered though disabled'}")
        if wanted and "replicas" in deployment["spec"]:
            problems.append(f"{name}: sets replicas although its HPA owns them")
    assert not problems, problems


@pytest.mark.parametrize("scenario", SCENARIOS, ids=ids)
def test_every_hpa_states_its_scale_up_and_scale_down_behaviour(scenario, parsed):
    for name, hpa in chartkit.by_kind(parsed[scenario], "HorizontalPodAutoscaler").items():
        behavior = hpa["spec"]["behavior"]
        for direction in ("scaleUp", "scaleDown"):
            rules = behavior[direction]
            assert rules["policies"] and "stabilizationWindowSeconds" in rules and "selectPolicy" in rules, (name, direction)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=ids)
def test_hpas_scale_only_on_metrics_the_cluster_serves(scenario, parsed):
    served = chartkit.scenario_values(scenario)["global"]["autoscaling"]["metrics"]
    for name, hpa in chartkit.by_kind(parsed[scenario], "HorizontalPodAutoscaler").items():
        for metric in hpa["spec"]["metrics"]:
            kind = metric["resource"]["name"] if metric["type"] == "Resource" else "custom"
            assert served[kind], f"{name} scales on {kind} metrics, which this scenario says the cluster lacks"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=ids)
def test_every_deployment_has_a_pdb_exactly_where_the_values_say_so(scenario, parsed):
    docs = parsed[scenario]
    pdbs = chartkit.by_kind(docs, "PodDisruptionBudget").values()
    for name, deployment in chartkit.by_kind(docs, "Deployment").items():
        covering = [p for p in pdbs if selects(p["spec"]["selector"]["matchLabels"], pod_labels(deployment))]
        assert len(covering) == int(chartkit.services(scenario)[name]["pdb"]["enabled"]), name


@pytest.mark.parametrize("scenario", SCENARIOS, ids=ids)
def test_every_service_is_scraped_and_alerted_on_when_monitoring_is_on(scenario, parsed):
    docs = parsed[scenario]
    monitoring = chartkit.scenario_values(scenario)["global"]["monitoring"]
    monitors, rules = chartkit.by_kind(docs, "ServiceMonitor"), chartkit.by_kind(docs, "PrometheusRule")
    for name, service in chartkit.by_kind(docs, "Service").items():
        if monitoring["serviceMonitor"]["enabled"]:
            monitor = monitors[name]
            assert selects(monitor["spec"]["selector"]["matchLabels"], service["metadata"]["labels"]), name
            port_names = {port["name"] for port in service["spec"]["ports"]}
            assert {e["port"] for e in monitor["spec"]["endpoints"]} <= port_names, name
        if monitoring["prometheusRule"]["enabled"]:
            alerts = {rule["alert"] for group in rules[name]["spec"]["groups"] for rule in group["rules"]}
            assert any(alert.endswith("Down") for alert in alerts), name
    if not monitoring["serviceMonitor"]["enabled"]:
        assert not monitors
    if not monitoring["prometheusRule"]["enabled"]:
        assert not rules


@pytest.mark.parametrize("scenario", SCENARIOS, ids=ids)
def test_every_pod_is_covered_by_a_network_policy_when_policies_are_on(scenario, parsed):
    docs = parsed[scenario]
    policies = chartkit.by_kind(docs, "NetworkPolicy").values()
    enabled = chartkit.scenario_values(scenario)["global"]["networkPolicy"]["enabled"]
    for doc in docs:
        if doc["kind"] in ("Deployment", "CronJob", "Job"):
            template = doc["spec"]["jobTemplate"]["spec"]["template"] if doc["kind"] == "CronJob" else doc["spec"]["template"]
            covered = [p for p in policies if selects(p["spec"]["podSelector"]["matchLabels"], template["metadata"]["labels"])]
            assert len(covered) == int(enabled), doc["metadata"]["name"]


def adapter_rules(docs) -> dict:
    config = chartkit.by_kind(docs, "ConfigMap")
    found = [c for c in config.values() if c["metadata"]["labels"].get("voiceplat.io/prometheus-adapter-rules") == "true"]
    return yaml.safe_load(found[0]["data"]["rules.yaml"]) if found else {}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=ids)
def test_every_custom_metric_an_hpa_asks_for_has_exactly_one_adapter_rule(scenario, parsed):
    docs = parsed[scenario]
    asked = {(m["type"], m[m["type"].lower()]["metric"]["name"]) for hpa in chartkit.by_kind(docs, "HorizontalPodAutoscaler").values()
             for m in hpa["spec"]["metrics"] if m["type"] in ("Pods", "External")}
    rules = adapter_rules(docs)
    served = [("Pods", r["name"]["as"]) for r in rules.get("rules", [])]
    served += [("External", r["name"]["as"]) for r in rules.get("externalRules", [])]
    values = chartkit.scenario_values(scenario)["global"]
    if values["monitoring"]["adapterRules"]["enabled"] and values["autoscaling"]["metrics"]["custom"]:
        assert sorted(served) == sorted(asked), "adapter rules and HPA metrics differ"
        assert len(served) == len(set(served)), "a metric has two rules"
    else:
        assert not rules


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
    declared = {dep for doc in chartkit.by_kind(docs, "Deployment").values()
                for dep in doc["metadata"]["annotations"]["voiceplat.io/depends-on"].split(",") if dep}
    assert declared and declared <= services, f"no chart renders {declared - services}"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=ids)
def test_every_service_has_a_grafana_dashboard_the_sidecar_picks_up(scenario, parsed):
    dashboards_on = chartkit.scenario_values(scenario)["global"]["monitoring"]["dashboards"]
    config = chartkit.by_kind(parsed[scenario], "ConfigMap")
    for name in chartkit.by_kind(parsed[scenario], "Deployment"):
        dashboard = config.get(f"{name}-dashboard")
        if not dashboards_on["enabled"]:
            assert dashboard is None, name
            continue
        assert dashboard["metadata"]["labels"][dashboards_on["label"]] == dashboards_on["labelValue"], name
        board = json.loads(dashboard["data"][f"{name}.json"])
        assert board["uid"] and board["panels"] and all(p["targets"][0]["expr"] for p in board["panels"]), name
