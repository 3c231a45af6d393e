"""checkov on every render: no failed check. A check the charts skip is skipped by an annotation that
the chart's values document (global.checkov.skips, global.tests.checkovSkips), reason included."""

import json
import os
import subprocess

import pytest

import chartkit

pytestmark = [pytest.mark.charts, pytest.mark.slow]


def checkov_binary() -> str:
    """The Makefile's checkov (its own virtualenv, .venv-checkov), or CHECKOV."""
    found = os.environ.get("CHECKOV") or str(chartkit.ROOT / ".venv-checkov" / "bin" / "checkov")
    if not os.path.exists(found):
        raise RuntimeError(f"checkov not found at {found}: run `make checkov` (or set CHECKOV to its path)")
    return found


@pytest.fixture(scope="session")
def checkov_report(rendered_dir) -> dict:
    result = subprocess.run(
        [checkov_binary(), "--directory", ".", "--framework", "kubernetes", "--skip-download", "--output", "json"],
        cwd=rendered_dir,
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip(), f"checkov printed no report: {result.stderr[-2000:]}"
    reports = json.loads(result.stdout)
    reports = reports if isinstance(reports, list) else [reports]
    assert [r["check_type"] for r in reports] == ["kubernetes"], result.stderr[-2000:]
    return reports[0]


def test_checkov_fails_no_check_on_any_render(checkov_report):
    failed = [
        f"{f['check_id']} {f['check_name']}: {f['resource']} in {f['file_path']}"
        for f in checkov_report["results"]["failed_checks"]
    ]
    assert not failed, "\n".join(failed)


def test_checkov_parsed_every_render_and_ran_its_checks(checkov_report, rendered_dir):
    summary = checkov_report["summary"]
    scanned = {
        check["file_path"].lstrip("/")
        for kind in ("passed_checks", "skipped_checks")
        for check in checkov_report["results"][kind]
    }
    assert summary["parsing_errors"] == 0 and summary["passed"] > 1000
    assert scanned == {p.name for p in rendered_dir.iterdir()}


def test_every_skipped_check_says_why(checkov_report):
    skipped = checkov_report["results"]["skipped_checks"]
    assert skipped, "the charts document their skips; checkov saw none"
    unexplained = [
        f"{s['check_id']} {s['resource']}"
        for s in skipped
        if len(s["check_result"].get("suppress_comment", "").strip()) < 10
    ]
    assert not unexplained, unexplained
