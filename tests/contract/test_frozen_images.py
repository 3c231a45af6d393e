"""No cloud stack runs an image from a source that gets no more updates (contract/frozen_images.py), except the known
ones the list names with their reason; `make upstream-check` reports the same from the rendered charts.

Offline this reads the images the synthesized values name (registry/repository/tag blocks, `image:` strings): what
a chart runs by its own defaults is seen only by upstream-check, which renders it.
"""

import pytest

from contract.frozen_images import KNOWN, frozen_source, normalized
from deliverykit import delivery, releases
from stackcheck.upstream.images import frozen_images
from stacks.delivery.infrastructure import CLOUD_INFRASTRUCTURE
from stacks.environments import ENVIRONMENTS, Cloud
from upstreamkit import release_values

CLOUD = [name for name, env in ENVIRONMENTS.items() if env.cloud is not Cloud.LOCAL]
LOCAL_INFRASTRUCTURE = {service.name for service in CLOUD_INFRASTRUCTURE if service.chart}


def value_images(node) -> set[str]:
    """Image references a values document names: `{registry, repository, tag}` blocks and `image: <ref>` strings."""
    found = set()
    if isinstance(node, dict):
        repository = node.get("repository")
        if isinstance(repository, str) and ("tag" in node or "registry" in node) and "://" not in repository:
            registry, tag = node.get("registry"), node.get("tag")
            image = f"{registry}/{repository}" if isinstance(registry, str) and registry else repository
            found.add(f"{image}:{tag}" if isinstance(tag, str) and tag else image)
        if isinstance(node.get("image"), str):
            found.add(node["image"])
        for value in node.values():
            found |= value_images(value)
    elif isinstance(node, list):
        for item in node:
            found |= value_images(item)
    return found


def frozen_in(env: str) -> dict[str, set[str]]:
    """release -> the images from a frozen source its synthesized values name (repository charts, and the local
    charts of the infrastructure, whose values files name their images)."""
    found = {}
    for name, body in releases(delivery(env)).items():
        if body.get("repository") or name in LOCAL_INFRASTRUCTURE:
            images = {image for image in value_images(release_values(env, name)) if frozen_source(image)}
            if images:
                found[name] = images
    return found


@pytest.mark.parametrize("env", CLOUD)
def test_no_cloud_release_runs_an_image_from_a_frozen_source_unless_known(env):
    unknown = [
        f"{name} runs {image}: {frozen_source(image).why}; use {frozen_source(image).instead}"
        for name, images in sorted(frozen_in(env).items())
        if name not in KNOWN
        for image in sorted(images)
    ]
    assert not unknown, f"{env}: " + "; ".join(unknown)


@pytest.mark.parametrize("release", list(KNOWN))
def test_each_known_finding_still_runs_a_frozen_image(release):
    """A release that has moved leaves KNOWN: its entry would let a regression through unseen."""
    assert any(release in frozen_in(env) for env in CLOUD), f"{release} runs no frozen image: remove it from KNOWN"


def test_livekit_redis_runs_the_docker_library_image():
    for env in CLOUD:
        image = release_values(env, "livekit-redis")["image"]
        assert normalized(f"{image['registry']}/{image['repository']}") == "docker.io/library/redis"
        assert image["tag"][0].isdigit() and image["tag"] != "latest"


@pytest.mark.parametrize(
    "image, frozen",
    [
        ("bitnamilegacy/redis:7.4.0-debian-12-r2", True),
        ("docker.io/bitnamilegacy/rabbitmq:4.0.1", True),
        ("registry-1.docker.io/bitnamilegacy/redis:7", True),
        ("bitnami/os-shell:12", True),
        ("redis:7.4.6-bookworm", False),
        ("docker.io/library/redis:7.4.6-bookworm", False),
        ("registry.k8s.io/autoscaling/cluster-autoscaler:v1.35.1", False),
        ("localhost:5000/bitnamilegacy/redis:7", False),
    ],
)
def test_frozen_sources_match_docker_hubs_spellings_and_nothing_else(image, frozen):
    assert (frozen_source(image) is not None) is frozen


def test_upstream_check_names_the_object_the_image_and_what_to_use_instead():
    objects = [
        {
            "kind": "StatefulSet",
            "metadata": {"name": "rabbitmq"},
            "spec": {
                "template": {
                    "spec": {
                        "containers": [
                            {"name": "rabbitmq", "image": "docker.io/bitnamilegacy/rabbitmq:4.0.1-debian-12-r0"}
                        ],
                        "initContainers": [{"name": "setup", "image": "docker.io/library/busybox:1.37.0"}],
                    }
                }
            },
        }
    ]
    (finding,) = frozen_images(objects)
    assert finding.startswith("StatefulSet rabbitmq runs docker.io/bitnamilegacy/rabbitmq:4.0.1-debian-12-r0: ")
    assert "use " in finding


def test_the_frozen_check_finds_a_planted_frozen_image():
    planted = {"image": {"registry": "docker.io", "repository": "bitnamilegacy/rabbitmq", "tag": "4.0.1"}}
    assert {image for image in value_images(planted) if frozen_source(image)} == {
        "docker.io/bitnamilegacy/rabbitmq:4.0.1"
    }
    assert frozen_source("docker.io/library/rabbitmq:4.1.4-management") is None
    assert frozen_source("docker.io/rabbitmqoperator/cluster-operator:2.22.3") is None
