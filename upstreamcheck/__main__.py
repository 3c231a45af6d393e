"""`python -m upstreamcheck`: what `make upstream-check` runs (see the package's docstring)."""
import argparse
import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

from contract import settings, tools

from .apiserver import binaries, local_apiserver
from .check import Sources, check_stack, work_dir
from .releases import stack_documents

PROBE = "https://prometheus-community.github.io/helm-charts/index.yaml"  # one pinned chart repository


def repositories_reachable(timeout: float = 5) -> bool:
    try:
        with urllib.request.urlopen(urllib.request.Request(PROBE, method="HEAD"), timeout=timeout):
            return True
    except Exception:  # noqa: BLE001 - offline, proxy, DNS: all mean "no"
        return False


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m upstreamcheck", description=__doc__)
    parser.add_argument("--charts", default=os.environ.get("UPSTREAM_CHARTS", ""),
                        help="folder holding the pinned upstream charts (unpacked or <chart>-<version>.tgz)")
    parser.add_argument("--stacks", default="", help="stacks to check, comma-separated (default: every one)")
    parser.add_argument("--out", default="cdktf.out/stacks", help="synthesized stacks (cdktf.out/stacks)")
    parser.add_argument("--synth", action="store_true", help="run `cdktf synth` of the stacks first")
    parser.add_argument("--kubeconfig", default="",
                        help="dry-run against this kubeconfig's cluster (e.g. kind's), not a local kube-apiserver;"
                             " CRDs and namespaces are created there for real")
    args = parser.parse_args(argv)
    local = Path(args.charts) if args.charts else None
    if local and not local.is_dir():
        print(f"upstream-check: UPSTREAM_CHARTS={local} is not a folder", file=sys.stderr)
        return 2
    pull = repositories_reachable()
    if not local and not pull:
        print("upstream-check: offline and no UPSTREAM_CHARTS folder: no upstream chart to render, nothing checked")
        return 0
    names = [name for name in args.stacks.split(",") if name]
    if args.synth:
        env = {**os.environ, **({settings.STACKS.name: ",".join(names)} if names else {})}
        subprocess.run(["cdktf", "synth"], check=True, env=env)
    stacks = stack_documents(Path(args.out), names)
    if missing := set(names) - set(stacks):
        print(f"upstream-check: {', '.join(sorted(missing))} not synthesized in {args.out}: run `make synth`",
              file=sys.stderr)
        return 2
    sources = Sources(helm=tools.tool("helm"), local=local, work=work_dir(), pull=pull)
    if not args.kubeconfig and not binaries():
        print("upstream-check: kube-apiserver/etcd not built (`make tools`): rendering only, no dry run")
    findings, notes = [], []
    try:
        for stack, folder in stacks.items():
            print(f"{stack}:")
            if args.kubeconfig:
                found, said = check_stack(stack, folder, sources, Path(args.kubeconfig))
            elif binaries():
                with local_apiserver() as kubeconfig:
                    found, said = check_stack(stack, folder, sources, kubeconfig)
            else:
                found, said = check_stack(stack, folder, sources, None)
            findings += found
            notes += said
    finally:
        shutil.rmtree(sources.work, ignore_errors=True)
    for note in notes:
        print(f"note: {note}")
    for finding in findings:
        print(f"{'KNOWN FINDING' if finding.known else 'FINDING'} {finding}")
    failing = [finding for finding in findings if not finding.known]
    print(f"upstream-check: {len(failing)} finding(s) in {len(stacks)} stack(s)"
          f"{f', and {len(findings) - len(failing)} known' if len(findings) > len(failing) else ''}"
          f"{'' if findings else ': every upstream release renders, knows its keys and passes the dry run'}")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
