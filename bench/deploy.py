"""Speed of `cdktf deploy local` on a warm kind cluster (running, images loaded, platform not installed) and of
a no-change redeploy, beside a baseline measured in the same run: `helm upgrade --install --wait --atomic` of
the same four charts with the same values files, side by side as Terraform runs them.

The cluster ends as `make up` leaves it: the platform deployed by the stack. Targets: deploy <= 180 s,
no-change redeploy <= 30 s. Writes artifacts/bench/deploy.json.
"""

from __future__ import annotations

import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import contract  # noqa: E402
from bootstrap.kubeapi import ClusterApi  # noqa: E402
from bootstrap.progress import run as run_step  # noqa: E402
from bootstrap.waiting import wait_for  # noqa: E402
from contract.tools import tool  # noqa: E402
from figures import save_figures  # noqa: E402  (bench/ is the script's own folder)
from localenv.deploy import Target, run_cdktf  # noqa: E402
from stacks.delivery.platform_charts import CHARTS_DIR, POD_SECURITY_LABELS, PROJECT_CHARTS  # noqa: E402
from stacks.environments import ENVIRONMENTS  # noqa: E402

DEPLOY_TARGET_S = 180.0
REDEPLOY_TARGET_S = 30.0
NAMESPACE = contract.PLATFORM_NAMESPACE


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


class Helm:
    """The baseline: the same charts and values, installed with helm directly (the namespace through the client,
    as the project's access layer does everywhere else)."""

    def __init__(self, target: Target):
        self.api = ClusterApi(target.context, target.kubeconfig)
        self.helm = [tool("helm"), "--kubeconfig", target.kubeconfig, "--kube-context", target.context]

    def run(self, *args: str) -> None:
        """helm with these arguments; a failure raises naming the command and helm's last lines."""
        verb_and_release = " ".join(args[len(self.helm) : len(self.helm) + 3])
        run_step(args, step_name=f"bench-deploy: helm {verb_and_release}", capture=True)

    def namespace(self) -> None:
        manifest = {
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": {"name": NAMESPACE, "labels": POD_SECURITY_LABELS},
        }
        self.api.apply(manifest, step="bench namespace")

    def install(self, chart: str) -> None:
        files = [
            arg for name in ENVIRONMENTS["local"].values_files for arg in ("--values", str(CHARTS_DIR / chart / name))
        ]
        self.run(
            *self.helm,
            "upgrade",
            "--install",
            chart,
            str(CHARTS_DIR / chart),
            "--namespace",
            NAMESPACE,
            "--wait",
            "--atomic",
            "--timeout",
            "5m",
            "--history-max",
            "5",
            *files,
        )

    def install_all(self) -> None:
        self.namespace()
        with ThreadPoolExecutor(max_workers=len(PROJECT_CHARTS)) as pool:
            list(pool.map(self.install, PROJECT_CHARTS))

    def remove_all(self) -> None:
        with ThreadPoolExecutor(max_workers=len(PROJECT_CHARTS)) as pool:
            list(
                pool.map(
                    lambda chart: self.run(*self.helm, "uninstall", chart, "--namespace", NAMESPACE, "--wait"),
                    PROJECT_CHARTS,
                )
            )
        self.api.core.delete_namespace(NAMESPACE)

        def gone():
            names = [n.metadata.name for n in self.api.core.list_namespace().items]
            return NAMESPACE not in names, f"namespace {NAMESPACE} still listed"

        wait_for(gone, timeout=300, expected=f"namespace {NAMESPACE} deleted", interval=2)


def main() -> int:
    target = Target.default()
    run_cdktf("destroy", target)  # start from a warm cluster without the platform
    helm = Helm(target)
    helm_install = timed(helm.install_all)
    helm_again = timed(helm.install_all)
    helm.remove_all()
    deploy = run_cdktf("deploy", target)
    redeploy = run_cdktf("deploy", target)
    assert deploy.changed and not redeploy.changed, f"expected a deploy then no changes; see {redeploy.log}"
    figures = {
        "deploy_seconds": round(deploy.seconds, 1),
        "baseline_helm_install_seconds": round(helm_install, 1),
        "deploy_target_seconds": DEPLOY_TARGET_S,
        "redeploy_no_changes_seconds": round(redeploy.seconds, 1),
        "baseline_helm_upgrade_no_changes_seconds": round(helm_again, 1),
        "redeploy_target_seconds": REDEPLOY_TARGET_S,
        "within_targets": deploy.seconds <= DEPLOY_TARGET_S and redeploy.seconds <= REDEPLOY_TARGET_S,
    }
    out = save_figures("deploy", figures)
    print(
        f"bench-deploy: cdktf deploy local {deploy.seconds:.1f} s (target <= {DEPLOY_TARGET_S:.0f} s) beside "
        f"helm upgrade --install of the same charts {helm_install:.1f} s; no-change redeploy "
        f"{redeploy.seconds:.1f} s (target <= {REDEPLOY_TARGET_S:.0f} s) beside helm again {helm_again:.1f} s "
        f"[{out}]"
    )
    return 0 if figures["within_targets"] else 1


if __name__ == "__main__":
    sys.exit(main())
