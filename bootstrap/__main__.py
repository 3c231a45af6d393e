"""`python -m bootstrap <command>`: the entry point the Makefile calls."""

import argparse
import sys

from contract import settings
from contract.tools import ToolMissing

from .errors import BootstrapError
from .waiting import WaitTimeout


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bootstrap", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("docker", help="make sure a Docker engine that can run kind nodes is up")
    tools = sub.add_parser("tools", help="build or fetch every pinned tool and image (cached by version)")
    tools.add_argument(
        "--only",
        metavar="NAME[,NAME]",
        help="only these tools (helm, kind, kubeconform, tofu), as the full build makes them",
    )
    sub.add_parser("gitops-tools", help="build ArgoCD, its Redis and the in-cluster Git server (GitOps on kind)")
    sub.add_parser("shellcheck", help="install Debian's shellcheck at the pinned version when it is missing")
    up = sub.add_parser("cluster-up", help="create the kind cluster (3 nodes, fake GPU) unless it exists")
    up.add_argument("--name", default=None, help="cluster name (default: the local environment's)")
    up.add_argument(
        "--gitops",
        action="store_true",
        help=f"also ArgoCD and the in-cluster Git server (the default when {settings.DELIVERY.name}=gitops)",
    )
    down = sub.add_parser("cluster-down", help="delete the kind cluster")
    down.add_argument("--name", default=None)
    args = parser.parse_args(argv)
    try:
        settings.check_environment()
        if args.command == "docker":
            from .docker_engine import ensure_engine

            ensure_engine()
        elif args.command == "tools" and args.only is not None:
            from .tool_subset import build_only

            build_only(args.only.split(","))
        elif args.command == "tools":
            from .toolchain import build_all

            build_all()
        elif args.command == "gitops-tools":
            from .gitops import build_gitops

            build_gitops()
        elif args.command == "shellcheck":
            from .shellcheck import ensure_shellcheck

            ensure_shellcheck()
        elif args.command == "cluster-up":
            from .cluster import cluster_up

            cluster_up(args.name, gitops=args.gitops or settings.gitops_delivery())
        elif args.command == "cluster-down":
            from .cluster import cluster_down

            cluster_down(args.name)
    # A wait's message says what was expected and what was seen; a setting's names the variable and the fix; a
    # missing tool's, how to build it.
    except (BootstrapError, WaitTimeout, settings.SettingError, ToolMissing) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
