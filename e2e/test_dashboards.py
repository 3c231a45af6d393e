"""The dashboards answer from the cluster: every panel's query of every dashboard the project ships (the services'
and the infrastructure's, infra-monitoring-chart) returns at least one series from the kind cluster's Prometheus, and
each dashboard is drawn from Prometheus' query_range into artifacts/e2e/dashboards/<uid>.png. The schema of the
same JSON is checked without a cluster (tests/charts/test_dashboards.py).

Every dashboard's service runs on kind (ArgoCD's with GitOps delivery); a panel whose series nothing on kind exports
is skipped with why (NOT_EXPORTED_ON_KIND)."""

import pytest

from bootstrap.waiting import wait_for
from contract import settings

from .fixtures.dashboards import FOLDER, infrastructure_uids, plot

pytestmark = pytest.mark.monitoring

# Series the services' dashboards plot that nothing on kind exports, each with why.
NOT_EXPORTED_ON_KIND = {
    "DCGM_FI_DEV_GPU_UTIL": "dcgm-exporter needs real GPUs",
}
SERVICES = "the services' dashboards"  # one per service of the charts: known only once the cluster runs them
GITOPS_ONLY = {"voiceplat-argocd": "ArgoCD runs with GitOps delivery only (make e2e-gitops)"}
# A new target's first scrapes and a rate()'s first two samples (5 s scrapes on kind), on two shared cores.
SERIES_WITHIN_S = 90


def boards():
    return [SERVICES] + [
        pytest.param(uid, marks=pytest.mark.gitops) if uid in GITOPS_ONLY else uid for uid in infrastructure_uids()
    ]


@pytest.mark.parametrize("board", boards())
def test_every_panel_of_the_dashboard_returns_series_from_prometheus(board, dashboards, monitoring):
    if board in GITOPS_ONLY and not settings.gitops_delivery():
        pytest.skip(f"{board}: {GITOPS_ONLY[board]}")
    infrastructure = set(infrastructure_uids())
    chosen = [
        d for uid, d in sorted(dashboards.items()) if (uid == board if board != SERVICES else uid not in infrastructure)
    ]
    assert chosen, f"{board}: no such dashboard among the cluster's ConfigMaps ({sorted(dashboards)})"
    panels = [(d, p) for d in chosen for p in d.panels]
    skipped = {p.expr: why for _, p in panels for series, why in NOT_EXPORTED_ON_KIND.items() if series in p.expr}
    checked = [(d, p) for d, p in panels if p.expr not in skipped]

    def every_panel_has_data():
        empty = [f"{d.title} / {p.title}: {p.expr}" for d, p in checked if not monitoring.query(p.expr)]
        return not empty, f"{len(empty)} of {len(checked)} panels without a series: {empty[:8]}"

    try:
        wait_for(
            every_panel_has_data,
            timeout=SERIES_WITHIN_S,
            interval=5,
            expected=f"each of {len(checked)} panels of {len(chosen)} dashboard(s) returning a series from Prometheus "
            f"({len(panels) - len(checked)} skipped: series kind does not export)",
        )
    finally:
        for dashboard in chosen:
            plot(monitoring, dashboard, skipped, FOLDER / f"{dashboard.uid}.png")
