"""The e2e episodes that run side by side (e2e/fixtures/side_by_side.py): a group's episodes run at once, groups one
after the other, each episode once, and an episode's failure stays its own."""

import threading

import pytest

from e2e.fixtures import side_by_side as module
from e2e.fixtures.side_by_side import QUIET, REQUEST_LOAD, SideBySideRuns

HERE = __name__


class FixtureRequest:
    """What SideBySideRuns asks of pytest's request: fixture values by name, the names it was asked for kept."""

    def __init__(self, values: dict):
        self.values, self.asked = values, []

    def getfixturevalue(self, name: str):
        self.asked.append(name)
        return self.values[name]


@pytest.fixture
def groups(monkeypatch) -> dict:
    registered = {QUIET: [], REQUEST_LOAD: []}
    monkeypatch.setattr(module, "GROUPS", registered)
    return registered


def test_a_groups_episodes_run_at_once_and_the_other_group_waits(groups):
    both_running = threading.Barrier(2, timeout=10)  # broken unless both episodes reach it together
    ran = []

    @module.side_by_side(REQUEST_LOAD)
    def cpu(platform):
        both_running.wait()
        ran.append("cpu")
        return f"cpu on {platform}"

    @module.side_by_side(REQUEST_LOAD)
    def custom(platform, phase_timings):
        both_running.wait()
        ran.append("custom")
        return f"custom on {platform} with {phase_timings}"

    @module.side_by_side(QUIET)
    def memory():
        ran.append("memory")

    runs = SideBySideRuns({HERE})
    request = FixtureRequest({"platform": "kind", "phase_timings": "timings"})
    assert runs.result(custom, request) == "custom on kind with timings"
    assert sorted(ran) == ["cpu", "custom"]
    assert runs.result(cpu, FixtureRequest({})) == "cpu on kind"  # ran already: no fixture asked for again
    assert sorted(request.asked) == ["phase_timings", "platform", "platform"]


def test_an_episode_whose_module_has_no_selected_claims_does_not_run(groups):
    ran = []

    @module.side_by_side(QUIET)
    def alert():
        ran.append("alert")
        return "alert"

    @module.side_by_side(QUIET)
    def backlog():
        ran.append("backlog")

    backlog.__module__ = "e2e.test_not_selected"
    assert SideBySideRuns({HERE}).result(alert, FixtureRequest({})) == "alert"
    assert ran == ["alert"]


def test_an_episodes_failure_is_raised_for_it_alone(groups):
    @module.side_by_side(QUIET)
    def failing():
        raise AssertionError("the HPA never scaled out")

    @module.side_by_side(QUIET)
    def passing():
        return "scaled"

    runs = SideBySideRuns({HERE})
    with pytest.raises(AssertionError, match="never scaled out"):
        runs.result(failing, FixtureRequest({}))
    assert runs.result(passing, FixtureRequest({})) == "scaled"


def test_an_unknown_group_or_an_unregistered_episode_is_refused_by_name(groups):
    with pytest.raises(ValueError, match="unknown side-by-side group 'loud'"):
        module.side_by_side("loud")

    def stray():
        pass

    with pytest.raises(ValueError, match="stray is not registered with @side_by_side"):
        SideBySideRuns({HERE}).result(stray, FixtureRequest({}))
