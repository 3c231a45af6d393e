"""GitOps figures, each beside its baseline from the same run:

- commit -> rolled out: a values change pushed to the in-cluster repository until the new pods are Ready (split
  into ArgoCD's refresh, render and sync, then the rollout), beside the floor of the refresh mechanism: ArgoCD's
  poll period on kind, what a push waits for at most when the Git server's webhook is lost (with it, nothing waits);
  target <= 2x the floor. From the last `make e2e-gitops` record (artifacts/e2e-gitops/timings.json).
- `cdktf deploy local` delivered through ArgoCD onto a cluster with ArgoCD and no platform, and a no-change rerun,
  beside the Helm-provider delivery of the same stack onto the same cluster in the same run. The cluster is the
  local environment's, or `--cluster NAME --kubeconfig PATH` (e.g. a kept e2e-gitops cluster, with its own state);
  it must run ArgoCD (`make up-gitops` or `VOICEPLAT_DELIVERY=gitops make cluster`) and ends delivered through it.
Writes artifacts/bench/gitops.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import contract  # noqa: E402
from figures import save_figures  # noqa: E402  (bench/ is the script's own folder)
from localenv.deploy import Target, run_cdktf  # noqa: E402

RECORD = ROOT / "artifacts" / "e2e-gitops" / "timings.json"
FIGURE = "gitops commit to rolled out"


def commit_to_rollout() -> dict:
    if not RECORD.is_file():
        return {"missing": f"no {RECORD.relative_to(ROOT)}: run `make e2e-gitops` first"}
    record = json.loads(RECORD.read_text())
    figure = record.get("figures", {}).get(FIGURE)
    if not figure:
        return {"missing": f"the last e2e-gitops run ({record['run']['started_utc']}) recorded no '{FIGURE}'"}
    return {
        **figure,
        "run": record["run"]["started_utc"],
        "within_target": figure["seconds"] <= figure["target_ratio"] * figure["floor_s"],
    }


def deliveries(target: Target) -> dict:
    """(deploy from no platform, no-change rerun) seconds per delivery mode, Helm first."""
    figures = {}
    for mode in ("helm", "gitops"):
        run_cdktf("destroy", target, delivery=mode)
        deploy, again = run_cdktf("deploy", target, delivery=mode), run_cdktf("deploy", target, delivery=mode)
        assert deploy.changed and not again.changed, f"{mode}: expected a deploy then no changes; see {again.log}"
        figures[mode] = {"deploy_seconds": round(deploy.seconds, 1), "no_change_seconds": round(again.seconds, 1)}
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cluster", help="kind cluster name (default: the local environment's)")
    parser.add_argument("--kubeconfig", default=contract.DEFAULT_KUBECONFIG)
    args = parser.parse_args()
    target = (
        Target(str(Path(args.kubeconfig).expanduser()), contract.kind_context(args.cluster))
        if args.cluster
        else Target.default()
    )
    rollout = commit_to_rollout()
    modes = deliveries(target)
    out = save_figures("gitops", {"commit_to_rolled_out": rollout, "deploy": modes})
    if "missing" in rollout:
        print(f"bench-gitops: commit -> rolled out: {rollout['missing']}")
    else:
        print(
            f"bench-gitops: commit -> rolled out {rollout['seconds']:.1f} s (ArgoCD {rollout['argocd_s']} s, the "
            f"rollout {rollout['rollout_s']} s; {rollout['refresh']}) beside the poll floor {rollout['floor_s']} s "
            f"(ratio {rollout['ratio_to_floor']}, target <= {rollout['target_ratio']}; run {rollout['run']})"
        )
    helm, gitops = modes["helm"], modes["gitops"]
    print(
        f"bench-gitops: deploy onto a cluster without the platform: through ArgoCD {gitops['deploy_seconds']} s "
        f"beside the Helm provider {helm['deploy_seconds']} s (ratio "
        f"{gitops['deploy_seconds'] / helm['deploy_seconds']:.2f}); no-change rerun {gitops['no_change_seconds']} s "
        f"beside {helm['no_change_seconds']} s [{out}]"
    )
    return 0 if rollout.get("within_target", False) else 1


if __name__ == "__main__":
    sys.exit(main())
