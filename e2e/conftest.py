"""The e2e suite's cluster lifecycle: one kind cluster per session, built from the project's own toolchain.

pytest-kind provides --cluster-name and --keep-cluster; the cluster itself is created by the project's bootstrap
(kind config with the fake GPU node, CNI, metrics-server) so `make up` and the suite boot the same cluster.
"""

import secrets
from pathlib import Path

import pytest
import yaml
from pytest_kind import KindCluster

import contract
from bootstrap.cluster import (
    DEFAULT_TOPOLOGY,
    FAULTS_TOPOLOGY,
    ensure_room_for,
    existing_clusters,
    free_host_ports,
    kind_config,
    prepare,
)
from bootstrap.gitops import build_gitops
from bootstrap.kubeapi import ClusterApi
from bootstrap.toolchain import build_all
from contract import settings
from contract.tools import tool
from loadtests.cluster import runner_image

pytest_plugins = [
    "e2e.fixtures.factories",
    "e2e.fixtures.evidence",
    "e2e.fixtures.timings",
    "e2e.fixtures.ordering",
    "e2e.fixtures.platform",
    "e2e.fixtures.pods",
    "e2e.fixtures.drill",
    "e2e.fixtures.nodes",
    "e2e.fixtures.monitoring",
    "e2e.fixtures.queues",
    "e2e.fixtures.dashboards",
    "e2e.fixtures.gitops",
    "e2e.fixtures.temporal",
    "e2e.fixtures.side_by_side",
]


TOPOLOGIES = {"default": DEFAULT_TOPOLOGY, "faults": FAULTS_TOPOLOGY}


def pytest_addoption(parser):
    parser.addoption(
        "--kind-topology",
        choices=sorted(TOPOLOGIES),
        default="default",
        help="the suite's kind cluster: default (3 nodes, as `make up`) or faults (a second general and "
        "a second GPU worker, for the node-fault drills)",
    )


@pytest.fixture(scope="session")
def topology(request):
    return TOPOLOGIES[request.config.getoption("kind_topology")]


@pytest.fixture(scope="session")
def toolchain():
    return build_all()


@pytest.fixture(scope="session")
def cluster_name(request) -> str:
    name = request.config.getoption("cluster_name")
    # pytest-kind's default name would make concurrent runs collide: give each run its own unless one is asked for.
    return f"voiceplat-e2e-{secrets.token_hex(3)}" if name == "pytest-kind" else name


@pytest.fixture(scope="session")
def kind_cluster(request, toolchain, cluster_name, topology, tmp_path_factory):
    """Overrides pytest-kind's fixture: pytest-kind creates (or, with --keep-cluster runs, re-uses) the cluster from
    the project's kind config, node image and binaries; the bootstrap then readies it as `make up` does."""
    config = tmp_path_factory.mktemp("kind") / "cluster.yaml"
    # Free host ports: the suite's cluster can run beside `make up`'s, which holds the NodePorts' own numbers.
    config.write_text(yaml.safe_dump(kind_config(cluster_name, free_host_ports(), topology)))
    cluster = KindCluster(
        cluster_name, image=toolchain.node_image, kind_path=Path(tool("kind")), kubectl_path=Path(tool("kubectl"))
    )
    if cluster_name not in existing_clusters(tool("kind")):
        ensure_room_for(cluster_name, toolchain, topology)
    cluster.create(config)
    try:
        # VOICEPLAT_DELIVERY=gitops (`make e2e-gitops`): ArgoCD and the Git server too, and the platform through them.
        prepare(
            cluster_name,
            ClusterApi(contract.kind_context(cluster_name), str(cluster.kubeconfig_path)),
            toolchain,
            topology,
            gitops=build_gitops() if settings.gitops_delivery() else None,
            # The load-test smoke's in-cluster runs find their image on the nodes: built and loaded during set-up.
            built_on_demand=(runner_image,),
        )
    except BaseException:
        # A cluster that never became ready is not left behind (its nodes hold the host's inotify instances).
        if not request.config.getoption("keep_cluster"):
            cluster.delete()
        raise
    yield cluster
    if not request.config.getoption("keep_cluster"):
        cluster.delete()


@pytest.fixture(scope="session")
def cluster_api(kind_cluster, cluster_name) -> ClusterApi:
    """The suite's cluster through the project's one access layer (bootstrap/kubeapi.py)."""
    return ClusterApi(contract.kind_context(cluster_name), str(kind_cluster.kubeconfig_path))


@pytest.fixture(scope="session")
def api_client(cluster_api):
    return cluster_api.api_client


@pytest.fixture(scope="session")
def core(cluster_api):
    return cluster_api.core


@pytest.fixture(scope="session")
def apps(cluster_api):
    return cluster_api.apps
