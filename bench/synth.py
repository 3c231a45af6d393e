"""Speed of synthesizing one AWS environment (prod-eu), beside the floor and a naive baseline.

- floor: node + jsii + `import cdktf_cdktf_provider_aws`, the least any AWS synth must pay;
- synth: `main.py` restricted to prod-eu (VOICEPLAT_STACKS=prod-eu), what `cdktf synth` runs: the AWS and helm
  bindings, and of the kubernetes ones the assembly and the modules the stacks use (stacks/delivery/cluster_objects.py);
- naive: the same synth in a process that first imports every provider's bindings (aws, azurerm,
  helm, kubernetes), as an app that imports them all at the top would.
Rounds interleave the three so machine load hits them alike; figures are medians. One `cdktf synth`
through the CLI is timed too, for what a user waits. Peak RSS is the largest process (python or node).
Target: synth <= 1.3 x floor. Writes artifacts/bench/synth.json.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from figures import save_figures  # bench/ is the script's own folder

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from contract import settings, tools  # noqa: E402

TARGET_RATIO = 1.3
ROUNDS = int(os.environ.get("BENCH_SYNTH_ROUNDS", "3"))
STACK = "prod-eu"
ALL_BINDINGS = (
    "cdktf_cdktf_provider_aws",
    "cdktf_cdktf_provider_azurerm",
    "cdktf_cdktf_provider_helm",
    "cdktf_cdktf_provider_kubernetes",
)

# Runs a command and prints the peak RSS (KiB) of its largest process, for the memory column.
_PEAK_RSS = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def commands(outdir: Path) -> dict[str, list[str]]:
    python = sys.executable
    run_main = "import runpy; runpy.run_path('main.py', run_name='__main__')"
    return {
        "floor": [python, "-c", "import cdktf, cdktf_cdktf_provider_aws"],
        "synth": [python, "main.py"],
        "naive": [python, "-c", "".join(f"import {name}; " for name in ALL_BINDINGS) + run_main],
        "cli": [tools.cdktf(), "synth", "--output", str(outdir / "cli")],
    }


def measure(command: list[str], env: dict) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _PEAK_RSS, *command], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return time.perf_counter() - start, int(done.stdout.strip().splitlines()[-1])


def main() -> int:
    outdir = Path(tempfile.mkdtemp(prefix="bench-synth-"))
    env = dict(
        os.environ,
        **{settings.STACKS.name: STACK},
        CDKTF_OUTDIR=str(outdir / "app"),
        CHECKPOINT_DISABLE="1",
    )
    runs = commands(outdir)
    samples: dict[str, list[tuple[float, int]]] = {name: [] for name in ("floor", "synth", "naive")}
    measure(runs["floor"], env)  # warm the page cache and the .pyc files before the first round
    for _ in range(ROUNDS):
        for name in samples:
            samples[name].append(measure(runs[name], env))
    cli_seconds, cli_rss = measure(runs["cli"], env)
    assert (outdir / "cli" / "stacks" / STACK / "cdk.tf.json").exists(), "cdktf synth wrote no prod-eu stack"
    shutil.rmtree(outdir)

    seconds = {name: statistics.median(s for s, _ in values) for name, values in samples.items()}
    rss = {name: max(r for _, r in values) for name, values in samples.items()}
    seconds["cli"], rss["cli"] = cli_seconds, cli_rss
    floor = seconds["floor"]
    ratio = {name: value / floor for name, value in seconds.items()}
    figures = {
        "stack": STACK,
        "rounds": ROUNDS,
        "seconds": {name: round(value, 2) for name, value in seconds.items()},
        "ratio_to_floor": {name: round(value, 2) for name, value in ratio.items()},
        "peak_rss_mib": {name: round(value / 1024) for name, value in rss.items()},
        "target_ratio": TARGET_RATIO,
        "within_target": ratio["synth"] <= TARGET_RATIO,
    }
    out = save_figures("synth", figures)

    labels = {
        "floor": "floor: node + jsii + AWS bindings import",
        "synth": f"synth {STACK} (main.py, AWS + used k8s modules)",
        "naive": f"naive: synth {STACK} importing every provider",
        "cli": f"cdktf synth {STACK} (CLI, one sample)",
    }
    print(f"bench-synth: median of {ROUNDS} interleaved rounds, same run")
    for name, label in labels.items():
        print(f"  {label:<48} {seconds[name]:6.2f} s  {ratio[name]:5.2f}x floor  peak RSS {rss[name] / 1024:6.0f} MiB")
    verdict = "met" if figures["within_target"] else "MISSED"
    print(
        f"bench-synth: synth/floor {ratio['synth']:.2f} (target <= {TARGET_RATIO}: {verdict}); "
        f"naive/synth {seconds['naive'] / seconds['synth']:.2f}; figures in {out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
