"""Every storage class a project chart names, in every environment scenario, exists in that environment
(created by its stack or built into its cluster: stacks/delivery/storage.py)."""

import pytest

from chartkit import all_scenarios, documents
from stacks.delivery.storage import STORAGE
from stacks.environments import Cloud

pytestmark = [pytest.mark.charts, pytest.mark.slow]
ENVIRONMENT_SCENARIOS = [s for s in all_scenarios() if not s.name.startswith("ci-")]


def claimed_classes(docs: list[dict]) -> set[str]:
    """storageClassName of every claim: PersistentVolumeClaims and pods' ephemeral claim templates."""
    found = set()

    def walk(value):
        if isinstance(value, dict):
            if isinstance(value.get("storageClassName"), str):
                found.add(value["storageClassName"])
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for doc in docs:
        walk(doc)
    return found


@pytest.fixture(scope="module")
def claims(rendered) -> dict:
    """scenario -> the classes its render claims (the session's renders, conftest.py)."""
    return {scenario: claimed_classes(documents(rendered[scenario])) for scenario in ENVIRONMENT_SCENARIOS}


@pytest.mark.parametrize("scenario", ENVIRONMENT_SCENARIOS, ids=lambda s: s.id)
def test_every_class_the_chart_names_exists_in_the_environment(claims, scenario):
    cloud = Cloud(scenario.name.split("-")[1])
    assert claims[scenario] <= STORAGE[cloud].available()


def test_some_chart_asks_for_shared_storage_on_each_cloud(claims):
    """Which is why the AWS stack makes an EFS file system (stacks/storage/aws.py)."""
    for cloud in (Cloud.AWS, Cloud.AZURE):
        named = set().union(*(found for s, found in claims.items() if s.name.split("-")[1] == cloud.value))
        assert STORAGE[cloud].roles["shared"] in named
