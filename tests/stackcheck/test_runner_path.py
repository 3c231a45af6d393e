"""A production stack's Helm and Kubernetes resources wait for its path to the deploy runner."""

import copy

import pytest

from stackcheck.runner_path import objects_before_the_path, runner_path

PRODUCTION = ("prod-eu", "prod-us")


@pytest.fixture(scope="module")
def stacks():
    """Every stack, synthesized by the real app (shared with the other app tests of the run)."""
    from synthkit import all_stacks

    return all_stacks()


@pytest.mark.parametrize("name", PRODUCTION)
def test_every_cluster_object_of_a_production_stack_waits_for_the_runner_path(stacks, name):
    document = stacks[name].stack_json(name)
    assert len(runner_path(document)) >= 3, "no peering, acceptance and routes in the runner-path construct"
    assert objects_before_the_path(document) == {}


def test_a_release_that_skips_the_runner_path_is_found(stacks):
    document = copy.deepcopy(stacks["prod-eu"].stack_json("prod-eu"))
    name, release = next(iter(document["resource"]["helm_release"].items()))
    release["depends_on"] = []
    for key in ("values", "set_sensitive"):
        release.pop(key, None)
    assert f"helm_release.{name}" in objects_before_the_path(document)
