"""Temporal's alerts (stacks/delivery/values/temporal-alerts.yaml: kind's Temporal chart and the clouds'
kube-prometheus-stack both carry them), checked and unit-tested with the pinned promtool as the charts' alerts are:
each parses, fires on failing series after its `for:` and stays silent on healthy ones."""

from __future__ import annotations

import pytest

import alertkit
from stacks.delivery.local_temporal import alert_groups
from test_chart_alerts import promtool

pytestmark = [pytest.mark.charts, pytest.mark.slow]


@pytest.fixture(scope="module")
def alerts() -> list[alertkit.Alert]:
    return alertkit.alerts({"temporal-alerts": [{"kind": "PrometheusRule", "spec": {"groups": alert_groups()}}]})


@pytest.fixture(scope="module")
def written(alerts, tmp_path_factory) -> dict:
    folder, series = tmp_path_factory.mktemp("temporal-alerts"), alertkit.load_series()
    return {alert.name: alertkit.write(alert, series["alerts"][alert.name], folder) for alert in alerts}


def test_temporal_and_postgresql_each_have_their_alerts(alerts):
    names = {alert.name for alert in alerts}
    assert {"TemporalFrontendDown", "TemporalPersistenceErrors", "TemporalPostgreSQLDown"} <= names, names


def test_promtool_checks_and_fires_every_temporal_alert_after_its_for_and_never_on_healthy_series(written):
    rules = sorted({path.with_name(path.name.replace(".test.", ".rules.")) for path in written.values()})
    checked = promtool("check", "rules", *rules)
    assert checked.returncode == 0, f"promtool check rules:\n{checked.stdout}\n{checked.stderr}"
    tested = promtool("test", "rules", *written.values())
    assert tested.returncode == 0, f"promtool test rules:\n{tested.stdout}\n{tested.stderr}"
