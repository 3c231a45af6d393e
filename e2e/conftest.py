"""The e2e suite's cluster lifecycle: one kind cluster per session, built from the project's own toolchain.

pytest-kind provides --cluster-name and --keep-cluster; the cluster itself is created by the project's bootstrap
(kind config with the fake GPU node, CNI, metrics-server) so `make up` and the suite boot the same cluster.
"""
import secrets

import kubernetes
import pytest
from pytest_kind import KindCluster

from bootstrap.cluster import cluster_up
from bootstrap.toolchain import build_all

pytest_plugins = ["e2e.fixtures.factories", "e2e.fixtures.evidence"]


@pytest.fixture(scope="session")
def toolchain():
    return build_all()


@pytest.fixture(scope="session")
def cluster_name(request) -> str:
    name = request.config.getoption("cluster_name")
    # pytest-kind's default name would make concurrent runs collide: give each run its own unless one is asked for.
    return f"voiceplat-e2e-{secrets.token_hex(3)}" if name == "pytest-kind" else name


@pytest.fixture(scope="session")
def kind_cluster(request, toolchain, cluster_name):
    """Overrides pytest-kind's fixture: the project's cluster, then pytest-kind's handle on it."""
    cluster_up(cluster_name, toolchain)
    cluster = KindCluster(cluster_name, image=toolchain.node_image, kind_path=_path(toolchain.kind),
                          kubectl_path=_path(toolchain.kubectl))
    cluster.create()  # the cluster exists: this only writes pytest-kind's kubeconfig for it
    yield cluster
    if not request.config.getoption("keep_cluster"):
        cluster.delete()


@pytest.fixture(scope="session")
def api_client(kind_cluster):
    return kubernetes.config.new_client_from_config(config_file=str(kind_cluster.kubeconfig_path))


@pytest.fixture(scope="session")
def core(api_client):
    return kubernetes.client.CoreV1Api(api_client)


@pytest.fixture(scope="session")
def apps(api_client):
    return kubernetes.client.AppsV1Api(api_client)


def _path(value: str):
    from pathlib import Path
    return Path(value)
