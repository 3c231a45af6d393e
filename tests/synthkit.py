"""Helpers of the stack tests: synthesize one construct in a bare stack, or run the real app.

Construct tests build one construct in a bare stack (`construct_json`) and assert with
`Testing.to_have_resource_with_properties`. App tests read the stacks `main.py` synthesizes in one
subprocess per cloud (`all_stacks`), which is also how they see which provider bindings a synth loads.
"""

import atexit
import contextlib
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cdktf import TerraformStack, Testing

from contract import settings

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Synth:
    """A synthesized bare stack: the JSON text Testing assertions take, the parsed document, and the
    construct under test (for the attributes it exposes)."""

    text: str
    construct: object = None

    @functools.cached_property
    def doc(self) -> dict:
        return json.loads(self.text)

    def has(self, resource_type: str, properties: dict) -> bool:
        return Testing.to_have_resource_with_properties(self.text, resource_type, properties)

    def resources(self, resource_type: str) -> list[dict]:
        return list(self.doc.get("resource", {}).get(resource_type, {}).values())

    def ref(self, resource_type: str, attribute: str) -> str:
        """The interpolation that refers to `attribute` of the only resource of that type."""
        (name,) = self.doc["resource"][resource_type]
        return f"${{{resource_type}.{name}.{attribute}}}"

    def one(self, resource_type: str) -> dict:
        found = self.resources(resource_type)
        assert len(found) == 1, f"expected one {resource_type}, found {len(found)}"
        return found[0]


@contextlib.contextmanager
def temporary_app():
    """cdktf's Testing.app(), whose output folder (a new one under the temp dir for each app, which cdktf never
    removes) goes when the block ends."""
    app = Testing.app()
    try:
        yield app
    finally:
        shutil.rmtree(app.outdir, ignore_errors=True)


def construct_json(build) -> Synth:
    """Calls `build(stack)` on a bare stack and synthesizes it; `build` returns the construct under test."""
    with temporary_app() as app:
        stack = TerraformStack(app, "test")
        construct = build(stack)
        return Synth(Testing.synth(stack), construct)


# Reports, after main.py ran, which provider binding packages the process imported, and which of their modules.
_REPORTING_MAIN = """
import json, runpy, sys
runpy.run_path("main.py", run_name="__main__")
modules = sorted(name for name in sys.modules if name.startswith("cdktf_cdktf_provider_"))
print("LOADED=" + json.dumps(sorted({name.split(".")[0] for name in modules})))
print("MODULES=" + json.dumps(modules))
"""


@dataclass(frozen=True)
class AppRun:
    stacks: tuple[str, ...]
    outdir: Path
    loaded_bindings: tuple[str, ...]
    loaded_modules: tuple[str, ...] = ()  # every module of the binding packages, e.g. `<package>.namespace_v1`

    def stack_json(self, name: str) -> dict:
        return json.loads((self.outdir / "stacks" / name / "cdk.tf.json").read_text())

    def manifest_stacks(self) -> dict:
        return json.loads((self.outdir / "manifest.json").read_text())["stacks"]


def _start(stacks: tuple[str, ...], outdir: Path) -> subprocess.Popen:
    env = dict(os.environ, **{settings.STACKS.name: ",".join(stacks)}, CDKTF_OUTDIR=str(outdir))
    return subprocess.Popen(
        [sys.executable, "-c", _REPORTING_MAIN],
        cwd=ROOT,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


# One run per cloud, so each run shows which bindings its cloud alone needs.
CLOUD_GROUPS = (
    ("local",),
    (
        "preview-eu",
        "prod-eu",
        "prod-us",
        "state-aws-eu-west-1",
        "state-aws-us-east-1",
        "runner-aws-eu-west-1",
        "runner-aws-us-east-1",
        "global-aws",
    ),
    (
        "preview-eu-az",
        "prod-eu-az",
        "prod-us-az",
        "state-azure-westeurope",
        "state-azure-eastus",
        "runner-azure-westeurope",
        "runner-azure-eastus",
        "global-azure",
    ),
)
_started: dict[tuple[str, ...], tuple[subprocess.Popen, Path]] = {}


def start_app_runs() -> None:
    """Starts main.py once per cloud group in the background. Test modules that need the runs call this
    when pytest imports them, so the runs overlap the in-process tests instead of adding to them."""
    if _started:
        return
    base = Path(tempfile.mkdtemp(prefix="voiceplat-synth-"))
    for group in CLOUD_GROUPS:
        _started[group] = (_start(group, base / "-".join(group)), base / "-".join(group))
    atexit.register(_clean_up, base)


def _clean_up(base: Path) -> None:
    for process, _ in _started.values():
        if process.poll() is None:
            process.kill()
            process.wait()
    shutil.rmtree(base, ignore_errors=True)


@functools.cache
def all_stacks() -> dict[str, "AppRun"]:
    """Every environment's stack, synthesized by main.py: stack name -> the run that made it."""
    start_app_runs()
    stacks = {}
    for group, (process, outdir) in _started.items():
        stdout, stderr = process.communicate(timeout=900)
        assert process.returncode == 0, f"main.py failed for {group}:\n{stderr[-4000:]}"
        report = {
            key: json.loads(value)
            for key, _, value in (
                line.partition("=") for line in stdout.splitlines() if line.startswith(("LOADED=", "MODULES="))
            )
        }
        run = AppRun(group, outdir, tuple(report["LOADED"]), tuple(report["MODULES"]))
        stacks.update(dict.fromkeys(group, run))
    return stacks
