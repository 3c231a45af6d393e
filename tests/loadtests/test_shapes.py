"""Shapes are stage tables: each file's table is well formed and tick() follows it."""

import importlib
from types import SimpleNamespace

import pytest

from loadtests import run
from loadtests.shapes.stages import Stage, StageShape

SHAPE_NAMES = ("ramp", "spike", "soak", "smoke")


def shape_class(name):
    module = importlib.import_module(f"loadtests.shapes.{name}")
    [cls] = [
        v for v in vars(module).values() if isinstance(v, type) and issubclass(v, StageShape) and v is not StageShape
    ]
    return cls


class Table(StageShape):
    stages = (Stage(until_s=10, users=20, spawn_rate=4), Stage(until_s=30, users=0, spawn_rate=10))


def at(shape_cls, seconds, users_scale=None, time_scale=None):
    shape = shape_cls()
    shape.get_run_time = lambda: seconds
    options = SimpleNamespace(users_scale=users_scale, time_scale=time_scale)
    shape.runner = SimpleNamespace(environment=SimpleNamespace(parsed_options=options))
    return shape.tick()


@pytest.mark.parametrize("name", SHAPE_NAMES)
def test_every_shape_file_holds_a_well_formed_table(name):
    assert shape_class(name).problems() == []


def test_each_stage_holds_its_users_until_it_ends_then_the_run_stops():
    assert [at(Table, t) for t in (0, 9.9, 10, 29.9, 30)] == [(20, 4), (20, 4), (0, 10), (0, 10), None]


def test_users_scale_multiplies_users_and_spawn_rate_but_keeps_at_least_one_user():
    assert at(Table, 0, users_scale=0.5) == (10, 2)
    assert at(Table, 0, users_scale=0.01) == (1, pytest.approx(0.1))


def test_time_scale_moves_the_stage_ends():
    assert at(Table, 4.9, time_scale=0.5) == (20, 4)
    assert at(Table, 5.0, time_scale=0.5) == (0, 10)
    assert at(Table, 15.0, time_scale=0.5) is None


def test_outside_a_run_the_table_is_used_as_written():
    shape = Table()
    shape.get_run_time = lambda: 0
    assert shape.tick() == (20, 4)


def test_the_smoke_shape_lasts_about_a_minute_and_the_soak_an_hour():
    assert shape_class("smoke").duration_s() == 60
    assert shape_class("soak").duration_s() == 3600


def test_the_spike_peaks_at_five_times_its_baseline():
    users = [stage.users for stage in shape_class("spike").stages]
    assert max(users) == 5 * users[0] and users[-1] == users[0]


def test_problems_name_a_stage_that_does_not_move_forward_in_time():
    class Backwards(StageShape):
        stages = (Stage(until_s=10, users=1, spawn_rate=1), Stage(until_s=5, users=1, spawn_rate=0))

    assert Backwards.problems() == [
        "Backwards.stages[1] ends at 5 s, not after the stage before it (10 s)",
        "Backwards.stages[1] needs users >= 0 and spawn_rate > 0",
    ]


def test_an_unknown_shape_name_lists_the_shapes():
    with pytest.raises(SystemExit, match="no load shape 'rampp': pick one of ramp, smoke, soak, spike"):
        run.shape_file("rampp")


def test_the_shared_base_is_not_a_shape_locust_would_run():
    with pytest.raises(SystemExit, match="pick one of"):
        run.shape_file("stages")
