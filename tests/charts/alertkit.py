"""`promtool` unit tests for the charts' alerts, generated from the rendered PrometheusRules and the input series
of fixtures/alert-series.yaml: one test file per distinct alert rule, each with a failing and a healthy case."""

from __future__ import annotations

import hashlib
import re
import string
from dataclasses import dataclass
from pathlib import Path

import yaml

from contract import PLATFORM_NAMESPACE

SERIES = Path(__file__).resolve().parent / "fixtures" / "alert-series.yaml"
EVALUATION_INTERVAL = "1m"
DURATION = re.compile(r"(\d+)([smh])")
SECONDS = {"s": 1, "m": 60, "h": 3600}


@dataclass(frozen=True)
class Alert:
    """One alerting rule as a chart renders it, and where it came from."""

    source: str  # chart/scenario of the first render that had it
    rule: dict

    @property
    def name(self) -> str:
        return self.rule["alert"]

    @property
    def key(self) -> str:
        return hashlib.sha256(yaml.safe_dump(self.rule, sort_keys=True).encode()).hexdigest()[:10]


def alerts(objects_by_source: dict[str, list[dict]]) -> list[Alert]:
    """Every distinct alerting rule of the PrometheusRules in the renders (the same rule in many scenarios once)."""
    found: dict[str, Alert] = {}
    for source, objects in objects_by_source.items():
        for obj in objects:
            if obj.get("kind") != "PrometheusRule":
                continue
            for group in obj["spec"]["groups"]:
                for rule in group["rules"]:
                    if "alert" in rule:
                        alert = Alert(source, rule)
                        found.setdefault(alert.key, alert)
    return sorted(found.values(), key=lambda a: (a.name, a.key))


def seconds(duration: str) -> int:
    return sum(int(n) * SECONDS[unit] for n, unit in DURATION.findall(duration))


def fixture(alert: Alert, series: dict) -> dict | None:
    """The failing/healthy series of the alert: by its name, else by the library family its name ends with."""
    if alert.name in series["alerts"]:
        return series["alerts"][alert.name]
    return next((entry for family, entry in series["families"].items() if alert.name.endswith(family)), None)


def test_file(alert: Alert, entry: dict, rules_file: str) -> dict:
    """A promtool test file: silent just before `for:` elapses and on healthy series, firing after it."""
    names = {"service": alert.rule.get("labels", {}).get("service", ""), "namespace": PLATFORM_NAMESPACE}

    def substituted(value):
        if isinstance(value, str):
            return string.Template(value).substitute(names)
        if isinstance(value, dict):
            return {k: substituted(v) for k, v in value.items()}
        return [substituted(v) for v in value]

    hold = seconds(alert.rule.get("for", "0s"))
    expected = {
        "exp_labels": {**alert.rule.get("labels", {}), **substituted(entry.get("output", {})), "alertname": alert.name},
        "exp_annotations": alert.rule.get("annotations", {}),
    }
    fires_at = f"{hold // 60 + 2}m"

    def case(series_key: str, checks: list[dict]) -> dict:
        return {
            "interval": EVALUATION_INTERVAL,
            "input_series": substituted(entry[series_key]),
            "alert_rule_test": checks,
        }

    failing = [{"eval_time": fires_at, "alertname": alert.name, "exp_alerts": [expected]}]
    if hold >= 120:  # pending, not yet firing, a minute before its `for:` has elapsed
        failing.insert(0, {"eval_time": f"{hold // 60 - 1}m", "alertname": alert.name, "exp_alerts": []})
    healthy = [{"eval_time": fires_at, "alertname": alert.name, "exp_alerts": []}]
    return {
        "rule_files": [rules_file],
        "evaluation_interval": EVALUATION_INTERVAL,
        "tests": [case("failing", failing), case("healthy", healthy)],
    }


def write(alert: Alert, entry: dict, folder: Path) -> Path:
    """The alert's rules file (one group, that rule alone) and its test file; returns the test file."""
    stem = f"{alert.name}-{alert.key}"
    (folder / f"{stem}.rules.yaml").write_text(yaml.safe_dump({"groups": [{"name": stem, "rules": [alert.rule]}]}))
    test = folder / f"{stem}.test.yaml"
    test.write_text(yaml.safe_dump(test_file(alert, entry, f"{stem}.rules.yaml"), sort_keys=False))
    return test


def load_series() -> dict:
    return yaml.safe_load(SERIES.read_text())
