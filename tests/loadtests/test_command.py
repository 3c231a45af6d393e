"""The one builder of the locust command line (loadtests/command.py): what every caller's run asks of locust."""

import sys
from pathlib import Path

from loadtests import incluster, targets
from loadtests.command import STANDIN_LOCUSTFILE, locust_command, standin_command
from loadtests.run import run_command, shape_file


def options(command: list[str]) -> dict[str, str]:
    """Each `--option value` / `-x value` pair of a command line (flags without a value map to "")."""
    found, args = {}, command[3:]
    for index, arg in enumerate(args):
        if arg.startswith("-"):
            value = args[index + 1] if index + 1 < len(args) and not args[index + 1].startswith("-") else ""
            found[arg] = value
    return found


def test_every_run_is_locust_headless_and_leaves_the_verdict_on_errors_to_the_slo_gate():
    command = locust_command(locustfiles=["a.py", "b.py"])
    assert command[:3] == [sys.executable, "-m", "locust"]
    assert options(command) == {"--headless": "", "-f": "a.py,b.py", "--exit-code-on-error": "0"}


def test_a_run_here_writes_every_report_into_its_folder(tmp_path):
    target = targets.load("loopback")
    got = options(run_command(target, shape_file("smoke"), tmp_path, host="http://127.0.0.1:1", extra=["--x", "1"]))
    assert got["--target-env"] == "loopback" and got["--host"] == "http://127.0.0.1:1" and got["--x"] == "1"
    assert (got["--html"], got["--csv"], got["--summary-json"]) == (
        str(tmp_path / "report.html"),
        str(tmp_path / "stats"),
        str(tmp_path / "summary.json"),
    )
    assert got["-f"].endswith("loadtests/shapes/smoke.py") and not Path(got["-f"].split(",")[0]).is_absolute()


def test_the_stand_in_load_is_constant_from_its_first_second_and_names_its_host_header(tmp_path):
    got = options(
        standin_command(
            "http://h",
            users=8,
            seconds=30,
            user_rps=2.5,
            work_ms=40,
            csv=tmp_path / "x",
            host_header="api.example",
            extra=["--only-summary"],
        )
    )
    assert got == {
        "--headless": "",
        "-f": STANDIN_LOCUSTFILE,
        "--host": "http://h",
        "--host-header": "api.example",
        "-u": "8",
        "-r": "8",
        "-t": "30s",
        "--csv": str(tmp_path / "x"),
        "--exit-code-on-error": "0",
        "--user-rps": "2.5",
        "--work-ms": "40",
        "--loglevel": "WARNING",
        "--only-summary": "",
    }


def test_the_master_in_the_cluster_adds_its_report_folder_to_the_charts_arguments(tmp_path, monkeypatch):
    ran = []
    monkeypatch.setattr(
        incluster.subprocess, "run", lambda command: ran.append(command) or type("Done", (), {"returncode": 0})()
    )
    incluster.master(["-f", "loadtests/scenarios/standin.py", "--master"], reports=tmp_path)
    got = options(ran[0])
    assert got["-f"] == "loadtests/scenarios/standin.py" and "--master" in got
    assert got["--summary-json"] == str(tmp_path / "summary.json")
