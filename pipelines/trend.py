"""The nightly e2e trend: one line of figures per night in a JSON-lines history, and a plot of the history.

    python -m pipelines.trend append <timings.json> <history.jsonl> [--commit SHA] [--run-url URL]
    python -m pipelines.trend plot <history.jsonl> <trend.png>
    python -m pipelines.trend summary <history.jsonl>   # Markdown table of the last nights (the job summary)

A night's figures come from the suite's record (artifacts/e2e/timings.json, e2e/fixtures/timings.py): the suite's
wall time, the claims' outcomes, the scale-out seconds beside the floor that run measured, and every other
number a test records with `phase_timings.figure(name, {...})` (drills, alert delivery), flattened to
`name.key`, so a new figure joins the trend without a change here.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

SCALE_OUT = "scale_out"
SCALE_OUT_SERIES = ("seconds_to_desired_above_min", "seconds_to_new_pods_ready")
FLOOR_FACTOR = 2  # bench/e2e.py's target: scale-out within twice the floor
SUMMARY_NIGHTS = 10


def night(timings: dict, *, commit: str = "", run_url: str = "") -> dict:
    run = timings["run"]
    figures = {}
    for name, values in sorted(timings.get("figures", {}).items()):
        for key, value in sorted(values.items()):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                figures[f"{name}.{key}"] = value
    outcomes = run.get("outcomes", {})
    return {
        "started_utc": run["started_utc"],
        "commit": commit,
        "run_url": run_url,
        "exit_status": run["exit_status"],
        "markers": run.get("markers", ""),
        "suite_seconds": timings["suite_seconds"],
        "passed": outcomes.get("passed", 0),
        "not_passed": sum(count for outcome, count in outcomes.items() if outcome != "passed"),
        "figures": figures,
    }


def append(timings_path: Path, history_path: Path, *, commit: str = "", run_url: str = "") -> dict:
    if not timings_path.is_file():
        raise SystemExit(
            f"pipelines.trend: {timings_path} does not exist: the suite recorded no claim. "
            "Fix: read the e2e step's log; `make e2e` writes it when any test ran"
        )
    record = night(json.loads(timings_path.read_text()), commit=commit, run_url=run_url)
    history_path.parent.mkdir(parents=True, exist_ok=True)
    with history_path.open("a") as history:
        history.write(json.dumps(record, sort_keys=True) + "\n")
    return record


def read_history(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def series(nights: list[dict], key: str) -> list[float]:
    """One value per night; NaN where that night lacks the figure (the line then shows a gap)."""
    return [float(n["figures"].get(key, math.nan)) if "." in key else float(n.get(key, math.nan)) for n in nights]


def other_figures(nights: list[dict]) -> list[str]:
    """Every figure in seconds beyond the scale-out ones: drills, alert delivery, whatever tests add."""
    keys = {key for n in nights for key in n["figures"]}
    return sorted(k for k in keys if not k.startswith(f"{SCALE_OUT}.") and ("second" in k or k.endswith("_s")))


def plot(history_path: Path, out: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")  # no display on a CI runner
    import matplotlib.pyplot as plt

    nights = read_history(history_path)
    if not nights:
        raise SystemExit(f"pipelines.trend: {history_path} holds no night yet. Fix: run `append` first")
    # To the minute: a dispatched rerun is a point of its own.
    x = [n["started_utc"][:16].replace("T", " ") for n in nights]
    panels = 3 + bool(other_figures(nights))
    fig, axes = plt.subplots(panels, 1, figsize=(10, 2.6 * panels), sharex=True)
    axes[0].plot(x, [s / 60 for s in series(nights, "suite_seconds")], marker="o")
    axes[0].set_ylabel("suite (min)")
    axes[0].set_ylim(bottom=0)  # from zero, so a small wobble does not look like a regression
    axes[0].set_title("nightly e2e")
    floor = series(nights, f"{SCALE_OUT}.floor_s")
    for key in SCALE_OUT_SERIES:
        axes[1].plot(x, series(nights, f"{SCALE_OUT}.{key}"), marker="o", label=key.replace("_", " "))
    axes[1].plot(
        x, [FLOOR_FACTOR * f for f in floor], linestyle="--", color="red", label=f"target {FLOOR_FACTOR} x floor"
    )
    axes[1].plot(x, floor, linestyle=":", color="grey", label="floor")
    axes[1].set_ylabel("scale-out (s)")
    axes[1].legend(fontsize="small")
    axes[2].bar(x, series(nights, "not_passed"), color="red")
    axes[2].set_ylabel("claims not passed")
    axes[2].yaxis.get_major_locator().set_params(integer=True)
    if panels == 4:
        for key in other_figures(nights):
            axes[3].plot(x, series(nights, key), marker="o", label=key)
        axes[3].set_ylabel("seconds")
        axes[3].legend(fontsize="small")
    axes[-1].tick_params(axis="x", rotation=45)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=100)
    plt.close(fig)
    return out


def summary(history_path: Path) -> str:
    nights = read_history(history_path)[-SUMMARY_NIGHTS:]
    lines = [
        "| night | suite (min) | scale-out to Ready (s) | 2 x floor (s) | passed | not passed |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for n in reversed(nights):
        ready = n["figures"].get(f"{SCALE_OUT}.seconds_to_new_pods_ready")
        floor = n["figures"].get(f"{SCALE_OUT}.floor_s")
        lines.append(
            f"| {n['started_utc'][:16]} | {n['suite_seconds'] / 60:.1f} | "
            f"{'-' if ready is None else f'{ready:.0f}'} | "
            f"{'-' if floor is None else f'{FLOOR_FACTOR * floor:.0f}'} | "
            f"{n['passed']} | {n['not_passed']} |"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipelines.trend", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("append")
    add.add_argument("timings", type=Path)
    add.add_argument("history", type=Path)
    add.add_argument("--commit", default="")
    add.add_argument("--run-url", default="")
    draw = commands.add_parser("plot")
    draw.add_argument("history", type=Path)
    draw.add_argument("out", type=Path)
    table = commands.add_parser("summary")
    table.add_argument("history", type=Path)
    args = parser.parse_args(argv)
    if args.command == "append":
        print(json.dumps(append(args.timings, args.history, commit=args.commit, run_url=args.run_url)))
    elif args.command == "plot":
        print(plot(args.history, args.out))
    else:
        print(summary(args.history))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
