"""The values layers: what the library owns is copied verbatim, overlays agree across charts, and every
environment of the catalog finds its values files in every chart."""
import pytest
import yaml

import chartkit
import chartsync
from stacks.environments import ENVIRONMENTS


def test_the_shared_values_and_schema_definitions_match_the_library():
    assert chartsync.drifted(write=False) == [], "run make chart-sync"


@pytest.mark.parametrize("overlay", sorted(p.name for p in (chartkit.CHARTS_DIR / "platform" / "values").glob("*.yaml")))
def test_every_chart_has_each_overlay_with_the_same_global_settings(overlay):
    globals_by_chart = {}
    for chart in chartkit.CHARTS:
        path = chartkit.CHARTS_DIR / chart / "values" / overlay
        assert path.exists(), f"{chart} lacks values/{overlay}: the delivery stack passes it to every chart"
        globals_by_chart[chart] = (yaml.safe_load(path.read_text()) or {}).get("global")
    assert len({yaml.safe_dump(v, sort_keys=True) for v in globals_by_chart.values()}) == 1, globals_by_chart


@pytest.mark.parametrize("environment", sorted(ENVIRONMENTS))
def test_every_catalog_environment_finds_its_values_files_in_every_chart(environment):
    for chart in chartkit.CHARTS:
        missing = [f for f in ENVIRONMENTS[environment].values_files if not (chartkit.CHARTS_DIR / chart / f).exists()]
        assert not missing, f"{chart} lacks {missing}, which environment {environment} deploys it with"


@pytest.mark.parametrize("environment", sorted(ENVIRONMENTS))
def test_every_catalog_environment_is_a_rendered_scenario(environment):
    layers = ENVIRONMENTS[environment].values_files
    scenarios = {tuple(str(p.relative_to(s.chart_dir)) for p in s.values if s.chart_dir in p.parents)
                 for s in chartkit.scenarios("platform")}
    assert tuple(layers) in scenarios, f"{environment} layers {layers}, which no scenario in chartkit renders"
