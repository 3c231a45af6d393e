"""Temporal's alerts (stacks/delivery/values/temporal-alerts.yaml: kind's Temporal chart and the clouds'
kube-prometheus-stack both carry them), checked and unit-tested with the pinned promtool: each parses, fires on its
failing series after its `for:` and stays silent on healthy ones. The series carry the names and labels Temporal's
server and PostgreSQL's exporter serve on kind, as Prometheus scrapes them in the namespace `temporal` (checked live
by e2e/test_temporal.py and e2e/test_dashboards.py)."""

import pytest

from promtoolkit import assert_alerts_fire_after_their_for
from stacks.delivery.local_temporal import alert_groups

pytestmark = pytest.mark.toolchain

UP = 'up{namespace="temporal",service="temporal-frontend",job="temporal-frontend",endpoint="metrics"}'
REQUESTS = 'persistence_requests{namespace="temporal",service_name="history",operation="CreateWorkflowExecution"}'
ERRORS = 'persistence_errors{namespace="temporal",service_name="history",operation="CreateWorkflowExecution"}'
PG_UP = 'pg_up{namespace="temporal",service="temporal-postgresql",pod="temporal-postgresql-0"}'

# alert -> (failing series, healthy series, labels the expression keeps)
CASES = {
    "TemporalFrontendDown": ([(UP, "0x40")], [(UP, "1x40")], {}),
    "TemporalPersistenceErrors": (
        [(REQUESTS, "0+600x40"), (ERRORS, "0+600x40")],
        [(REQUESTS, "0+600x40"), (ERRORS, "0x40")],
        {},
    ),
    "TemporalPostgreSQLDown": (
        [(PG_UP, "0x40")],
        [(PG_UP, "1x40")],
        {"namespace": "temporal", "service": "temporal-postgresql", "pod": "temporal-postgresql-0"},
    ),
}


def rules() -> list[dict]:
    (group,) = alert_groups()
    return group["rules"]


def test_every_temporal_alert_has_failing_and_healthy_series():
    assert {rule["alert"] for rule in rules()} == set(CASES)


def test_every_temporal_alert_fires_after_its_for_and_stays_silent_when_healthy(tmp_path):
    assert_alerts_fire_after_their_for(tmp_path, "temporal", rules(), CASES, settle_minutes=5)
