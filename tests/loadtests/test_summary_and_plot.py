"""The run's JSON summary and its timeline PNG."""

import csv

import pytest

from loadtests import plot, slo, summary

HEADER = [
    "Timestamp",
    "User Count",
    "Type",
    "Name",
    "Requests/s",
    "Failures/s",
    "50%",
    "66%",
    "75%",
    "80%",
    "90%",
    "95%",
    "98%",
    "99%",
    "99.9%",
    "99.99%",
    "100%",
    "Total Request Count",
    "Total Failure Count",
]


def history(path, rows):
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for second, users, rps, p95 in rows:
            writer.writerow(
                [1_800_000_000 + second, users, "GET", "/work", rps, 0, 10, 0, 0, 0, 0, p95, 0, 0, 0, 0, 0, 1, 0]
            )
            p99 = p95 if p95 == "N/A" else p95 * 2
            writer.writerow(
                [1_800_000_000 + second, users, "", "Aggregated", rps, 0.5, 10, 0, 0, 0, 0, p95, 0, p99, 0, 0, 0, 1, 0]
            )
    return path


def test_the_history_reader_keeps_only_aggregated_rows_and_marks_missing_percentiles(tmp_path):
    start, data = plot.read_history(
        history(tmp_path / "h.csv", [(0, 0, 0, "N/A"), (1, 5, 40.0, 30), (2, 10, 80.0, 35)])
    )
    assert start == 1_800_000_000
    assert data["seconds"] == [0, 1, 2] and data["users"] == [0, 5, 10] and data["rps"] == [0, 40, 80]
    assert data["95%"][1:] == [30, 35] and data["95%"][0] != data["95%"][0]  # NaN before the first response


def test_the_plot_is_a_png(tmp_path):
    out = plot.plot(history(tmp_path / "h.csv", [(s, s, 10.0 * s, 20 + s) for s in range(30)]), tmp_path / "t.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_history_without_aggregated_rows_is_refused_with_the_likely_cause(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text(",".join(HEADER) + "\n")
    with pytest.raises(ValueError, match=r"no Aggregated rows.*did the run send requests"):
        plot.read_history(path)


def test_the_summary_carries_figures_and_the_slo_verdict():
    work = slo.EndpointStats(key="GET /work", requests=200, failures=4, p95_ms=600, p99_ms=900, p50_ms=40, rps=20)
    breach = slo.Breach("GET /work", "p95_ms", 500, 600)
    report = summary.build(
        [work], work, target="loopback", breaches=[breach], hosts=["http://127.0.0.1:1"], shape="SmokeShape"
    )
    assert report["endpoints"][0]["error_ratio"] == 0.02
    assert report["slo"]["checked"] and not report["slo"]["passed"]
    assert report["slo"]["breaches"][0]["message"].startswith("SLO breached: GET /work p95 600 ms > 500 ms")


def test_a_summary_without_a_target_says_the_gate_did_not_run():
    work = slo.EndpointStats(key="GET /work", requests=1, failures=0, p95_ms=1, p99_ms=1)
    report = summary.build([work], work, target=None, breaches=[], hosts=[], shape=None)
    assert report["slo"] == {"checked": False, "passed": False, "breaches": []}
