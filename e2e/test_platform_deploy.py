"""The platform deploys onto kind: every Deployment its releases declare becomes Available, and the namespace's
Pod Security `restricted` profile admits every one of its pods (the real apiserver checks the charts' security
contexts)."""

import json

import kubernetes
import pytest

from .fixtures.factories import random_name
from .fixtures.platform import ENFORCED_PROFILE, release_deployments, unavailable

pytestmark = pytest.mark.smoke


def test_every_deployment_the_platform_releases_declare_is_available(platform, apps):
    declared = release_deployments(platform.helm, platform.namespace)
    names, waiting = unavailable(apps, platform.namespace)
    assert declared, f"no helm release in {platform.namespace} declares a Deployment"
    assert set(declared) <= set(names), f"declared but absent: {sorted(set(declared) - set(names))}"
    assert not waiting, f"not Available: {waiting}"


def test_the_platform_namespace_enforces_restricted_and_refuses_a_pod_without_its_security_context(platform, core):
    labels = core.read_namespace(platform.namespace).metadata.labels
    assert {key: labels.get(key) for key in ENFORCED_PROFILE} == ENFORCED_PROFILE, labels
    image = core.list_namespaced_pod(platform.namespace).items[0].spec.containers[0].image
    bare = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": random_name("bare")},
        "spec": {"containers": [{"name": "main", "image": image}]},
    }
    with pytest.raises(kubernetes.client.ApiException) as refused:
        core.create_namespaced_pod(platform.namespace, bare, dry_run="All")
    message = json.loads(refused.value.body)["message"]
    assert refused.value.status == 403 and 'violates PodSecurity "restricted:latest"' in message, message


def test_every_running_platform_pod_is_admitted_again_under_restricted(platform, core, api_client):
    pods = core.list_namespaced_pod(platform.namespace).items
    assert pods, f"no pods in {platform.namespace}"
    refused = {}
    for pod in pods:
        again = {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": random_name("readmit")},
            "spec": api_client.sanitize_for_serialization(pod.spec),
        }
        try:
            core.create_namespaced_pod(platform.namespace, again, dry_run="All")
        except kubernetes.client.ApiException as error:
            refused[pod.metadata.name] = error.body
    assert not refused, f"pods the restricted profile refuses as they run now: {refused}"
