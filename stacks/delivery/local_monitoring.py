"""Monitoring on the local kind cluster, configured as the clouds' is: the values of the local monitoring chart
(local-monitoring-chart/), all generated from the facts the cloud stacks use.

- Prometheus selects what the clouds' kube-prometheus-stack selects (its values file's *SelectorNilUsesHelmValues
  settings, read here, not restated);
- prometheus-adapter gets the very rules the charts render (rendered.adapter_rules), the same the clouds' get;
- Alertmanager's routes and receivers come from the environment model (alerting.alertmanager_config);
- images are the pinned tags `make tools` builds (contract.pins.MONITORING_IMAGES).
"""

from collections.abc import Mapping
from pathlib import Path

import yaml

from contract import pins

from ..environments import Environment
from .alerting import alertmanager_config
from .rendered import adapter_rules, stand_ins

CHART = Path(__file__).resolve().parent / "local-monitoring-chart"
STACK_VALUES = Path(__file__).resolve().parent / "values" / "kube-prometheus-stack.yaml"
# What kube-prometheus-stack selects when its *SelectorNilUsesHelmValues setting is true: its own release's objects.
HELM_VALUES_SELECTOR = {"matchLabels": {"release": "kube-prometheus-stack"}}
SELECTED = ("serviceMonitor", "podMonitor", "rule")
# Short loops on kind, so the e2e claims that wait on them stay short (their bounds read these values back).
SCRAPE_INTERVAL = "5s"
EVALUATION_INTERVAL = "5s"
ADAPTER_RELIST_INTERVAL = "15s"


def prometheus_selectors(stack_values: Mapping) -> dict:
    """The Prometheus resource's selectors as kube-prometheus-stack derives them from its values (all namespaces)."""
    spec = stack_values.get("prometheus", {}).get("prometheusSpec", {})
    selectors = {}
    for kind in SELECTED:
        uses_helm_values = spec.get(f"{kind}SelectorNilUsesHelmValues", True)
        selectors[f"{kind}Selector"] = dict(HELM_VALUES_SELECTOR) if uses_helm_values else {}
        selectors[f"{kind}NamespaceSelector"] = {}
    return selectors


def local_monitoring_values(environment: Environment, chart_values: Mapping, prometheus_url: str) -> dict:
    images = pins.MONITORING_IMAGES
    rules = adapter_rules(environment, stand_ins(chart_values))
    return {
        "images": {key: images[key] for key in ("prometheus", "alertmanager", "adapter", "alertReceiver")},
        "prometheus": {
            "version": pins.prometheus_release(pins.PROMETHEUS),
            "selectors": prometheus_selectors(yaml.safe_load(STACK_VALUES.read_text())),
            "scrapeInterval": SCRAPE_INTERVAL,
            "evaluationInterval": EVALUATION_INTERVAL,
            "retention": "1d",
        },
        "alertmanager": {
            "version": pins.upstream_version(pins.ALERTMANAGER_DEB),
            "config": alertmanager_config(environment.alerting),
        },
        "adapter": {
            "prometheusUrl": prometheus_url,
            "relistInterval": ADAPTER_RELIST_INTERVAL,
            "rules": {"rules": rules["rules"], "externalRules": rules["externalRules"]},
        },
    }
