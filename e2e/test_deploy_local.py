"""`cdktf deploy local` (stacks/delivery) delivered the suite's platform: its state holds the platform namespace and the
voice service's key Secret as Kubernetes provider resources and a release of every project chart and add-on, each
release is deployed with its Deployments Available, and deploying again changes nothing."""

import json
import subprocess

import pytest

from localenv.deploy import Target, run_cdktf
from stacks.delivery.helm_addons import ADDONS
from stacks.delivery.livekit_keys import voice_secret
from stacks.delivery.platform_charts import PROJECT_CHARTS
from stacks.environments.kinds import Cloud

from .fixtures.platform import release_deployments, unavailable

pytestmark = pytest.mark.deploy


def state_objects(target: Target) -> dict[str, set[str]]:
    """Resource type -> names of the objects of that type in the local stack's state (a release's name, or the
    metadata name of a Kubernetes provider resource)."""
    state = json.loads((target.work_dir / "terraform.local.tfstate").read_text())
    found: dict[str, set[str]] = {}
    for resource in state["resources"]:
        for instance in resource["instances"]:
            attributes = instance["attributes"]
            name = attributes.get("name") or (attributes.get("metadata") or [{}])[0].get("name")
            if name:
                found.setdefault(resource["type"], set()).add(name)
    return found


def test_the_stacks_state_holds_the_namespace_the_voice_secret_and_a_release_of_every_chart(platform):
    objects = state_objects(Target(platform.kubeconfig, platform.context))
    assert platform.namespace in objects.get("kubernetes_namespace_v1", set()), objects
    assert voice_secret()[0] in objects.get("kubernetes_secret_v1", set()), objects
    charts = {*PROJECT_CHARTS, *(addon.name for addon in ADDONS[Cloud.LOCAL])}
    assert charts <= objects.get("helm_release", set()), objects


def test_every_project_chart_is_a_deployed_helm_release(platform):
    # helm itself: a helm release, as helm reports it, is the claim.
    listed = json.loads(
        subprocess.run(
            [*platform.helm, "list", "--namespace", platform.namespace, "-o", "json"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert {release["name"]: release["status"] for release in listed} == dict.fromkeys(PROJECT_CHARTS, "deployed")


def test_every_deployment_the_releases_declare_is_available(platform, apps):
    declared = release_deployments(platform.helm, platform.namespace)
    names, waiting = unavailable(apps, platform.namespace)
    assert set(declared.values()) == set(PROJECT_CHARTS)
    assert set(declared) <= set(names) and not waiting, f"not Available: {waiting}"


def test_deploying_again_changes_nothing(platform):
    run = run_cdktf("deploy", Target(platform.kubeconfig, platform.context))
    assert not run.changed, f"the second cdktf deploy local planned changes; see {run.log}"
