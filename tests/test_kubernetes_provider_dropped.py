"""The Terraform Kubernetes provider is dropped everywhere (reason: stacks/delivery/providers.py): no stack asks
for it, nothing pins, builds or mirrors it, and cluster-level objects are Helm releases of local charts."""

import tomllib
from pathlib import Path

import pytest

from bootstrap import terraform
from contract import pins, settings
from synthkit import all_stacks, start_app_runs

start_app_runs()
ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", ["local", "prod-eu", "prod-eu-az"])
def test_no_stack_requires_the_kubernetes_provider(name):
    doc = all_stacks()[name].stack_json(name)
    assert "kubernetes" not in doc["terraform"]["required_providers"]
    assert not any(kind.startswith("kubernetes_") for kind in doc.get("resource", {}))


def test_nothing_pins_or_installs_it():
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert not any("provider-kubernetes" in dependency for dependency in dependencies)
    assert not hasattr(pins, "TF_PROVIDER_KUBERNETES")


def test_the_offline_mirror_serves_the_helm_provider_alone(tmp_path, monkeypatch):
    monkeypatch.setenv(settings.CACHE.name, str(tmp_path))
    text = terraform.cli_config(tmp_path / "mirror").read_text()
    assert "hashicorp/helm" in text and "hashicorp/kubernetes" not in text
