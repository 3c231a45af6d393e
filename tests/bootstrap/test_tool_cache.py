"""Nothing cached gets stale: a changed pin or recipe is a new cache entry for exactly what is built from it, and
an unchanged one is reused (bootstrap/gotools.py, bootstrap/nodeimage.py, bootstrap/terraform.py)."""

import dataclasses
import importlib
import re
from pathlib import Path

import pytest

from bootstrap import gotools, nodeimage, terraform
from bootstrap.cache import ROOT
from contract import pins, settings
from fakego import fake_go


def go_builds() -> dict:
    """Every Go tool `make tools` can build, by name (a recipe added to gotools.py is covered without listing it)."""
    return {value.name: value for value in vars(gotools).values() if isinstance(value, gotools.GoBuild)}


def cache_entries() -> dict:
    return {name: build.folder.name for name, build in go_builds().items()}


def changed(value):
    """The next version; of a (provider version, module commit) pair, the next commit."""
    return (*value[:-1], f"{value[-1]}-next") if isinstance(value, tuple) else f"{value}-next"


def pins_of_tools() -> list[str]:
    return [name for name, value in vars(pins).items() if name.isupper() and isinstance(value, (str, tuple))]


@pytest.fixture
def repinned(monkeypatch):
    """Re-reads the recipes with one pin changed; the originals come back after the test."""

    def repin(name: str) -> dict:
        monkeypatch.setattr(pins, name, changed(getattr(pins, name)))
        importlib.reload(gotools)
        return cache_entries()

    yield repin
    monkeypatch.undo()
    importlib.reload(gotools)


@pytest.mark.parametrize("pin", pins_of_tools())
def test_a_changed_pin_is_a_new_cache_entry_for_exactly_the_tools_built_from_it(pin, repinned):
    before = cache_entries()
    original = getattr(pins, pin)
    versions = set(original) if isinstance(original, tuple) else {original}
    # A pin is a tool's version, or a fact its recipe builds with (its Go toolchain, a version in its ldflags).
    built_from_it = {
        name
        for name, build in go_builds().items()
        if build.version in versions
        or build.toolchain in versions
        or any(f"={version}" in build.ldflags for version in versions)
    }
    after = repinned(pin)
    assert {name for name in before if before[name] != after[name]} == built_from_it


def test_an_unchanged_recipe_is_the_same_cache_entry():
    assert cache_entries() == {name: build.folder.name for name, build in go_builds().items()}


@pytest.mark.parametrize(
    "build", [b for b in go_builds().values() if b.source.startswith("bootstrap/gomod/")], ids=lambda build: build.name
)
def test_each_wrapper_module_requires_the_pinned_version(build):
    """A wrapper's go.mod names the version it builds: the module its binaries come from must be at the pin, or the
    cache entry would lie. (A wrapper may require more modules than that one, e.g. a CLI beside a server.)"""
    go_mod = (ROOT / build.source / "go.mod").read_text()
    requires = dict(re.findall(r"^(?:require\s+|\t)(\S+) (v\S+)$", go_mod, re.MULTILINE))
    packages = build.binaries.values()
    # A binary of the wrapper's own code (".") is built against whatever the wrapper requires.
    built_from = {m: v for m, v in requires.items() if any(p in (".", m) or p.startswith(m + "/") for p in packages)}
    expected = "v" + build.version.split("-")[0] if build.name == "etcd" else build.version  # etcd's image tag
    assert expected in built_from.values(), (
        f"{build.source}/go.mod requires {built_from or requires or 'nothing'} for its binaries, contract/pins.py "
        f"pins {build.version}: run `go get <module>@{expected} && go mod tidy` there"
    )


def test_a_changed_wrapper_module_or_flag_rebuilds_and_an_unchanged_one_does_not(tmp_path, monkeypatch):
    calls = fake_go(tmp_path, monkeypatch)
    module = tmp_path / "wrapper"
    module.mkdir()
    (module / "go.mod").write_text("module example.test/wrapper\n\nrequire example.test/tool v1.0.0\n")
    build = gotools.GoBuild("tool", "v1.0.0", {"tool": "example.test/tool/cmd/tool"}, source=str(module))

    def go_builds_run() -> int:
        return sum(line.startswith("build ") for line in calls.read_text().splitlines())

    first = build.build()
    assert build.build() == first and go_builds_run() == 1
    (module / "go.mod").write_text(
        "module example.test/wrapper\n\nrequire example.test/tool v1.0.0\n"
        "replace example.test/dep => example.test/dep v1.0.1\n"
    )
    assert build.build() != first and go_builds_run() == 2
    flagged = gotools.GoBuild("tool", "v1.0.0", build.binaries, source=str(module), ldflags="-X main.version=1")
    assert flagged.build() not in (first, build.folder) and go_builds_run() == 3


def kind_files(root: Path, entrypoint: str) -> Path:
    files = root / "kind-files"
    (files / "etc/containerd").mkdir(parents=True, exist_ok=True)
    (files / "etc/containerd/config.toml").write_text(
        '[proxy_plugins]\nx = 1\n[plugins."io.containerd.grpc.v1.cri"]\nsandbox_image = "old"\n'
        "restrict_oom_score_adj = false\n"
    )
    (files / "usr/local/bin").mkdir(parents=True, exist_ok=True)
    (files / "usr/local/bin/entrypoint").write_text(entrypoint)
    return files


def test_new_kind_base_files_are_a_new_node_image(tmp_path, monkeypatch):
    binaries = tmp_path / "bin"
    binaries.mkdir()
    for name in ("kubeadm", "kubelet", "kubectl"):
        (binaries / name).write_text(name)
    monkeypatch.setattr(nodeimage, "kind_base_files", lambda: kind_files(tmp_path, "#!/bin/sh\n# kind A\n"))
    first = nodeimage.node_image_tag(binaries, [], "cni", "storage")
    assert nodeimage.node_image_tag(binaries, [], "cni", "storage") == first
    monkeypatch.setattr(nodeimage, "kind_base_files", lambda: kind_files(tmp_path, "#!/bin/sh\n# kind B\n"))
    assert nodeimage.node_image_tag(binaries, [], "cni", "storage") != first
    (binaries / "kubelet").write_text("kubelet, rebuilt")
    assert len({first, nodeimage.node_image_tag(binaries, [], "cni", "storage")}) == 2


def test_a_rebuilt_provider_is_what_the_mirror_points_at(tmp_path, monkeypatch, repinned):
    monkeypatch.setenv(settings.CACHE.name, str(tmp_path))
    version = pins.TF_PROVIDER_HELM[0]

    def mirrored() -> Path:
        folder = terraform.provider_mirror() / terraform.REGISTRY / "hashicorp/helm" / version / terraform.PLATFORM
        return Path((folder / f"terraform-provider-helm_v{version}").readlink())

    assert mirrored() == gotools.TF_PROVIDER_HELM.path()
    before = mirrored()
    repinned("TF_PROVIDER_HELM")  # a new commit of the provider, under the same provider version
    assert mirrored() == gotools.TF_PROVIDER_HELM.path() != before


def test_the_api_server_and_etcd_are_linked_for_tool_only_when_built_at_their_pins(tmp_path, monkeypatch):
    from bootstrap import toolchain
    from contract import settings, tools

    monkeypatch.setenv(settings.CACHE.name, str(tmp_path))
    chain = toolchain.Toolchain(
        **{field.name: str(tmp_path / field.name) for field in dataclasses.fields(toolchain.Toolchain)}
    )
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "etcd").symlink_to(tmp_path / "an-older-pin" / "etcd")
    toolchain.link_tools(chain)
    assert not (tmp_path / "bin" / "etcd").is_symlink() and not (tmp_path / "bin" / "kube-apiserver").is_symlink()
    for build, binary in toolchain.LINKED_WHEN_BUILT:
        build.folder.mkdir(parents=True)
        (build.folder / binary).write_text("")
        (build.folder / ".done").write_text("")
    toolchain.link_tools(chain)
    assert Path(tools.tool("etcd")).resolve() == gotools.ETCD.path("etcd").resolve()
    assert Path(tools.tool("kube-apiserver")).resolve() == gotools.KUBERNETES.path("kube-apiserver").resolve()
