"""Unit tests of an alert group with the pinned promtool: the rules parse, and each alert fires on its failing series
after its `for:` (not a minute before) and stays silent on its healthy ones. A case is (failing series, healthy
series, the labels the expression keeps), each series a (selector, promtool values) pair."""

import re
import subprocess
from pathlib import Path

import yaml

from contract.tools import tool

Series = list[tuple[str, str]]
Case = tuple[Series, Series, dict[str, str]]


def minutes(duration: str) -> int:
    assert duration.endswith("m"), f"write `for:` in minutes: {duration}"
    return int(duration[:-1])


def rendered(text: str, labels: dict[str, str]) -> str:
    """An annotation as Alertmanager shows it: `{{ $labels.x }}` replaced by the kept label (empty if not kept)."""
    return re.sub(r"\{\{ \$labels\.(\w+) \}\}", lambda match: labels.get(match.group(1), ""), text)


def _case(series: Series, checks: list[dict]) -> dict:
    return {
        "interval": "1m",
        "input_series": [{"series": s, "values": v} for s, v in series],
        "alert_rule_test": checks,
    }


def assert_alerts_fire_after_their_for(
    folder: Path, group: str, rules: list[dict], cases: dict[str, Case], *, settle_minutes: int
) -> None:
    """`settle_minutes` past `for:` is when each alert must be firing (its expression's own windows included)."""
    rules_file = folder / f"{group}.rules.yaml"
    rules_file.write_text(yaml.safe_dump({"groups": [{"name": group, "rules": rules}]}))
    checked = subprocess.run([tool("promtool"), "check", "rules", rules_file], capture_output=True, text=True)
    assert checked.returncode == 0, f"promtool check rules:\n{checked.stdout}\n{checked.stderr}"
    tests = []
    for rule in rules:
        failing, healthy, kept = cases[rule["alert"]]
        hold = minutes(rule["for"])
        expected = {
            "exp_labels": {**rule["labels"], **kept},
            "exp_annotations": {key: rendered(value, kept) for key, value in rule["annotations"].items()},
        }
        fires_at = f"{hold + settle_minutes}m"
        silent_before = (
            [{"eval_time": f"{hold - 1}m", "alertname": rule["alert"], "exp_alerts": []}] if hold > 1 else []
        )
        firing = {"eval_time": fires_at, "alertname": rule["alert"], "exp_alerts": [expected]}
        tests += [
            _case(failing, [*silent_before, firing]),
            _case(healthy, [{"eval_time": fires_at, "alertname": rule["alert"], "exp_alerts": []}]),
        ]
    test_file = folder / f"{group}.test.yaml"
    test_file.write_text(yaml.safe_dump({"rule_files": [rules_file.name], "evaluation_interval": "1m", "tests": tests}))
    result = subprocess.run([tool("promtool"), "test", "rules", test_file], capture_output=True, text=True)
    assert result.returncode == 0, f"promtool test rules:\n{result.stdout}\n{result.stderr}"
