"""The locust master's entry point in the cluster (charts/locust's Job), and its reader on the other side.

The master runs headless, then prints its report folder (HTML, CSVs, summary.json) as a base64 tar.gz
between two marker lines and exits with locust's exit code. `make loadtest WORKERS=N` reads the Job's
log, unpacks the reports into artifacts/loadtest/<time>/ and takes the exit code from it. A log is the
one channel a finished pod still offers: no volume, no registry, no `kubectl cp` (which needs a
running container with tar).

    python3 -m loadtests.incluster <locust arguments>      # in the master pod
"""

from __future__ import annotations

import base64
import io
import re
import subprocess
import sys
import tarfile
from pathlib import Path

from loadtests.command import locust_command

BEGIN = "----- BEGIN LOADTEST REPORTS -----"
END = "----- END LOADTEST REPORTS -----"
EXIT_LINE = "LOADTEST EXIT CODE:"
REPORTS = Path("/tmp/reports")  # /tmp is the pod's emptyDir: the root filesystem is read-only


def master(locust_args: list[str], reports: Path = REPORTS) -> int:
    reports.mkdir(parents=True, exist_ok=True)
    code = subprocess.run(locust_command(reports=reports, extra=locust_args)).returncode
    sys.stdout.flush()
    print(BEGIN)
    print(pack(reports))
    print(END)
    print(f"{EXIT_LINE} {code}", flush=True)
    return code


def pack(folder: Path) -> str:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for path in sorted(folder.iterdir()):
            archive.add(path, arcname=path.name)
    text = base64.b64encode(buffer.getvalue()).decode()
    return "\n".join(text[i : i + 76] for i in range(0, len(text), 76))


def unpack(log: str, out: Path) -> int:
    """Extract the reports of a master's log into `out`; returns the master's exit code."""
    match = re.search(rf"^{re.escape(BEGIN)}\n(.*?)\n{re.escape(END)}$", log, re.S | re.M)
    code = re.search(rf"^{re.escape(EXIT_LINE)} (\d+)$", log, re.M)
    if not match or not code:
        raise ValueError(
            "the master's log has no report bundle: it did not finish (see the log and the "
            "cluster evidence in the report folder)"
        )
    with tarfile.open(fileobj=io.BytesIO(base64.b64decode(match.group(1))), mode="r:gz") as archive:
        archive.extractall(out, filter="data")
    return int(code.group(1))


def without_bundle(log: str) -> str:
    """The log as a person wants to read it: the base64 block replaced by one line."""
    return re.sub(
        rf"^{re.escape(BEGIN)}\n.*?\n{re.escape(END)}$",
        "[report bundle: unpacked into the report folder]",
        log,
        flags=re.S | re.M,
    )


if __name__ == "__main__":
    sys.exit(master(sys.argv[1:]))
