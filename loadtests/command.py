"""The locust command line, built here for every caller: `make loadtest` (run.py), the master in the cluster
(incluster.py), the e2e suite's load generator and the loopback benchmark. Standard library only: the master's
image has locust and this tree, nothing else of the project.

    locust_command(locustfiles=[...], host=..., reports=out)        # a run with its reports (HTML, CSV, summary)
    standin_command(host, users=, seconds=, user_rps=, work_ms=, csv=) # the stand-in scenario at a constant load
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

STANDIN_LOCUSTFILE = "loadtests/scenarios/standin.py"  # relative to the repository root, locust's working folder


def report_arguments(folder: Path) -> list[str]:
    """Where a run writes its reports: report.html, stats_*.csv and summary.json (gate.py) in `folder`."""
    return [
        "--html",
        str(folder / "report.html"),
        "--csv",
        str(folder / "stats"),
        "--summary-json",
        str(folder / "summary.json"),
    ]


def locust_command(
    *,
    locustfiles: Sequence[str | Path] = (),
    host: str | None = None,
    host_header: str = "",
    target_env: str | None = None,
    users: int | None = None,
    seconds: int | None = None,
    csv: Path | None = None,
    reports: Path | None = None,
    extra: Sequence[str] = (),
) -> list[str]:
    """`python -m locust`, headless, with these settings; `extra` last (they win). Every run exits 0 on failed
    requests: the SLO gate (gate.py) judges errors against each endpoint's error budget, and locust's own "any
    failure exits 1" would fail a run the SLOs accept.

    `locustfiles` may be left to `extra` (the chart's master gets them from its arguments); `users` are all
    started at once (-r = -u), so the load is constant from its first second; `seconds` stops locust by itself;
    `host_header` names the Host of every request (an Ingress host the machine does not resolve); `reports` is
    the folder of report_arguments, `csv` a CSV prefix alone."""
    command = [sys.executable, "-m", "locust", "--headless"]
    if locustfiles:
        command += ["-f", ",".join(map(str, locustfiles))]
    if target_env:
        command += ["--target-env", target_env]
    if host:
        command += ["--host", host]
    if host_header:
        command += ["--host-header", host_header]
    if users:
        command += ["-u", str(users), "-r", str(users)]
    if seconds:
        command += ["-t", f"{seconds}s"]
    if reports:
        command += report_arguments(reports)
    elif csv:
        command += ["--csv", str(csv)]
    return [*command, "--exit-code-on-error", "0", *extra]


def standin_command(
    host: str,
    *,
    users: int,
    seconds: int,
    user_rps: float,
    work_ms: int,
    csv: Path,
    host_header: str = "",
    extra: Sequence[str] = (),
) -> list[str]:
    """The stand-in scenario (scenarios/standin.py) at a constant load: `users` each asking `user_rps` requests/s
    (0: as fast as they can) for /work costing `work_ms` of CPU, for at most `seconds`; warnings only."""
    return locust_command(
        locustfiles=[STANDIN_LOCUSTFILE],
        host=host,
        host_header=host_header,
        users=users,
        seconds=seconds,
        csv=csv,
        extra=["--user-rps", str(user_rps), "--work-ms", str(work_ms), "--loglevel", "WARNING", *extra],
    )
