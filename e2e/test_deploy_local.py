"""`cdktf deploy local` (stacks/delivery) delivered the suite's platform: its state holds every project chart's
release (and the namespace's), each is a deployed helm release whose Deployments are Available, and deploying again
changes nothing."""

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


def state_releases(target: Target) -> set[str]:
    state = json.loads((target.work_dir / "terraform.local.tfstate").read_text())
    return {
        instance["attributes"]["name"]
        for resource in state["resources"]
        if resource["type"] == "helm_release"
        for instance in resource["instances"]
    }


def test_the_stacks_state_holds_the_namespace_and_a_release_of_every_project_chart(platform):
    # ... and of the local environment's add-ons (its monitoring), as the addon table lists them, and the voice
    # service's LiveKit key Secret (stacks/delivery/livekit_keys.py).
    expected = {
        f"{platform.namespace}-namespace",
        *PROJECT_CHARTS,
        *(addon.name for addon in ADDONS[Cloud.LOCAL]),
        voice_secret()[0],
    }
    assert state_releases(Target(platform.kubeconfig, platform.context)) == expected


def test_every_project_chart_is_a_deployed_helm_release(platform):
    # helm itself: a helm release, as helm reports it, is the claim (beside the voice service's LiveKit key Secret).
    listed = json.loads(
        subprocess.run(
            [*platform.helm, "list", "--namespace", platform.namespace, "-o", "json"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert {release["name"]: release["status"] for release in listed} == dict.fromkeys(
        (*PROJECT_CHARTS, voice_secret()[0]), "deployed"
    )


def test_every_deployment_the_releases_declare_is_available(platform, apps):
    declared = release_deployments(platform.helm, platform.namespace)
    names, waiting = unavailable(apps, platform.namespace)
    assert set(declared.values()) == set(PROJECT_CHARTS)
    assert set(declared) <= set(names) and not waiting, f"not Available: {waiting}"


def test_deploying_again_changes_nothing(platform):
    run = run_cdktf("deploy", Target(platform.kubeconfig, platform.context))
    assert not run.changed, f"the second cdktf deploy local planned changes; see {run.log}"
