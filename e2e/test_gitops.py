"""GitOps delivery on kind, the production path (stacks/delivery/gitops.py): ArgoCD built here syncs the charts from
the in-cluster Git server. Run with VOICEPLAT_DELIVERY=gitops (`make e2e-gitops`); otherwise these claims skip."""

import secrets
import time

import pytest
from kubernetes.dynamic import DynamicClient

import contract
from bootstrap.kubeapi import rolled_out
from bootstrap.waiting import wait_for
from localenv.gitops import application_state, applications, synced_to, wait_synced
from stacks.delivery.platform_charts import PROJECT_CHARTS

from .fixtures.gitops import ERROR_SHOWN_WITHIN_S, RECONCILIATION_S, SYNCED_WITHIN_S, helm_delivery_manifests

pytestmark = pytest.mark.gitops
E2E_VALUES = "charts/platform/values/env-local.yaml"  # the local environment's last values file of the platform chart
CHANGED_SERVICE = "rest-api"
PRUNED_SERVICE = "integrations"


def deployments(apps) -> dict:
    return {d.metadata.name: d for d in apps.list_namespaced_deployment(contract.PLATFORM_NAMESPACE).items}


def service_values(document: dict, service: str) -> dict:
    return document.setdefault("services", {}).setdefault(service, {})


def test_argocd_generates_one_application_per_project_chart(gitops):
    assert sorted(a["metadata"]["name"] for a in applications(gitops.api)) == sorted(PROJECT_CHARTS)


def test_every_application_runs_the_pushed_charts_synced_and_healthy(gitops):
    states = [application_state(a) for a in applications(gitops.api) if not synced_to(a, gitops.delivered)]
    assert not states, f"not Synced to {gitops.delivered[:12]} and Healthy: {states}"


def as_created(api_client, deployment: dict) -> dict:
    """The Deployment as the API server would store it (defaults filled in): a dry-run create under another name."""
    body = {**deployment, "metadata": {**deployment["metadata"], "name": f"{deployment['metadata']['name']}-helm"}}
    resource = DynamicClient(api_client).resources.get(api_version="apps/v1", kind="Deployment")
    return resource.create(body=body, namespace=contract.PLATFORM_NAMESPACE, dry_run="All").to_dict()


def test_the_deployments_are_those_the_helm_delivery_would_create(gitops, platform, apps):
    live = deployments(apps)
    for chart in PROJECT_CHARTS:
        for rendered in (d for d in helm_delivery_manifests(platform.helm[0], chart) if d["kind"] == "Deployment"):
            name = rendered["metadata"]["name"]
            assert name in live, f"{chart}: the Helm delivery would create Deployment {name}; ArgoCD did not"
            if "replicas" in rendered["spec"]:
                assert live[name].spec.replicas == rendered["spec"]["replicas"], f"{name}: replicas"
            created = as_created(apps.api_client, rendered)["spec"]["template"]["spec"]["containers"]
            running = apps.api_client.sanitize_for_serialization(live[name])["spec"]["template"]["spec"]["containers"]
            want, have = ({c["name"]: c for c in containers} for containers in (created, running))
            assert set(have) == set(want), f"{name}: containers"
            for container, spec in want.items():
                for field in ("image", "livenessProbe", "readinessProbe", "startupProbe", "resources"):
                    assert have[container].get(field) == spec.get(field), f"{name}/{container}: {field}"


def test_a_pushed_values_change_rolls_out_within_the_refresh_bound(gitops, repository, apps, core, phase_timings):
    # A service's env is its ConfigMap, whose checksum annotation rolls the pods (voiceplat-lib).
    token = f"gitops-{secrets.token_hex(4)}"
    generation = apps.read_namespaced_deployment(CHANGED_SERVICE, contract.PLATFORM_NAMESPACE).metadata.generation
    started = time.monotonic()
    pushed = repository.commit(
        E2E_VALUES,
        lambda values: service_values(values, CHANGED_SERVICE).setdefault("env", {}).update(DELIVERED_BY=token),
        f"{CHANGED_SERVICE}: DELIVERED_BY={token}",
    )
    applied = []  # when ArgoCD's sync reached the Deployment: from there on it is Kubernetes' rollout

    def rolled_out_with_token():
        config = core.read_namespaced_config_map(f"{CHANGED_SERVICE}-config", contract.PLATFORM_NAMESPACE).data or {}
        if config.get("DELIVERED_BY") != token:
            return False, f"{CHANGED_SERVICE}-config has DELIVERED_BY={config.get('DELIVERED_BY')!r}"
        deployment = apps.read_namespaced_deployment(CHANGED_SERVICE, contract.PLATFORM_NAMESPACE)
        if deployment.metadata.generation <= generation:
            return False, f"pod template unchanged (generation {deployment.metadata.generation})"
        if not applied:
            applied.append(time.monotonic())
        return rolled_out(deployment)

    wait_for(
        rolled_out_with_token,
        timeout=SYNCED_WITHIN_S,
        interval=0.5,
        expected=f"{CHANGED_SERVICE}'s new pods Ready with the pushed DELIVERED_BY={token}",
    )
    seconds, rollout = time.monotonic() - started, time.monotonic() - applied[0]
    announced = [d for d in gitops.deliveries() if d["after"] == pushed]
    assert announced and announced[-1]["status"] == 200, (
        f"the Git server did not announce {pushed[:12]} to ArgoCD's webhook: {announced or gitops.deliveries()}"
    )
    # The floor is the refresh period's: what a push waits for at most when the webhook is lost and ArgoCD polls
    # (the bound this claim derives from). With the webhook nothing waits for it: ArgoCD's part is its render and sync.
    phase_timings.figure(
        "gitops commit to rolled out",
        {
            "seconds": round(seconds, 1),
            "refresh": "push webhook, poll fallback",
            "argocd_s": round(seconds - rollout, 1),
            "rollout_s": round(rollout, 1),
            "floor_s": RECONCILIATION_S,
            "ratio_to_floor": round(seconds / RECONCILIATION_S, 2),
            "target_ratio": 2,
        },
    )


def test_drift_on_a_managed_deployment_is_reverted_by_self_heal(gitops, platform, apps):
    declared = {
        d["metadata"]["name"]: d["spec"]["replicas"]
        for chart in PROJECT_CHARTS
        for d in helm_delivery_manifests(platform.helm[0], chart)
        if d["kind"] == "Deployment" and "replicas" in d["spec"]
    }
    assert declared, "no Deployment declares its replicas (all follow an HPA): nothing to scale by hand"
    name, replicas = sorted(declared.items())[0]
    apps.patch_namespaced_deployment_scale(name, contract.PLATFORM_NAMESPACE, {"spec": {"replicas": replicas + 1}})

    def reverted():
        current = apps.read_namespaced_deployment(name, contract.PLATFORM_NAMESPACE).spec.replicas
        return current == replicas, f"{name} at {current} replicas"

    wait_for(
        reverted,
        timeout=SYNCED_WITHIN_S,
        interval=1,
        expected=f"self-heal scaling {name} back to its declared {replicas} replicas",
    )


def hard_refresh(api, application: str) -> None:
    """What `argocd app get --hard-refresh` asks: a comparison with the latest commit, rendered anew. ArgoCD hides a
    failing render as a passing repository error until it fails again after its grace period with no successful
    comparison in between, and a routine refresh against the running commit (a watched object changed) succeeds
    and starts that period over: the error may stay hidden while the application's objects change."""
    api.custom.patch_namespaced_custom_object(
        "argoproj.io",
        "v1alpha1",
        contract.ARGOCD_NAMESPACE,
        "applications",
        application,
        {"metadata": {"annotations": {"argocd.argoproj.io/refresh": "hard"}}},
    )


def test_a_commit_that_fails_the_schema_leaves_the_running_version_and_reports_the_charts_error(
    gitops, repository, apps
):
    before = {name: d.metadata.generation for name, d in deployments(apps).items()}
    broken = repository.commit(
        E2E_VALUES,
        lambda values: service_values(values, CHANGED_SERVICE).update(replicas="many"),
        f"{CHANGED_SERVICE}: replicas is not a number",
    )

    def reports_the_schema_error():
        (platform_app,) = [a for a in applications(gitops.api) if a["metadata"]["name"] == "platform"]
        conditions = [
            c.get("message", "")
            for c in platform_app.get("status", {}).get("conditions", [])
            if c["type"] == "ComparisonError"
        ]
        if not conditions:
            hard_refresh(gitops.api, "platform")
        return any("replicas" in message and "schema" in message for message in conditions), application_state(
            platform_app
        )

    wait_for(
        reports_the_schema_error,
        timeout=ERROR_SHOWN_WITHIN_S,
        interval=2,
        expected=f"the platform Application reporting the chart's schema error for {broken[:12]}",
    )
    assert {name: d.metadata.generation for name, d in deployments(apps).items()} == before, (
        "a Deployment changed while the commit was broken"
    )
    fixed = repository.commit(
        E2E_VALUES,
        lambda values: service_values(values, CHANGED_SERVICE).pop("replicas"),
        f"{CHANGED_SERVICE}: replicas as before",
    )
    wait_synced(gitops.api, fixed, count=len(PROJECT_CHARTS), timeout=SYNCED_WITHIN_S, healthy=False)


def test_a_service_removed_from_the_values_is_pruned(gitops, repository, apps):
    assert PRUNED_SERVICE in deployments(apps)
    repository.commit(
        E2E_VALUES,
        lambda values: service_values(values, PRUNED_SERVICE).update(enabled=False),
        f"{PRUNED_SERVICE}: disabled",
    )
    wait_for(
        lambda: (PRUNED_SERVICE not in deployments(apps), f"Deployments: {sorted(deployments(apps))}"),
        timeout=SYNCED_WITHIN_S,
        interval=2,
        expected=f"Deployment {PRUNED_SERVICE} pruned by ArgoCD",
    )
