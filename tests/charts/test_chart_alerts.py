"""The charts' alerts, checked and unit-tested with the pinned promtool (Prometheus' own rule checker), no cluster:
every alert parses, and fires on failing series after its `for:` and stays silent on healthy ones."""

from __future__ import annotations

import subprocess

import pytest

import alertkit
import chartkit

pytestmark = [pytest.mark.charts, pytest.mark.slow]


@pytest.fixture(scope="module")
def alerts(parsed) -> list[alertkit.Alert]:
    return alertkit.alerts({scenario.id: objects for scenario, objects in parsed.items()})


@pytest.fixture(scope="module")
def written(alerts, tmp_path_factory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("alerts")
    series = alertkit.load_series()
    tests = {
        alert.key: alertkit.write(alert, entry, folder)
        for alert in alerts
        if (entry := alertkit.fixture(alert, series))
    }
    return {"folder": folder, "tests": tests}


def promtool(*args) -> subprocess.CompletedProcess:
    return subprocess.run([chartkit.tool("promtool"), *map(str, args)], capture_output=True, text=True)


def test_the_charts_ship_alerts(alerts):
    assert len(alerts) >= 10, f"only {len(alerts)} alerting rules rendered: are PrometheusRules switched off?"


def test_every_alert_has_failing_and_healthy_series(alerts, written):
    missing = sorted({f"{alert.name} (from {alert.source})" for alert in alerts if alert.key not in written["tests"]})
    assert not missing, (
        f"alerts without input series: {missing}; add them to {alertkit.SERIES.name} "
        "(`alerts` by name, or a library family)"
    )


def test_promtool_check_rules_accepts_every_alert(written):
    rules = sorted(written["folder"].glob("*.rules.yaml"))
    result = promtool("check", "rules", *rules)
    assert result.returncode == 0, f"promtool check rules:\n{result.stdout}\n{result.stderr}"


def test_every_alert_fires_after_its_for_and_stays_silent_when_healthy(written):
    result = promtool("test", "rules", *written["tests"].values())
    failed = [line for line in (result.stdout + result.stderr).splitlines() if "FAILED" in line or "  " in line]
    assert result.returncode == 0, "promtool test rules failed:\n" + "\n".join(failed[:200])
