"""`python -m localenv deploy|up|down`: what `make deploy`, `make up` and `make down` run.

    deploy  cdktf deploy local onto the local kind cluster (it must exist: `make cluster`)
    up      deploy, then print each service and how to reach it; says so when nothing changed
    down    cdktf destroy local (when the cluster exists), then delete the cluster; idempotent
"""
import argparse
import subprocess
import sys

import kubernetes

import contract
from bootstrap.cluster import INGRESS_HTTP_NODEPORT, cluster_down
from bootstrap.errors import BootstrapError
from bootstrap.kubeapi import ClusterApi
from bootstrap.toolchain import load_toolchain, state_file

from .deploy import LocalDeployError, Target, run_cdktf


def services(target: Target) -> list[str]:
    """One line per Service of the platform namespace: a NodePort's host URL, else a port-forward command."""
    api = ClusterApi(target.context, target.kubeconfig)
    return service_lines(api.core.list_namespaced_service(contract.PLATFORM_NAMESPACE).items, target.context)


def service_lines(services: list, context: str) -> list[str]:
    lines, local_port = [], 8100
    for service in sorted(services, key=lambda s: s.metadata.name):
        name, spec = service.metadata.name, service.spec
        port = spec.ports[0]
        if spec.type == "NodePort":
            # kind publishes the NodePorts of bootstrap/cluster.py NODEPORTS on 127.0.0.1 of this host.
            lines.append(f"  {name:<24} http://127.0.0.1:{port.node_port}")
        else:
            local_port += 1  # one local port per service, so several forwards can run side by side
            lines.append(f"  {name:<24} kubectl --context {context} -n {contract.PLATFORM_NAMESPACE} "
                         f"port-forward svc/{name} {local_port}:{port.port}  -> http://127.0.0.1:{local_port}")
    return lines


def ingress_lines(ingresses: list) -> list[str]:
    """One line per Ingress rule: the controller's published port and the Host header that selects the rule (the
    environment's domain is not resolved by the host)."""
    return [f"  {ingress.metadata.name:<24} curl -H 'Host: {rule.host}' http://127.0.0.1:{INGRESS_HTTP_NODEPORT}"
            f"{path.path}" for ingress in sorted(ingresses, key=lambda i: i.metadata.name)
            for rule in ingress.spec.rules or [] for path in rule.http.paths]


def ingresses(target: Target) -> list[str]:
    api = ClusterApi(target.context, target.kubeconfig)
    networking = kubernetes.client.NetworkingV1Api(api.api_client)
    return ingress_lines(networking.list_namespaced_ingress(contract.PLATFORM_NAMESPACE).items)


def cluster_exists(target: Target, kind: str) -> bool:
    return target.cluster in subprocess.run([kind, "get", "clusters"], capture_output=True, text=True).stdout.split()


def down(target: Target) -> int:
    """Destroys what the stack installed, then the cluster; with no tools or no cluster there is nothing to do."""
    if not state_file().exists():
        print("==> the tools were never built, so no local cluster exists: nothing to remove", file=sys.stderr)
        return 0
    if cluster_exists(target, load_toolchain().kind):
        run_cdktf("destroy", target, echo=True)
    else:
        print(f"==> no cluster behind {target.context}: nothing to destroy", file=sys.stderr)
    for leftover in target.work_dir.glob("terraform.local.tfstate*"):
        leftover.unlink()  # state of a cluster that is gone describes nothing
    cluster_down(target.cluster)
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m localenv", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("deploy", "up", "down"))
    args = parser.parse_args(argv)

    target = Target.default()
    try:
        if args.command == "down":
            return down(target)
        run = run_cdktf("deploy", target, echo=True)
        verdict = "deployed" if run.changed else "no changes: the platform was already as declared"
        print(f"==> cdktf deploy local: {verdict} ({run.seconds:.0f}s; log {run.log})", file=sys.stderr)
        if args.command == "up":
            print(f"\nThe platform on {target.context}, namespace {contract.PLATFORM_NAMESPACE}:")
            print("\n".join(services(target)))
            print("\nThrough the Ingress controller (README, \"Ingress on kind\"):")
            print("\n".join(ingresses(target)))
            print(f"\n{'No changes.' if not run.changed else 'Changes applied.'} `make down` removes it all.")
    except (LocalDeployError, BootstrapError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
