"""A PNG of a run over time, from locust's `<prefix>_stats_history.csv`: requests/s and users, latency
percentiles, failures. `python -m loadtests.plot <stats_history.csv> <out.png>`.
"""

from __future__ import annotations

import csv
import sys
from datetime import UTC, datetime
from pathlib import Path

PERCENTILES = ("50%", "95%", "99%")


def read_history(path: Path) -> tuple[int, dict[str, list[float]]]:
    """The start (epoch seconds) and the aggregated rows of a stats history CSV as columns; percentiles are
    NaN before any response."""
    columns: dict[str, list[float]] = {
        "seconds": [],
        "users": [],
        "rps": [],
        "failures_per_s": [],
        **{p: [] for p in PERCENTILES},
    }
    with path.open(newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row.get("Name") == "Aggregated"]
    if not rows:
        raise ValueError(
            f"{path} has no Aggregated rows: was it written by locust --csv, and did the run send requests?"
        )
    start = int(rows[0]["Timestamp"])
    for row in rows:
        columns["seconds"].append(int(row["Timestamp"]) - start)
        columns["users"].append(float(row["User Count"]))
        columns["rps"].append(float(row["Requests/s"]))
        columns["failures_per_s"].append(float(row["Failures/s"]))
        for p in PERCENTILES:
            columns[p].append(float(row[p]) if row[p] not in ("N/A", "") else float("nan"))
    return start, columns


def plot(history_csv: Path, out_png: Path, *, title: str = "") -> Path:
    import matplotlib

    matplotlib.use("Agg")  # files only: no display on CI or in pods
    import matplotlib.pyplot as plt

    start, data = read_history(history_csv)
    started = datetime.fromtimestamp(start, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    fig, (load, latency, errors) = plt.subplots(3, 1, figsize=(10, 9), sharex=True)
    fig.suptitle(f"{title or history_csv.stem} - started {started}")

    load.plot(data["seconds"], data["rps"], label="requests/s", color="tab:blue")
    load.set_ylabel("requests/s")
    users = load.twinx()
    users.plot(data["seconds"], data["users"], label="users", color="tab:gray", linestyle="--")
    users.set_ylabel("users")
    load.legend(loc="upper left")
    users.legend(loc="upper right")

    for p, color in zip(PERCENTILES, ("tab:green", "tab:orange", "tab:red"), strict=True):
        latency.plot(data["seconds"], data[p], label=f"p{p.rstrip('%')}", color=color)
    latency.set_ylabel("latency (ms)")
    latency.legend(loc="upper left")

    errors.plot(data["seconds"], data["failures_per_s"], label="failures/s", color="tab:red")
    errors.set_ylabel("failures/s")
    errors.set_xlabel("seconds since start")
    errors.legend(loc="upper left")

    for axis in (load, latency, errors):
        axis.grid(alpha=0.3)
    fig.tight_layout()
    out_png.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out_png, dpi=100)
    plt.close(fig)
    return out_png


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m loadtests.plot <stats_history.csv> <out.png>")
    print(plot(Path(sys.argv[1]), Path(sys.argv[2])))
