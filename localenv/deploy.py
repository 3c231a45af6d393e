"""`cdktf deploy local` onto a kind cluster, from Python: `make deploy`/`make up` and the e2e suite call it.

The runner sits above both `stacks/` (what is deployed) and `bootstrap/` (the tools it runs with).

    deploy_local(kubeconfig, context) -> seconds   # the platform on that cluster, every Deployment Available
    destroy_local(kubeconfig, context) -> seconds  # removes what deploy_local installed

It runs the real CLI with no registry access: OpenTofu and the helm/kubernetes providers that `make tools`
built (TERRAFORM_BINARY_NAME, TF_CLI_CONFIG_FILE pointing at the provider mirror, `--skip-provider-lock`).
The local stack reads its target from the local-cluster variables of `contract` (stacks/environments/aim.py). `make up`'s cluster keeps its state in the project (terraform.local.tfstate) and synthesizes
into cdktf.out, like a plain `cdktf deploy local`; any other cluster gets a folder of its own under
$VOICEPLAT_CACHE/deploy/<context>/ (state, synth output, deploy log), so runs never share state.
"""
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

import contract
from contract import tools
from bootstrap.kubeapi import ClusterApi
from bootstrap.terraform import deploy_env
from bootstrap.toolchain import load_toolchain
from stacks.environments import ENVIRONMENTS, aimed

ROOT = Path(__file__).resolve().parents[1]
CDKTF = ROOT / "node_modules" / ".bin" / "cdktf"
NO_CHANGES = "No changes. Your infrastructure matches the configuration."
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# cdktf's progress lines (spinner, stack counters) carry nothing a log reader needs.
_PROGRESS = re.compile(r"^\s*([⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]\s|\d+ Stacks? deploying|\d+ Stacks? destroying)")
# What `echo` shows of OpenTofu's output: what happens to each resource, the verdict, and errors.
_ECHOED = re.compile(r"(Creating\.\.\.|Creation complete|Modifying\.\.\.|Modifications complete|Destroying\.\.\.|"
                     r"Destruction complete|Still |Plan:|Apply complete|Destroy complete|No changes\.|Error|│)")


class LocalDeployError(RuntimeError):
    """The deploy could not run or failed; the message says why and what to do."""


@dataclass(frozen=True)
class Target:
    kubeconfig: str
    context: str

    @classmethod
    def default(cls) -> "Target":
        cluster = aimed(ENVIRONMENTS["local"], os.environ).cluster
        return cls(str(Path(cluster.kubeconfig_path).expanduser()), cluster.kubeconfig_context)

    @property
    def cluster(self) -> str:
        """The kind cluster behind the context."""
        return self.context.removeprefix("kind-")

    @property
    def is_default(self) -> bool:
        default = Target.default()
        return self.context == default.context and Path(self.kubeconfig).expanduser() == Path(default.kubeconfig)

    @property
    def work_dir(self) -> Path:
        if self.is_default:
            return ROOT
        return tools.cache_dir() / "deploy" / re.sub(r"[^A-Za-z0-9_.-]", "_", self.context)

    @property
    def outdir(self) -> Path:
        return self.work_dir / "cdktf.out"

    @property
    def log(self) -> Path:
        return (ROOT / "artifacts" / "deploy" if self.is_default else self.work_dir) / "deploy.log"


@dataclass(frozen=True)
class DeployRun:
    seconds: float
    changed: bool  # False when OpenTofu found nothing to change
    log: Path


def check_cluster(target: Target) -> None:
    """Fails with how to start a cluster unless the context exists and its API server answers."""
    path = Path(target.kubeconfig).expanduser()
    if not path.is_file():
        raise LocalDeployError(f"no kubeconfig at {path}, so no kind cluster to deploy to. Fix: {contract.START_THE_LOCAL_CLUSTER}")
    contexts = [c["name"] for c in (yaml.safe_load(path.read_text()) or {}).get("contexts") or []]
    if target.context not in contexts:
        raise LocalDeployError(f"{path} has no context {target.context} (it has: {', '.join(contexts) or 'none'}), "
                               f"so no kind cluster runs there. Fix: {contract.START_THE_LOCAL_CLUSTER}")
    ready, seen = ClusterApi(target.context, str(path)).readyz(timeout=10)
    if not ready:
        raise LocalDeployError(f"the API server of {target.context} does not answer ({seen}). "
                               f"Fix: {contract.START_THE_LOCAL_CLUSTER}; `docker ps` shows whether its nodes run")


def cdktf_env(target: Target) -> dict:
    chain = load_toolchain()
    env = deploy_env(chain.tofu, chain.tf_cli_config)
    if not chain.tf_cli_config:
        env.pop("TF_CLI_CONFIG_FILE", None)  # online: providers come from the registry
    env.update({contract.LOCAL_CLUSTER_VARIABLE: target.cluster,
                contract.LOCAL_KUBECONFIG_VARIABLE: str(Path(target.kubeconfig).expanduser())})
    env.update(VOICEPLAT_STACKS="local", VOICEPLAT_STATE_DIR=str(target.work_dir),
               JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="20", CI="1")
    return env


def run_cdktf(action: str, target: Target, *, echo: bool = False) -> DeployRun:
    """`cdktf <action> local` against the target; its filtered output goes to the target's log (and stderr)."""
    if not CDKTF.exists():
        raise LocalDeployError(f"{CDKTF} is missing. Fix: run `make node` (npm ci of the pinned cdktf-cli)")
    check_cluster(target)
    target.log.parent.mkdir(parents=True, exist_ok=True)
    command = [str(CDKTF), action, "local", "--auto-approve", "--skip-provider-lock", "--output", str(target.outdir)]
    started = time.monotonic()
    lines = []
    with subprocess.Popen(command, cwd=ROOT, env=cdktf_env(target), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True) as process, open(target.log, "w") as log:
        for raw in process.stdout:
            line = _ANSI.sub("", raw).rstrip()
            if not line.strip() or _PROGRESS.match(line):
                continue
            lines.append(line)
            log.write(line + "\n")
            if echo and _ECHOED.search(line):
                print(line, file=sys.stderr, flush=True)
    seconds = time.monotonic() - started
    if process.returncode != 0:
        errors = error_blocks(lines) or lines[-40:]
        raise LocalDeployError(f"`cdktf {action} local` on {target.context} failed after {seconds:.0f}s "
                               f"(full log: {target.log}):\n" + "\n".join(errors[-40:]))
    return DeployRun(seconds=seconds, changed=not any(NO_CHANGES in line for line in lines), log=target.log)


def error_blocks(lines: list[str]) -> list[str]:
    """The `│ Error: ...` boxes of OpenTofu's output (warnings left out), line by line."""
    kept, inside = [], False
    for line in lines:
        body = line.split("│", 1)[1].strip() if "│" in line else None
        if body is not None and body.startswith(("Error:", "Warning:")):
            inside = body.startswith("Error:")
        elif body is None:
            inside = False
        if inside and body is not None:
            kept.append(body)
    return kept


def deploy_local(kubeconfig: str, context: str, *, echo: bool = False) -> float:
    """Deploys the local stack onto the cluster of `context` in `kubeconfig`; returns the wall seconds.
    Raises LocalDeployError naming the problem (no cluster: how to start one; a chart error: its message)."""
    return run_cdktf("deploy", Target(kubeconfig, context), echo=echo).seconds


def destroy_local(kubeconfig: str, context: str, *, echo: bool = False) -> float:
    """Removes what deploy_local installed, then the cluster's state folder (not the project's own state)."""
    target = Target(kubeconfig, context)
    seconds = run_cdktf("destroy", target, echo=echo).seconds
    if not target.is_default:
        shutil.rmtree(target.work_dir, ignore_errors=True)
    return seconds
