"""`cdktf deploy local` onto a kind cluster, from Python: `make deploy`/`make up` and the e2e suite call it.

The runner sits above both `stacks/` (what is deployed) and `bootstrap/` (the tools it runs with).

    deploy_local(kubeconfig, context) -> seconds   # the platform on that cluster, every Deployment Available
    run_cdktf("deploy" | "destroy", Target(...))   # the same, saying whether anything changed

It synthesizes with the real cdktf CLI and applies with OpenTofu, with no registry access: OpenTofu and the
helm and kubernetes providers `make tools` built (TERRAFORM_BINARY_NAME, TF_CLI_CONFIG_FILE pointing at the provider
mirror). `cdktf deploy local` does the same steps; running them here lets the plan's exit code say whether
anything changed (bootstrap/tofu.py, the project's one OpenTofu runner).
The runner hands synthesis its target as one value (contract.settings.LocalTarget: cluster, kubeconfig, delivery,
chart values), which the local stack parses with the same parsers (stacks/app.py, stacks/environments/aim.py).
`make up`'s cluster keeps its state in the project (terraform.local.tfstate) and synthesizes into cdktf.out,
like a plain `cdktf deploy local`; any other cluster gets a folder of its own under
$VOICEPLAT_CACHE/deploy/<context>/ (state, synth output, deploy log), so runs never share state.
"""

import re
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

import contract
from bootstrap.kubeapi import ClusterApi
from bootstrap.progress import execute
from bootstrap.terraform import deploy_env
from bootstrap.tofu import Tofu, TofuFailed
from bootstrap.toolchain import load_toolchain
from bootstrap.waiting import WaitTimeout
from contract import settings, tools
from stacks.delivery.local_values import read_local_values
from stacks.delivery.project_charts import PROJECT_CHARTS
from stacks.environments import ENVIRONMENTS, ConfigError, Delivery, aimed

from .gitops import GitOpsError, check_argocd, deployed_commit, push_working_tree, wait_synced

# GitOps delivery: from the push to every Application Synced and Healthy. ArgoCD sees the commit within its
# refresh period on kind (bootstrap/gitops.py RECONCILIATION, 15 s), then applies and waits for the rollouts.
SYNCED_WITHIN_S = 240

ROOT = Path(__file__).resolve().parents[1]
SYNTH_TAIL_LINES = 40  # of `cdktf synth`'s output, in the error when it fails (all of it is in the log)


class LocalDeployError(RuntimeError):
    """The deploy could not run or failed; the message says why and what to do."""


@dataclass(frozen=True)
class Target:
    kubeconfig: str
    context: str

    @classmethod
    def default(cls) -> "Target":
        """The cluster settings.CLUSTER and settings.KUBECONFIG name (the local environment's own by default)."""
        local = settings.LocalTarget(cluster=settings.CLUSTER.read(), kubeconfig=settings.KUBECONFIG.read())
        cluster = aimed(ENVIRONMENTS["local"], local).cluster
        return cls(str(Path(cluster.kubeconfig_path).expanduser()), cluster.kubeconfig_context)

    @property
    def cluster(self) -> str:
        """The kind cluster behind the context."""
        return self.context.removeprefix(contract.KIND_CONTEXT_PREFIX)

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
    changed: bool  # False when OpenTofu found nothing to change (and, delivering by GitOps, the commit is the same)
    log: Path
    commit: str = ""  # GitOps delivery: the commit of the working tree's charts ArgoCD now runs


def check_cluster(target: Target) -> None:
    """Fails with how to start a cluster unless the context exists and its API server answers."""
    path = Path(target.kubeconfig).expanduser()
    if not path.is_file():
        raise LocalDeployError(
            f"no kubeconfig at {path}, so no kind cluster to deploy to. Fix: {contract.START_THE_LOCAL_CLUSTER}"
        )
    contexts = [c["name"] for c in (yaml.safe_load(path.read_text()) or {}).get("contexts") or []]
    if target.context not in contexts:
        raise LocalDeployError(
            f"{path} has no context {target.context} (it has: {', '.join(contexts) or 'none'}), "
            f"so no kind cluster runs there. Fix: {contract.START_THE_LOCAL_CLUSTER}"
        )
    ready, seen = ClusterApi(target.context, str(path)).readyz(timeout=10)
    if not ready:
        raise LocalDeployError(
            f"the API server of {target.context} does not answer ({seen}). "
            f"Fix: {contract.START_THE_LOCAL_CLUSTER}; `docker ps` shows whether its nodes run"
        )


def local_target(target: Target, *, values: Path | None = None, delivery: str | None = None) -> settings.LocalTarget:
    """What the local stack is synthesized for: the target's cluster, `delivery` (None: settings.DELIVERY) and
    `values` (None: none; a developer's VOICEPLAT_LOCAL_VALUES reaches only the runs that pass it, `make deploy` and
    `make up`), with the values checked against the charts' schemas here, before anything is applied."""
    try:
        local = settings.LocalTarget(
            cluster=target.cluster,
            kubeconfig=str(Path(target.kubeconfig).expanduser()),
            values=values,
            delivery=settings.DELIVERY.read() if delivery is None else delivery,
        )
        if local.values:
            read_local_values(local.values, aimed(ENVIRONMENTS["local"], local))
    except (settings.SettingError, ConfigError) as error:
        raise LocalDeployError(str(error)) from None
    return local


def cdktf_env(target: Target, local: settings.LocalTarget) -> dict:
    """The environment of the synth and OpenTofu: the local target as its one variable (the plain ones, which it
    replaces, left out), the local stack alone."""
    chain = load_toolchain()
    env = deploy_env(tools.tool("tofu"), chain.tf_cli_config)
    if not chain.tf_cli_config:
        env.pop("TF_CLI_CONFIG_FILE", None)  # online: providers come from the registry
    for part in settings.TARGET_PARTS.values():
        env.pop(part.name, None)
    env.update(settings.local_target_env(local))
    env.update({settings.STACKS.name: "local"}, CI="1")
    return env


def run_cdktf(
    action: str, target: Target, *, echo: bool = False, values: Path | None = None, delivery: str | None = None
) -> DeployRun:
    """`cdktf synth` of the local stack, then OpenTofu converges it onto the target (`action`: deploy or destroy):
    what `cdktf deploy local` does, with the plan's exit code saying whether anything changed. `values`: a YAML
    file of values per project chart (its name -> values), each given last (settings.LOCAL_VALUES); `delivery`:
    helm or gitops (default: settings.DELIVERY). OpenTofu's messages go to the target's log (and the resources'
    progress to stderr with `echo`)."""
    local = local_target(target, values=values, delivery=delivery)
    try:
        cdktf = tools.cdktf()
        check_cluster(target)
        env, started = cdktf_env(target, local), time.monotonic()
    except tools.ToolMissing as missing:
        raise LocalDeployError(str(missing)) from None
    target.log.parent.mkdir(parents=True, exist_ok=True)
    gitops = action == "deploy" and aimed(ENVIRONMENTS["local"], local).delivery is Delivery.GITOPS
    # Synthesis first: whatever it refuses is refused before the push, which ArgoCD would deliver.
    synth = execute([cdktf, "synth", "--output", str(target.outdir)], step_name="cdktf synth local", cwd=ROOT, env=env)
    if synth.code != 0:
        target.log.write_text(synth.stdout + synth.stderr)
        raise LocalDeployError(
            f"`cdktf synth` of the local stack failed (log: {target.log}):\n" + synth.tail(SYNTH_TAIL_LINES)
        )
    commit = pushed_before = ""
    if gitops:
        api = ClusterApi(target.context, str(Path(target.kubeconfig).expanduser()))
        try:
            check_argocd(api)
            pushed_before = deployed_commit(api)
            commit = push_working_tree(target.cluster)
        except GitOpsError as error:
            raise LocalDeployError(str(error)) from None
    tofu = Tofu(env["TERRAFORM_BINARY_NAME"], target.outdir / "stacks" / "local", env, echo=echo)
    try:
        changed = tofu.converge(destroy=action == "destroy")
    except TofuFailed as failed:
        raise LocalDeployError(
            f"`cdktf {action} local` on {target.context} failed after "
            f"{time.monotonic() - started:.0f}s at `tofu {failed.step}` (log: {target.log}):\n"
            + "\n".join(failed.errors[-40:])
        ) from None
    finally:
        target.log.write_text("\n".join(tofu.messages.log) + "\n")
    if gitops:
        try:
            wait_synced(api, commit, count=len(PROJECT_CHARTS), timeout=SYNCED_WITHIN_S)
        except WaitTimeout as timeout:
            raise LocalDeployError(
                f"ArgoCD did not run the pushed charts ({commit[:12]}): {timeout}. The "
                f"Applications' conditions say why (kubectl -n {contract.ARGOCD_NAMESPACE} "
                "get applications)"
            ) from None
        changed = changed or commit != pushed_before
    return DeployRun(seconds=time.monotonic() - started, changed=changed, log=target.log, commit=commit)


def deploy_local(kubeconfig: str, context: str, *, echo: bool = False, values: Path | None = None) -> float:
    """Deploys the local stack onto the cluster of `context` in `kubeconfig` (with the values per project chart of
    the YAML file `values` given last, if any); returns the wall seconds.
    Raises LocalDeployError naming the problem (no cluster: how to start one; a chart error: its message)."""
    return run_cdktf("deploy", Target(kubeconfig, context), echo=echo, values=values).seconds
