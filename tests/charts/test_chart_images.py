"""Every image the project charts run in every environment scenario names a registry (the environment's ECR/ACR,
which the stack creates and passes as global.image.registry) and a pinned tag or digest, and its repository is
one the registry stack creates (stacks/delivery/images.py)."""

import re

import pytest

import chartkit
from chartkit import all_scenarios, documents, pod_spec
from stacks.delivery.images import project_repositories

pytestmark = [pytest.mark.charts, pytest.mark.slow]
ENVIRONMENT_SCENARIOS = [s for s in all_scenarios() if not s.name.startswith("ci-")]
REFERENCE = re.compile(
    r"^(?P<registry>[a-z0-9.-]+\.[a-z]{2,}(?::\d+)?)/(?P<repository>[a-z0-9._/-]+)"
    r"(?::(?P<tag>[A-Za-z0-9._-]+))?(?:@(?P<digest>sha256:[0-9a-f]{64}))?$"
)


def images(docs: list[dict]) -> set[str]:
    found = set()
    for doc in docs:
        spec = pod_spec(doc)
        for container in (spec or {}).get("containers", []) + (spec or {}).get("initContainers", []):
            found.add(container["image"])
    return found


@pytest.mark.parametrize("scenario", ENVIRONMENT_SCENARIOS, ids=lambda s: s.id)
def test_every_image_names_the_environments_registry_and_a_pinned_tag(rendered, scenario):
    registry = chartkit.load(scenario.values[-1])["global"]["image"]["registry"]  # the stack's identity values
    found = images(documents(rendered[scenario]))
    assert found
    for image in found:
        match = REFERENCE.match(image)
        assert match, f"{image} names no registry"
        assert f"{match['registry']}/{match['repository']}".startswith(registry + "/"), image
        assert match["digest"] or (match["tag"] and match["tag"] != "latest"), f"{image} is not pinned"
        assert match["repository"].removeprefix(registry.partition("/")[2]).lstrip("/") in project_repositories()
