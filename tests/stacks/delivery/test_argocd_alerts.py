"""ArgoCD's alerts in GitOps mode (stacks/delivery/infra-monitoring-chart/rules/argocd.yaml, kind's and the clouds'),
checked and unit-tested with the pinned promtool: each parses, fires on its failing series after its `for:` and stays
silent on healthy ones. The series carry the names and labels ArgoCD's components export, as Prometheus scrapes them
in the namespace `argocd` under the job names both installs give them; the chart ships the rules only with GitOps
delivery, and the e2e suite loads them into kind's Prometheus (e2e/test_monitoring.py, `make e2e-gitops`)."""

import pytest
import yaml

from promtoolkit import assert_alerts_fire_after_their_for
from stacks.delivery.infra_monitoring import CHART

pytestmark = pytest.mark.toolchain

RULES = CHART / "rules" / "argocd.yaml"
APP = 'argocd_app_info{namespace="argocd",job="argocd-application-controller",name="platform",project="voiceplat"'
SYNCS = (
    'argocd_app_sync_total{namespace="argocd",job="argocd-application-controller",name="platform",project="voiceplat"'
)
CONTROLLER = 'up{namespace="argocd",job="argocd-application-controller",pod="argocd-application-controller-0"}'
REPO_SERVER = 'up{namespace="argocd",job="argocd-repo-server",pod="argocd-repo-server-1"}'
APPLICATION = {"name": "platform", "project": "voiceplat"}


def app(sync: str, health: str) -> str:
    return f'{APP},sync_status="{sync}",health_status="{health}"}}'


# alert -> (failing series, healthy series, labels the expression keeps)
CASES = {
    "ArgoCDApplicationOutOfSync": (
        [(app("OutOfSync", "Healthy"), "1x40")],
        # a sync that takes a few minutes, then Synced: no alert
        [(app("OutOfSync", "Healthy"), "1x5 _x35"), (app("Synced", "Healthy"), "_x5 1x35")],
        APPLICATION,
    ),
    "ArgoCDApplicationDegraded": (
        [(app("Synced", "Degraded"), "1x40")],
        [(app("Synced", "Progressing"), "1x3 _x37"), (app("Synced", "Healthy"), "_x3 1x37")],
        APPLICATION,
    ),
    "ArgoCDSyncFailed": (
        [(f'{SYNCS},phase="Succeeded"}}', "3x40"), (f'{SYNCS},phase="Failed"}}', "0 0 1 1x37")],
        [(f'{SYNCS},phase="Succeeded"}}', "3+1x40"), (f'{SYNCS},phase="Failed"}}', "0x40")],
        APPLICATION,
    ),
    "ArgoCDApplicationControllerDown": ([(CONTROLLER, "0x40")], [(CONTROLLER, "1x40")], {}),
    "ArgoCDRepoServerDown": ([(REPO_SERVER, "0x40")], [(REPO_SERVER, "1x40")], {}),
}


def argocd_alerts() -> list[dict]:
    return yaml.safe_load(RULES.read_text())


def test_every_argocd_alert_has_failing_and_healthy_series():
    assert {rule["alert"] for rule in argocd_alerts()} == set(CASES)


def test_the_alerts_cover_out_of_sync_degraded_and_the_components_down():
    expressions = " ".join(rule["expr"] for rule in argocd_alerts())
    for watched in ('sync_status!="Synced"', "Degraded", "argocd-application-controller", "argocd-repo-server"):
        assert watched in expressions, f"no ArgoCD alert watches {watched}"


def test_every_argocd_alert_fires_after_its_for_and_stays_silent_when_healthy(tmp_path):
    assert_alerts_fire_after_their_for(tmp_path, "argocd", argocd_alerts(), CASES, settle_minutes=3)
