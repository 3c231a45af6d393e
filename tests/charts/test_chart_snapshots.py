"""The rendered output of each chart's golden scenario (ci-full) equals its golden file; a deliberate change is recorded
with `make chart-snapshots-update` and reviewed in the diff."""

import difflib

import pytest

import chartkit
import chartsnapshots

pytestmark = [pytest.mark.charts, pytest.mark.slow]
FIX = "if the change is intended, run make chart-snapshots-update and commit the new golden file"


@pytest.mark.parametrize("scenario", chartkit.snapshot_scenarios(), ids=lambda s: s.id)
def test_render_matches_the_golden_file(scenario, rendered):
    golden = scenario.snapshot
    assert golden.exists(), f"no golden file {golden.relative_to(chartkit.ROOT)}: {FIX}"
    expected, actual = golden.read_text(), rendered[scenario]
    if expected != actual:
        diff = difflib.unified_diff(expected.splitlines(), actual.splitlines(), "golden", "rendered", lineterm="", n=2)
        pytest.fail(f"{scenario.id} renders differently from its golden file ({FIX}):\n" + "\n".join(list(diff)[:60]))


def test_no_golden_file_is_left_from_a_removed_scenario():
    assert not chartsnapshots.orphans(), FIX
