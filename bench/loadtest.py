"""Requests/s one locust worker process sustains with the stand-in locustfile.

Target 1, always: the stand-in binary on loopback (started here, on a free port).
Target 2, when LOADTEST_BENCH_KIND_URL is set (e.g. http://127.0.0.1:30080 with the kind cluster up):
the stand-in behind the kind NodePort, measured in the same run, printed beside loopback with the ratio.
Targets: >= 2,000 rps, and kind/loopback >= 0.5.
Target 3, when LOADTEST_BENCH_INGRESS_URL is set as well (e.g. http://127.0.0.1:30082, with
LOADTEST_BENCH_INGRESS_HOST the REST API's Ingress host, api.voiceplat.localhost): the same stand-in through the
Ingress controller, printed beside the NodePort with the ratio.

Each target gets one locust process (no --processes), users with no wait (--user-rps 0) asking the
stand-in for no CPU work (--work-ms 0), so locust's own capacity is what is measured. The figure is
the median of locust's 1-s requests/s samples after a warm-up. Writes artifacts/bench/loadtest.json.
"""

from __future__ import annotations

import csv
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from figures import save_figures  # noqa: E402  (bench/ is the script's own folder)
from loadtests.command import standin_command  # noqa: E402
from loadtests.local_standin import StandinProcess, standin_binary  # noqa: E402

USERS = int(os.environ.get("LOADTEST_BENCH_USERS", "32"))
SECONDS = int(os.environ.get("LOADTEST_BENCH_SECONDS", "20"))
WARM_UP_SECONDS = 5
TARGET_RPS = 2000
TARGET_RATIO = 0.5


def sustained_rps(host: str, host_header: str = "") -> dict:
    """Run the stand-in locustfile against `host` in one locust process; the steady requests/s and errors."""
    with tempfile.TemporaryDirectory() as folder:
        prefix = Path(folder) / "bench"
        command = standin_command(
            host,
            users=USERS,
            seconds=SECONDS,
            user_rps=0,
            work_ms=0,
            csv=prefix,
            host_header=host_header,
            extra=["--only-summary"],
        )
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=SECONDS + 60)
        if result.returncode != 0:
            raise SystemExit(
                f"bench-loadtest: locust against {host} exited {result.returncode}:\n{result.stderr[-2000:]}"
            )
        with open(f"{prefix}_stats_history.csv", newline="") as handle:
            rows = [row for row in csv.DictReader(handle) if row["Name"] == "Aggregated"]
        with open(f"{prefix}_stats.csv", newline="") as handle:
            total = next(row for row in csv.DictReader(handle) if row["Name"] == "Aggregated")
    start = int(rows[0]["Timestamp"])
    steady = [float(row["Requests/s"]) for row in rows if int(row["Timestamp"]) - start >= WARM_UP_SECONDS]
    if not steady:
        raise SystemExit(
            f"bench-loadtest: no samples after the {WARM_UP_SECONDS} s warm-up; raise LOADTEST_BENCH_SECONDS"
        )
    return {
        "host": host,
        "rps": round(statistics.median(steady), 1),
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "p50_ms": float(total["50%"]),
        "p99_ms": float(total["99%"]),
    }


def main() -> int:
    with StandinProcess(standin_binary()) as standin:
        loopback = sustained_rps(standin.url)
    figures = {
        "users": USERS,
        "seconds": SECONDS,
        "warm_up_seconds": WARM_UP_SECONDS,
        "loopback": loopback,
        "target_rps": TARGET_RPS,
        "loopback_within_target": loopback["rps"] >= TARGET_RPS,
    }
    print(
        f"bench-loadtest: one locust process, {USERS} users, {SECONDS} s: "
        f"loopback stand-in {loopback['rps']:.0f} rps "
        f"(p50 {loopback['p50_ms']:.0f} ms, p99 {loopback['p99_ms']:.0f} ms, {loopback['failures']} failures); "
        f"target >= {TARGET_RPS}: {'met' if figures['loopback_within_target'] else 'MISSED'}"
    )
    kind_url = os.environ.get("LOADTEST_BENCH_KIND_URL")
    if kind_url:
        kind = sustained_rps(kind_url)
        ratio = kind["rps"] / loopback["rps"] if loopback["rps"] else 0.0
        figures.update(kind_nodeport=kind, ratio=round(ratio, 2), ratio_within_target=ratio >= TARGET_RATIO)
        print(
            f"bench-loadtest: kind NodePort {kind['rps']:.0f} rps beside loopback {loopback['rps']:.0f} rps: "
            f"ratio {ratio:.2f}; target >= {TARGET_RATIO}: {'met' if ratio >= TARGET_RATIO else 'MISSED'}"
        )
        ingress_url = os.environ.get("LOADTEST_BENCH_INGRESS_URL")
        if ingress_url:
            ingress_host = os.environ.get("LOADTEST_BENCH_INGRESS_HOST", "api.voiceplat.localhost")
            ingress = sustained_rps(ingress_url, ingress_host)
            through = ingress["rps"] / kind["rps"] if kind["rps"] else 0.0
            figures.update(kind_ingress=ingress, ingress_to_nodeport_ratio=round(through, 2))
            print(
                f"bench-loadtest: kind Ingress {ingress['rps']:.0f} rps ({ingress['failures']} failures) beside the "
                f"NodePort {kind['rps']:.0f} rps: ratio {through:.2f}"
            )
    else:
        print(
            "bench-loadtest: kind NodePort not measured: set LOADTEST_BENCH_KIND_URL (e.g. http://127.0.0.1:30080) "
            "with the cluster up"
        )
    out = save_figures("loadtest", figures)
    print(f"bench-loadtest: figures in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
