"""Every chart x scenario passes `helm lint --strict` and validates against the Kubernetes schemas of the
clusters' version (kubeconform, strict: unknown fields fail)."""

from concurrent.futures import ThreadPoolExecutor

import pytest

import chartkit
import kubeschemas
from contract import PLATFORM_NAMESPACE

pytestmark = [pytest.mark.charts, pytest.mark.slow]
SCENARIOS = chartkit.all_scenarios()


@pytest.fixture(scope="session")
def lint_results():
    """`helm lint --strict` of every scenario, run a few at a time."""

    def lint(scenario):
        return chartkit.helm(
            "lint", "--strict", str(scenario.chart_dir), "--namespace", PLATFORM_NAMESPACE, *scenario.helm_args()
        )

    with ThreadPoolExecutor(max_workers=chartkit.WORKERS) as pool:
        return dict(zip(SCENARIOS, pool.map(lint, SCENARIOS), strict=True))


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_helm_lint_strict_passes(scenario, lint_results):
    result = lint_results[scenario]
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 chart(s) linted, 0 chart(s) failed" in result.stdout


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_every_manifest_is_valid_for_the_kubernetes_version_of_the_clusters(scenario, kubeconform_results):
    results = kubeconform_results.get(f"{scenario.chart}__{scenario.name}.yaml", [])
    assert results, f"kubeconform reported nothing for {scenario.id}"
    problems = [
        f"{r['kind']}/{r['name']}: {r['msg']}" for r in results if r["status"] not in ("statusValid", "statusSkipped")
    ]
    assert not problems, "\n".join(problems)
    skipped = {r["kind"] for r in results if r["status"] == "statusSkipped"}
    assert skipped <= set(kubeschemas.SKIPPED_KINDS), f"no schema for {skipped - set(kubeschemas.SKIPPED_KINDS)}"


def test_the_library_chart_lints_strict():
    result = chartkit.helm("lint", "--strict", str(chartkit.CHARTS_DIR / "voiceplat-lib"))
    assert result.returncode == 0, result.stdout + result.stderr
