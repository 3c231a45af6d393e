"""Release settings every environment's delivery shares: atomic installs with a timeout, bounded history,
pinned chart versions, values as files, provider versions the project builds."""

from pathlib import Path

import pytest

from contract import pins
from deliverykit import delivery, documents, file_values, releases
from stacks.delivery.environment_values import environment_values
from stacks.delivery.project_charts import CHARTS_DIR, PROJECT_CHARTS, chart_values_files
from stacks.delivery.release import MAX_HISTORY, Timing, asset_id, chart_digest
from stacks.environments import ENVIRONMENTS

NAMES = list(ENVIRONMENTS)


@pytest.mark.parametrize("name", NAMES)
def test_every_release_is_atomic_waits_and_has_a_timeout(name):
    for release in releases(delivery(name)).values():
        assert release["atomic"] is True and release["wait"] is True, release["name"]
        assert release["timeout"] in {timing.value for timing in Timing}, release["name"]


@pytest.mark.parametrize("name", NAMES)
def test_every_release_keeps_a_bounded_history(name):
    assert {release["max_history"] for release in releases(delivery(name)).values()} == {MAX_HISTORY}


@pytest.mark.parametrize("name", NAMES)
def test_every_repository_chart_is_pinned_to_a_version(name):
    for release in releases(delivery(name)).values():
        if "repository" in release:
            assert release["version"][0].isdigit(), release["name"]


@pytest.mark.parametrize("name", NAMES)
def test_no_release_uses_set_entries(name):
    assert not [r["name"] for r in releases(delivery(name)).values() if r.get("set") or r.get("set_list")]


@pytest.mark.parametrize("name", ["local", "preview-eu"])
def test_project_charts_take_the_environments_values_files_in_order(name):
    found = releases(delivery(name))
    for chart in PROJECT_CHARTS:
        expected = [asset_id(path) for path in chart_values_files(ENVIRONMENTS[name], chart)]
        assert [path.split("/")[1] for path in file_values(found[chart])] == expected


def test_project_charts_take_the_environments_values_then_the_clusters_after_their_files():
    release = releases(delivery("preview-eu"))["platform"]
    files = len(file_values(release))
    assert file_values({"values": release["values"][:files]}) == file_values(release)
    environment, cluster = documents(release)
    assert environment == environment_values(ENVIRONMENTS["preview-eu"])
    assert cluster["global"]["image"]["registry"] == "123456789012.dkr.ecr.eu-west-1.amazonaws.com"


@pytest.mark.parametrize("name", ["local", "preview-eu"])
def test_project_charts_are_linted_when_planning(name):
    found = releases(delivery(name))
    assert all(found[chart]["lint"] is True for chart in PROJECT_CHARTS)


def test_a_project_charts_description_is_its_content_digest():
    release = releases(delivery("local"))["vad"]
    assert release["description"] == f"vad sha256:{chart_digest(CHARTS_DIR / 'vad')[:16]}"


def test_editing_a_template_changes_the_charts_digest(tmp_path):
    import shutil

    copy = tmp_path / "vad"
    shutil.copytree(CHARTS_DIR / "vad", copy, symlinks=True)
    before = chart_digest(copy)
    template = next((copy / "templates").glob("*.yaml"))
    template.write_text(template.read_text() + "\n# edited\n")
    assert chart_digest(copy) != before


def test_editing_the_library_chart_changes_every_charts_digest(tmp_path):
    import shutil

    shutil.copytree(CHARTS_DIR / "voiceplat-lib", tmp_path / "voiceplat-lib")
    shutil.copytree(CHARTS_DIR / "vad", tmp_path / "vad", symlinks=True)
    before = chart_digest(tmp_path / "vad")
    helper = next((tmp_path / "voiceplat-lib" / "templates").glob("*.tpl"))
    helper.write_text(helper.read_text() + "\n{{/* edited */}}\n")
    assert chart_digest(tmp_path / "vad") != before


@pytest.mark.parametrize("name", NAMES)
def test_stacks_ask_for_the_helm_and_kubernetes_provider_versions_the_project_builds(name):
    required = delivery(name).doc["terraform"]["required_providers"]
    assert required == {
        "helm": {"source": "helm", "version": pins.TF_PROVIDER_HELM[0]},
        "kubernetes": {"source": "kubernetes", "version": pins.TF_PROVIDER_KUBERNETES[0]},
    }


def test_the_helm_and_kubernetes_providers_reach_a_kind_cluster_through_its_kubeconfig_context():
    providers = delivery("local").doc["provider"]
    kind = {"config_path": "~/.kube/config", "config_context": "kind-voiceplat-local"}
    assert providers == {"helm": [{"kubernetes": kind}], "kubernetes": [kind]}


def test_the_helm_and_kubernetes_providers_reach_a_cloud_cluster_with_exec_auth():
    providers = delivery("prod-eu").doc["provider"]
    (helm,), (kubernetes,) = providers["helm"], providers["kubernetes"]
    assert helm["kubernetes"]["exec"]["command"] == "aws"
    assert helm["kubernetes"]["host"] == "https://cluster.example"
    assert kubernetes["exec"] == [helm["kubernetes"]["exec"]] and kubernetes["host"] == helm["kubernetes"]["host"]


def test_values_files_and_local_charts_are_assets_of_the_stack():
    """Named relative to the stack's folder, never by a path of this machine (test_main_stacks checks that the
    synthesized assets exist)."""
    for name in NAMES:
        for release in releases(delivery(name)).values():
            local_chart = [release["chart"]] if "repository" not in release else []
            for path in file_values(release) + local_chart:
                assert path.startswith("assets/file-") and not Path(path).is_absolute(), (release["name"], path)
