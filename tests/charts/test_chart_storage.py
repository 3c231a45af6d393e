"""Every storage class a project chart names, in every environment scenario, exists in that environment
(created by its stack or built into its cluster: stacks/delivery/storage.py)."""
import pytest

from chartkit import all_scenarios, documents, render_many
from stacks.delivery.storage import STORAGE
from stacks.environments import Cloud

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
def rendered():
    return {scenario: documents(text) for scenario, text in render_many(ENVIRONMENT_SCENARIOS).items()}


@pytest.mark.parametrize("scenario", ENVIRONMENT_SCENARIOS, ids=lambda s: s.id)
def test_every_class_the_chart_names_exists_in_the_environment(rendered, scenario):
    cloud = Cloud(scenario.name.split("-")[1])
    assert claimed_classes(rendered[scenario]) <= STORAGE[cloud].available()


def test_some_chart_asks_for_shared_storage_on_each_cloud(rendered):
    """Which is why the AWS stack makes an EFS file system (stacks/storage/aws.py)."""
    for cloud in (Cloud.AWS, Cloud.AZURE):
        named = set().union(*(claimed_classes(docs) for s, docs in rendered.items() if s.name.split("-")[1] == cloud.value))
        assert STORAGE[cloud].roles["shared"] in named
