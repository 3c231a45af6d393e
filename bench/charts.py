"""Speed of rendering the charts: every chart x scenario, beside N single renders of the smallest chart.

The figure is the wall time of rendering all N scenarios the way the chart tests do (a few helm processes
at a time); the baseline, measured in the same run, is N times the median time of one `helm template` of
the smallest chart. Their ratio says what the charts' own templates cost over helm's start-up.
Target: all scenarios in <= 10 s. Writes artifacts/bench/charts.json.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "charts")]

import chartkit  # noqa: E402
from figures import save_figures  # noqa: E402  (bench/ is the script's own folder)

TARGET_SECONDS = 10.0
BASELINE_SAMPLES = 7


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def smallest(scenarios: list[chartkit.Scenario]) -> chartkit.Scenario:
    """The scenario with the shortest render (ci-minimal of the smallest chart, as it happens)."""
    return min(scenarios, key=lambda s: len(chartkit.render(s)))


def main() -> int:
    scenarios = chartkit.all_scenarios()
    small = smallest(scenarios)  # also warms the page cache for helm and the charts
    single = statistics.median(timed(lambda: chartkit.render(small)) for _ in range(BASELINE_SAMPLES))
    total = timed(lambda: chartkit.render_many(scenarios))
    sequential = timed(lambda: chartkit.render_many(scenarios, workers=1))
    baseline = single * len(scenarios)
    figures = {
        "scenarios": len(scenarios),
        "charts": len(chartkit.CHARTS),
        "workers": chartkit.WORKERS,
        "render_all_seconds": round(total, 3),
        "render_all_sequential_seconds": round(sequential, 3),
        "single_smallest_seconds": round(single, 4),
        "smallest": small.id,
        "baseline_n_x_single_seconds": round(baseline, 3),
        "ratio_to_baseline": round(total / baseline, 2),
        "sequential_ratio_to_baseline": round(sequential / baseline, 2),
        "target_seconds": TARGET_SECONDS,
        "within_target": total <= TARGET_SECONDS,
    }
    out = save_figures("charts", figures)
    print(
        f"bench-charts: {len(scenarios)} chart x scenario renders in {total:.2f} s with {chartkit.WORKERS} workers "
        f"({sequential:.2f} s one at a time); target <= {TARGET_SECONDS:.0f} s: "
        f"{'met' if figures['within_target'] else 'MISSED'}"
    )
    print(
        f"bench-charts: baseline {len(scenarios)} x one render of {small.id} ({single * 1000:.0f} ms) "
        f"= {baseline:.2f} s; "
        f"ratio {figures['ratio_to_baseline']} (one at a time: {figures['sequential_ratio_to_baseline']})"
    )
    print(f"bench-charts: figures in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
