"""The master's reports travel in its log: packed there, unpacked here, exit code included."""

import pytest

from loadtests import incluster


def master_log(tmp_path, code=3):
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "summary.json").write_text('{"slo": {"passed": false}}')
    (reports / "report.html").write_bytes(b"<html>" + bytes(range(256)) * 400 + b"</html>")
    bundle = incluster.pack(reports)
    return (
        f"[locust] starting\n[locust] SLO breached: GET /work p95 900 ms > 500 ms\n{incluster.BEGIN}\n{bundle}\n"
        f"{incluster.END}\n{incluster.EXIT_LINE} {code}\n"
    ), reports


def test_the_reports_and_exit_code_survive_the_trip_through_the_log(tmp_path):
    log, reports = master_log(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    assert incluster.unpack(log, out) == 3
    for name in ("summary.json", "report.html"):
        assert (out / name).read_bytes() == (reports / name).read_bytes()


def test_the_bundle_is_wrapped_in_short_lines_a_log_collector_keeps_whole(tmp_path):
    log, _ = master_log(tmp_path)
    lines = log.splitlines()
    bundle = lines[lines.index(incluster.BEGIN) + 1 : lines.index(incluster.END)]
    assert len(bundle) > 5 and max(len(line) for line in bundle) == 76


def test_the_readable_log_keeps_the_messages_and_drops_the_bundle(tmp_path):
    log, _ = master_log(tmp_path)
    readable = incluster.without_bundle(log)
    assert "SLO breached: GET /work p95" in readable and "LOADTEST EXIT CODE: 3" in readable
    assert readable.splitlines()[2] == "[report bundle: unpacked into the report folder]"
    assert len(readable.splitlines()) == 4


def test_a_log_that_ends_before_the_bundle_says_the_master_did_not_finish(tmp_path):
    with pytest.raises(ValueError, match="did not finish"):
        incluster.unpack("[locust] starting\nKilled\n", tmp_path)
