"""The cluster's locust is the one the tests run: the image installs pyproject.toml's pins."""

from importlib.metadata import version

from loadtests import cluster_image


def test_the_image_installs_the_versions_the_tests_run():
    pins = dict(spec.split("==") for spec in cluster_image.pinned_requirements())
    assert pins == {name: version(name) for name in cluster_image.PACKAGES}


def test_the_image_tag_names_the_locust_version_and_changes_with_the_dockerfile(tmp_path, monkeypatch):
    tag = cluster_image.tag()
    assert tag.startswith(f"voiceplat/locust:{version('locust')}-")
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_bytes(cluster_image.DOCKERFILE.read_bytes() + b"\n# changed\n")
    monkeypatch.setattr(cluster_image, "DOCKERFILE", dockerfile)
    assert cluster_image.tag() != tag
