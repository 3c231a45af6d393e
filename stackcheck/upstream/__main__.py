"""`python -m stackcheck.upstream`: what `make upstream-check` runs (see the package's docstring)."""

import os
import shutil
import sys
import urllib.request
from pathlib import Path

from contract import tools

from ..arguments import names, stack_arguments, synth_if_asked
from ..synthesized import synthesized
from .apiserver import binaries, local_apiserver
from .check import Sources, check_stack, work_dir

TARGET, SYNTH_VARIABLE = "upstream-check", "UPSTREAM_SYNTH"

PROBE = "https://prometheus-community.github.io/helm-charts/index.yaml"  # one pinned chart repository


def repositories_reachable(timeout: float = 5) -> bool:
    try:
        with urllib.request.urlopen(urllib.request.Request(PROBE, method="HEAD"), timeout=timeout):
            return True
    except Exception:  # noqa: BLE001 - offline, proxy, DNS: all mean "no"
        return False


def main(argv=None) -> int:
    parser = stack_arguments(
        "python -m stackcheck.upstream", __doc__, "stacks to check, comma-separated (default: every one)"
    )
    parser.add_argument(
        "--charts",
        default=os.environ.get("UPSTREAM_CHARTS", ""),
        help="folder holding the pinned upstream charts (unpacked or <chart>-<version>.tgz)",
    )
    parser.add_argument(
        "--kubeconfig",
        default="",
        help="dry-run against this kubeconfig's cluster (e.g. kind's), not a local kube-apiserver;"
        " CRDs and namespaces are created there for real",
    )
    args = parser.parse_args(argv)
    local = Path(args.charts) if args.charts else None
    if local and not local.is_dir():
        print(f"{TARGET}: UPSTREAM_CHARTS={local} is not a folder", file=sys.stderr)
        return 2
    pull = repositories_reachable()
    if not local and not pull:
        print(f"{TARGET}: offline and no UPSTREAM_CHARTS folder: no upstream chart to render, nothing checked")
        return 0
    synth_if_asked(args, TARGET)
    try:
        helm = tools.tool("helm")
    except tools.ToolMissing as missing:
        print(f"{TARGET}: {missing}", file=sys.stderr)
        return 2
    stacks = synthesized(Path(args.out), names(args), TARGET, SYNTH_VARIABLE)
    sources = Sources(helm=helm, local=local, work=work_dir(), pull=pull)
    if not args.kubeconfig and not binaries():
        print(f"{TARGET}: kube-apiserver/etcd not built (`make tools`): rendering only, no dry run")
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
    print(
        f"{TARGET}: {len(failing)} finding(s) in {len(stacks)} stack(s)"
        f"{f', and {len(findings) - len(failing)} known' if len(findings) > len(failing) else ''}"
        f"{'' if findings else ': every upstream release renders, knows its keys and passes the dry run'}"
    )
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
