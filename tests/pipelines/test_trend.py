"""pipelines/trend.py: each night's e2e figures appended to a history, drawn as a trend, summed up as a table."""

import json

import pytest

from pipelines import trend


def timings(started="2026-11-29T02:00:00+00:00", suite=600.0, ready=40.0, floor=30.0, extra=None) -> dict:
    figures = {
        "scale_out": {
            "floor_s": floor,
            "seconds_to_new_pods_ready": ready,
            "seconds_to_desired_above_min": ready - 10,
            "peak": 4,
            "load": "ramp",
            "failures": {},
        }
    }
    figures.update(extra or {})
    return {
        "run": {
            "started_utc": started,
            "exit_status": 1,
            "markers": "",
            "outcomes": {"passed": 20, "failed": 2, "skipped": 1},
        },
        "suite_seconds": suite,
        "phases": {},
        "claims": {},
        "figures": figures,
    }


def write_timings(tmp_path, **kwargs):
    path = tmp_path / "timings.json"
    path.write_text(json.dumps(timings(**kwargs)))
    return path


def test_a_night_keeps_the_numbers_of_every_figure_and_drops_the_rest():
    night = trend.night(timings(extra={"alert_delivery": {"seconds": 12.5, "channel": "slack"}}))
    assert night["figures"] == {
        "alert_delivery.seconds": 12.5,
        "scale_out.floor_s": 30.0,
        "scale_out.peak": 4,
        "scale_out.seconds_to_desired_above_min": 30.0,
        "scale_out.seconds_to_new_pods_ready": 40.0,
    }


def test_claims_that_did_not_pass_are_counted_together():
    assert trend.night(timings())["not_passed"] == 3


def test_each_append_adds_one_night_to_the_history(tmp_path):
    history = tmp_path / "history" / "e2e.jsonl"
    trend.append(write_timings(tmp_path), history, commit="abc")
    trend.append(write_timings(tmp_path, suite=700.0), history)
    assert [n["suite_seconds"] for n in trend.read_history(history)] == [600.0, 700.0]


def test_a_missing_record_says_where_to_look(tmp_path):
    with pytest.raises(SystemExit, match=r"does not exist.*Fix: read the e2e step's log"):
        trend.append(tmp_path / "timings.json", tmp_path / "e2e.jsonl")


def test_a_night_without_a_figure_leaves_a_gap_in_its_series():
    nights = [trend.night(timings()), trend.night(timings(extra={"drills": {"failover_seconds": 50}}))]
    assert str(trend.series(nights, "drills.failover_seconds")) == "[nan, 50.0]"


def test_the_plot_is_a_png_with_a_panel_for_the_other_figures(tmp_path):
    history = tmp_path / "e2e.jsonl"
    for day, ready in (("27", 40.0), ("28", 45.0), ("29", 90.0)):
        trend.append(
            write_timings(
                tmp_path,
                started=f"2026-11-{day}T02:00:00+00:00",
                ready=ready,
                extra={"drills": {"failover_seconds": 50}},
            ),
            history,
        )
    out = trend.plot(history, tmp_path / "trend.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_summary_lists_the_newest_night_first_beside_its_target(tmp_path):
    history = tmp_path / "e2e.jsonl"
    trend.append(write_timings(tmp_path, started="2026-11-28T02:00:00+00:00", ready=40.0), history)
    trend.append(write_timings(tmp_path, started="2026-11-29T02:00:00+00:00", ready=90.0), history)
    rows = trend.summary(history).splitlines()[2:]
    assert rows[0].startswith("| 2026-11-29T02:00 | 10.0 | 90 | 60 |")
