"""The values layers: what the library owns is copied verbatim (generated and checked), and every environment of
the catalog is a scenario the chart tests render, layered as its releases are."""

import pytest

import chartkit
import chartsync
from stacks.delivery.environment_values import environment_values
from stacks.environments import ENVIRONMENTS, Cloud


def test_the_shared_values_and_schema_definitions_match_the_library():
    assert chartsync.drifted(write=False) == [], "run make chart-sync"


@pytest.mark.parametrize("environment", sorted(n for n, e in ENVIRONMENTS.items() if e.cloud is not Cloud.LOCAL))
def test_every_catalog_environment_is_a_rendered_scenario(environment):
    env = ENVIRONMENTS[environment]
    cell = chartkit.cell(env.tier.value, env.cloud.value, env.region)
    assert cell.values_files == env.values_files, (
        f"{environment} layers {env.values_files}, the scenarios {cell.values_files}"
    )
    assert environment_values(cell) == environment_values(env)
    names = {s.name for s in chartkit.scenarios("platform")}
    assert f"{env.tier.value}-{env.cloud.value}-{env.region}" in names
