"""A kind cluster is created only with room for it on the Docker engine's disk: each node's copy of the node image,
each worker's of the project's images and one load's archive, with a margin; short of that, the error names what is
free, what is needed and how to free it, before anything is created."""

import shutil
from collections import namedtuple

import pytest

from bootstrap import disk
from bootstrap.errors import BootstrapError

GIB = disk.GIB
Usage = namedtuple("Usage", "total used free")


def test_a_cluster_needs_each_nodes_copy_of_the_node_image_and_each_workers_of_the_projects_images():
    needed = disk.needed_bytes(nodes=3, workers=2, node_image=2 * GIB, project_images=[GIB, 2 * GIB])
    assert needed == 3 * 2 * (2 * GIB) + 2 * 2 * (3 * GIB) + 2 * GIB + disk.MARGIN_BYTES


@pytest.fixture
def sizes(monkeypatch):
    monkeypatch.setattr(disk, "image_bytes", lambda tag: {"node": 2 * GIB, "standin": GIB}.get(tag, 0))
    monkeypatch.setattr(disk, "docker_root", lambda: disk.Path("/"))


def test_a_short_disk_is_refused_with_what_is_free_what_is_needed_and_the_fix(sizes, monkeypatch):
    monkeypatch.setattr(shutil, "disk_usage", lambda _: Usage(100 * GIB, 95 * GIB, 5 * GIB))
    with pytest.raises(BootstrapError) as refused:
        disk.ensure_room("voiceplat-local", 3, 2, "node", ["standin"])
    message = str(refused.value)
    assert "5.0 GiB free" in message and "needs about 20.0 GiB" in message, message
    assert "kind get clusters" in message and "make down" in message, message


def test_a_disk_with_room_passes(sizes, monkeypatch):
    monkeypatch.setattr(shutil, "disk_usage", lambda _: Usage(100 * GIB, 50 * GIB, 50 * GIB))
    disk.ensure_room("voiceplat-local", 3, 2, "node", ["standin"])
