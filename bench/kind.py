"""Figures of the offline kind toolchain, each beside its baseline or target, measured in this run.

- warm `make tools` (everything cached) beside its target (<= 120 s);
- the last cold build `make tools` recorded (a run that compiled Kubernetes) beside its target (<= 60 min);
- `kind create cluster` of the project's 3 nodes beside a 1-node cluster from the same image, and of the 5-node
  faults topology (`make e2e-faults`), all created and deleted in this run (target <= 60 s for the 3 nodes);
- disk used by the caches.
Writes artifacts/bench/kind.json.
"""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bootstrap.cache import cache_dir  # noqa: E402
from bootstrap.cluster import FAULTS_TOPOLOGY, kind_config  # noqa: E402
from bootstrap.toolchain import load_toolchain  # noqa: E402
from contract.tools import tool  # noqa: E402
from figures import save_figures  # noqa: E402  (bench/ is the script's own folder)

COLD_MARKER = "go build kube-apiserver"


def timed(cmd: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def last_cold_build() -> dict | None:
    runs = cache_dir() / "tools-runs.jsonl"
    cold = [json.loads(line) for line in runs.read_text().splitlines() if COLD_MARKER in line] if runs.exists() else []
    return cold[-1] if cold else None


def create_seconds(kind: str, image: str, config: dict) -> float:
    name = config["name"]
    with tempfile.NamedTemporaryFile("w", suffix=".yaml") as file:
        yaml.safe_dump(config, file)
        file.flush()
        try:
            return timed(
                [
                    kind,
                    "create",
                    "cluster",
                    "--name",
                    name,
                    "--config",
                    file.name,
                    "--image",
                    image,
                    "--kubeconfig",
                    file.name + ".kubeconfig",
                ]
            )
        finally:
            subprocess.run([kind, "delete", "cluster", "--name", name], capture_output=True)


def disk_usage() -> dict:
    sizes = {}
    for sub in sorted(p for p in cache_dir().iterdir() if p.is_dir()):
        out = subprocess.run(["du", "-sm", str(sub)], capture_output=True, text=True).stdout.split()
        sizes[sub.name] = int(out[0]) if out else 0
    images = subprocess.run(
        ["docker", "images", "--format", "{{.Repository}}:{{.Tag}} {{.Size}}"], capture_output=True, text=True
    ).stdout.splitlines()
    sizes["docker images of ours (count, not MB)"] = sum(
        1 for line in images if line.startswith(("voiceplat/", "registry.k8s.io/"))
    )
    return sizes


def main() -> int:
    chain = load_toolchain()
    warm = timed([sys.executable, "-m", "bootstrap", "tools"])
    cold = last_cold_build()
    suffix = secrets.token_hex(2)
    three = kind_config(f"bench-three-{suffix}")
    five = kind_config(f"bench-five-{suffix}", topology=FAULTS_TOPOLOGY)
    for config in (three, five):
        del config["nodes"][0]["extraPortMappings"]  # the host ports may belong to a running local cluster
    one = {
        "kind": "Cluster",
        "apiVersion": "kind.x-k8s.io/v1alpha4",
        "name": f"bench-one-{suffix}",
        "networking": three["networking"],
        "nodes": [{"role": "control-plane"}],
    }
    create_three = create_seconds(tool("kind"), chain.node_image, three)
    create_one = create_seconds(tool("kind"), chain.node_image, one)
    create_five = create_seconds(tool("kind"), chain.node_image, five)
    usage = disk_usage()

    print("offline kind toolchain (bench/kind.py)")
    print(f"  make tools, warm:                {warm:8.1f} s   target <= 120 s   {'met' if warm <= 120 else 'MISSED'}")
    if cold:
        minutes = cold["total_seconds"] / 60
        print(
            f"  make tools, cold (run {cold['started']}): {minutes:5.1f} min target <= 60 min  "
            f"{'met' if minutes <= 60 else 'MISSED'}; warm/cold = {warm / cold['total_seconds']:.4f}"
        )
    else:
        print("  make tools, cold: no cold build recorded in this cache (delete the cache and run `make tools`)")
    print(
        f"  kind create, 3 nodes:            {create_three:8.1f} s   target <= 60 s    "
        f"{'met' if create_three <= 60 else 'MISSED'}"
    )
    print(f"  kind create, 1 node (baseline):  {create_one:8.1f} s   ratio 3/1 = {create_three / create_one:.2f}")
    print(f"  kind create, 5 nodes (faults):   {create_five:8.1f} s   ratio 5/3 = {create_five / create_three:.2f}")
    print("  cache disk use (MB): " + ", ".join(f"{k} {v}" for k, v in usage.items()))
    out = save_figures(
        "kind",
        {
            "tools_warm_seconds": round(warm, 1),
            "tools_cold": cold,
            "kind_create_3_nodes_seconds": round(create_three, 1),
            "kind_create_1_node_seconds": round(create_one, 1),
            "kind_create_5_nodes_seconds": round(create_five, 1),
            "cache_megabytes": usage,
        },
    )
    print(f"bench-kind: figures in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
