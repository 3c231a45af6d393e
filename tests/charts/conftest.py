"""Chart tests. Most need helm, kubeconform and checkov (`make tools`, `make checkov`): those modules carry
`pytestmark = [pytest.mark.charts, pytest.mark.slow]`, so `make unit` (no tools) leaves them to
`make chart-test`. The fixtures render every scenario once per session."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

import chartkit
import kubeschemas


def pytest_configure(config):
    declared = " ".join(config.getini("markers"))
    config.addinivalue_line("markers", "charts: chart tests that run helm, kubeconform or checkov (make chart-test)")
    if "slow:" not in declared:
        config.addinivalue_line("markers", "slow: needs built tools or a cluster; `make unit` leaves it out")


@pytest.fixture(scope="session")
def rendered() -> dict[chartkit.Scenario, str]:
    """Every scenario of every chart, rendered once per session."""
    return chartkit.render_many(chartkit.all_scenarios())


@pytest.fixture(scope="session")
def rendered_dir(rendered, tmp_path_factory) -> Path:
    """The renders as files, <chart>__<scenario>.yaml, for the tools that read a folder."""
    folder = tmp_path_factory.mktemp("rendered")
    for scenario, manifest in rendered.items():
        (folder / f"{scenario.chart}__{scenario.name}.yaml").write_text(manifest)
    return folder


@pytest.fixture(scope="session")
def kubeconform_results(rendered_dir) -> dict[str, list[dict]]:
    """kubeconform over every render (strict, Kubernetes schemas of the clusters' version): file -> results."""
    command = [
        chartkit.tool("kubeconform"),
        "-strict",
        "-verbose",
        "-output",
        "json",
        "-schema-location",
        kubeschemas.schema_location(),
        "-skip",
        ",".join(kubeschemas.SKIPPED_KINDS),
        str(rendered_dir),
    ]
    kubeschemas.ensure_schemas()
    result = subprocess.run(command, capture_output=True, text=True)
    by_file: dict[str, list[dict]] = {}
    for resource in json.loads(result.stdout)["resources"]:
        by_file.setdefault(Path(resource["filename"]).name, []).append(resource)
    return by_file


@pytest.fixture(scope="session")
def parsed(rendered) -> dict[chartkit.Scenario, list[dict]]:
    """Every render as a list of objects."""
    return {scenario: chartkit.documents(manifest) for scenario, manifest in rendered.items()}
