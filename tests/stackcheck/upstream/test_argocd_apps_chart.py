"""The local rendering of argocd-apps' values (stacks/delivery/argocd-apps-chart, what kind's GitOps delivery
installs) makes the same AppProject and ApplicationSet as the pinned argocd-apps chart the clouds install, for
every GitOps environment's values. Needs that chart: UPSTREAM_CHARTS=<folder> (as `make upstream-check`), else
skipped with the reason."""

import os
import subprocess
from pathlib import Path

import pytest
import yaml

from contract import tools
from contract.settings import LocalTarget
from stackcheck.upstream.charts import find_local
from stacks.delivery.gitops import ARGOCD_FROM_CLUSTER, application_set
from stacks.delivery.upstream_charts import CHARTS
from stacks.environments import ENVIRONMENTS, Cloud, Delivery, aimed

PINNED = CHARTS["argocd-apps"]
LOCAL_CHART = ARGOCD_FROM_CLUSTER[Cloud.LOCAL]
GITOPS = [env for env in ENVIRONMENTS.values() if env.delivery is Delivery.GITOPS] + [
    aimed(ENVIRONMENTS["local"], LocalTarget(delivery="gitops"))
]


def render(chart: Path, values: dict, tmp_path: Path) -> list[dict]:
    try:
        helm = tools.tool("helm")
    except tools.ToolMissing:
        pytest.skip("helm is not built (make tools)")
    file = tmp_path / "values.yaml"
    file.write_text(yaml.safe_dump(values))
    out = subprocess.run(
        [helm, "template", "apps", str(chart), "--values", str(file)], capture_output=True, text=True, check=True
    ).stdout
    return [document for document in yaml.safe_load_all(out) if document]


@pytest.fixture(scope="module")
def pinned_chart() -> Path:
    folder = os.environ.get("UPSTREAM_CHARTS", "")
    found = find_local(Path(folder), PINNED.chart, PINNED.version) if folder and Path(folder).is_dir() else None
    if not found:
        pytest.skip(
            f"{PINNED.chart} {PINNED.version} is not under UPSTREAM_CHARTS ({folder or 'unset'}): offline, "
            "the local chart is compared with it where the chart is at hand"
        )
    return found


@pytest.mark.parametrize("environment", GITOPS, ids=lambda env: env.name)
def test_the_local_chart_renders_what_the_pinned_argocd_apps_chart_renders(environment, pinned_chart, tmp_path):
    values = application_set(environment, "voiceplat", {"global": {"domain": "example"}})
    assert render(LOCAL_CHART, values, tmp_path) == render(pinned_chart, values, tmp_path)


def test_the_local_chart_renders_one_appproject_and_one_applicationset(tmp_path):
    values = application_set(GITOPS[-1], "voiceplat", {})
    assert [d["kind"] for d in render(LOCAL_CHART, values, tmp_path)] == ["AppProject", "ApplicationSet"]
