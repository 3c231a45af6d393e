"""ArgoCD watched in GitOps mode (`make e2e-gitops`): kind's Prometheus scrapes ArgoCD's components under the job
names its alert rules select (stacks/delivery/infra-monitoring-chart/rules/argocd.yaml), and loads those rules
without an evaluation error. The rules' firing and silence are promtool-tested without a cluster
(tests/stacks/delivery/test_argocd_alerts.py); the ArgoCD dashboard's panels are claimed by e2e/test_dashboards.py."""

import pytest
import yaml

from bootstrap.waiting import wait_for
from stacks.delivery.infra_monitoring import CHART

pytestmark = pytest.mark.gitops

WATCHED_WITHIN_S = 120  # the ServiceMonitors' discovery, a config reload and a first 30 s scrape


def watched_jobs() -> set[str]:
    """The job names the alert rules select, read from the rules."""
    expressions = " ".join(rule["expr"] for rule in yaml.safe_load((CHART / "rules" / "argocd.yaml").read_text()))
    return {job for job in ("argocd-application-controller", "argocd-repo-server") if f'job="{job}"' in expressions}


def test_argocd_is_scraped_under_the_job_names_its_alerts_watch_and_its_rules_evaluate(gitops, monitoring):
    jobs = watched_jobs()
    assert jobs, "the ArgoCD rules select no component job: did rules/argocd.yaml change its selectors?"

    def watched():
        up = {s["metric"].get("job"): s["value"][1] for s in monitoring.query('up{namespace="argocd"}')}
        groups = [g for g in monitoring.prometheus("rules")["groups"] if g["name"] == "argocd"]
        errors = [f"{r['name']}: {r.get('lastError')}" for g in groups for r in g["rules"] if r.get("health") == "err"]
        evaluated = bool(groups) and not groups[0].get("lastEvaluation", "0001").startswith("0001")
        not_up = sorted(job for job in jobs if up.get(job) != "1")
        return not not_up and evaluated and not errors, (
            f"jobs not up: {not_up} (up: {up}); group argocd loaded and evaluated: {evaluated}; errors: {errors}"
        )

    wait_for(
        watched,
        timeout=WATCHED_WITHIN_S,
        interval=5,
        expected=f"{sorted(jobs)} up in namespace argocd and the argocd rule group evaluated without error",
    )
