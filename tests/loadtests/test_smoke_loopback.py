"""The single-process path end to end: the smoke shape against the stand-in on loopback, with the
SLO gate of loadtests/environments/loopback.toml. Shortened with --time-scale (CI's smoke on kind
runs the full minute)."""

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.loadtest

REPORTS = ("report.html", "stats_stats.csv", "stats_stats_history.csv", "summary.json", "timeline.png", "locust.log")


@pytest.fixture
def smoke(standin, locust_env, tmp_path):
    """Run the smoke shape against the test's stand-in; returns (exit code, output, summary)."""

    def run(*extra):
        command = [
            sys.executable,
            "-m",
            "loadtests.run",
            "--env",
            "loopback",
            "--shape",
            "smoke",
            "--time-scale",
            "0.1",
            "--host",
            standin.url,
            "--out",
            str(tmp_path),
            "--only-summary",
            *extra,
        ]
        result = subprocess.run(command, env=locust_env, capture_output=True, text=True, timeout=120)
        return result.returncode, result.stdout + result.stderr, json.loads((tmp_path / "summary.json").read_text())

    return run


def test_a_smoke_run_within_its_slos_exits_zero_and_writes_every_report(smoke, tmp_path):
    code, output, summary = smoke()
    assert code == 0, output
    assert [name for name in REPORTS if not (tmp_path / name).is_file()] == []
    assert summary["slo"] == {"checked": True, "passed": True, "breaches": []}
    assert summary["total"]["requests"] > 0 and summary["total"]["failures"] == 0
    # Dynamic URLs are grouped: one entry per route, not per query string.
    assert {e["key"] for e in summary["endpoints"]} == {"GET /work?ms=[ms]", "GET /", "GET /readyz"}


def test_a_slow_endpoint_breaches_its_latency_slo_and_the_run_exits_non_zero_naming_it(smoke, tmp_path):
    code, output, summary = smoke("--work-ms", "700")
    assert code == 3, output
    assert "SLO breached: GET /work?ms=[ms] p95" in output and "> 500 ms (over by" in output
    assert not summary["slo"]["passed"]
    assert (tmp_path / "timeline.png").is_file()  # the evidence is written whatever the verdict


def test_failing_responses_breach_the_error_budget_and_the_run_exits_non_zero_naming_it(smoke, standin):
    assert standin.get("/admin/ready?state=off", method="POST")[0] == 200  # /readyz now answers 503
    code, output, summary = smoke()
    assert code == 3, output
    assert "SLO breached: GET /readyz error ratio 100.00% > 0.10%" in output
    assert [b["endpoint"] for b in summary["slo"]["breaches"]] == ["GET /readyz"]
