"""Delivery modes: `helm` environments get the project's charts as releases, `gitops` ones ArgoCD and an
ApplicationSet that syncs the same charts with the same values files from git."""

import pytest
import yaml

import contract
from deliverykit import FACTS, address, delivery, documents, namespaces, ready_address, releases
from stacks.delivery.environment_values import environment_values
from stacks.delivery.gitops import PROJECT
from stacks.delivery.platform_charts import POD_SECURITY_LABELS, PROJECT_CHARTS
from stacks.delivery.project_charts import CHARTS_DIR
from stacks.environments import ENVIRONMENTS, Delivery

HELM = [name for name, env in ENVIRONMENTS.items() if env.delivery is Delivery.HELM]
NAMESPACE = "kubernetes_namespace_v1"
# The stack's own objects the project's charts come after (LiveKit's namespace comes before LiveKit's Secrets).
FIRST_OBJECTS = ("kubernetes_secret_v1", "kubernetes_storage_class_v1")
GITOPS = [name for name, env in ENVIRONMENTS.items() if env.delivery is Delivery.GITOPS]


def test_production_is_delivered_by_gitops_and_preview_and_local_by_helm():
    assert sorted(GITOPS) == sorted(name for name in ENVIRONMENTS if name.startswith("prod-"))
    assert sorted(HELM) == ["local", "preview-eu", "preview-eu-az"]


@pytest.mark.parametrize("name", HELM)
def test_helm_environments_release_every_project_chart_and_no_argocd(name):
    found = releases(delivery(name))
    assert set(PROJECT_CHARTS) <= set(found)
    assert not {"argo-cd", "voiceplat-apps"} & set(found)
    assert contract.PLATFORM_NAMESPACE in namespaces(delivery(name))


@pytest.mark.parametrize("name", GITOPS)
def test_gitops_environments_install_argocd_and_leave_the_project_charts_to_it(name):
    found = releases(delivery(name))
    assert {"argo-cd", "voiceplat-apps"} <= set(found)
    assert not set(PROJECT_CHARTS) & set(found)


@pytest.mark.parametrize("name", HELM)
def test_project_charts_come_after_the_namespace_and_every_other_release(name):
    synth = delivery(name)
    found = releases(synth)
    others = {address(synth, "helm_release", n) for n in found if n not in PROJECT_CHARTS}
    others.add(address(synth, NAMESPACE, contract.PLATFORM_NAMESPACE))
    others |= {f"{kind}.{logical}" for kind in FIRST_OBJECTS for logical in synth.doc["resource"].get(kind, {})}
    for chart in PROJECT_CHARTS:
        assert others | {ready_address(synth)} <= set(found[chart]["depends_on"]), chart


@pytest.mark.parametrize("name", GITOPS)
def test_the_applications_come_after_argocd_its_crds_and_every_add_on(name):
    synth = delivery(name)
    found = releases(synth)
    needed = {address(synth, "helm_release", n) for n in found if n != "voiceplat-apps"}
    needed.add(address(synth, NAMESPACE, contract.PLATFORM_NAMESPACE))
    needed |= {f"{kind}.{logical}" for kind in FIRST_OBJECTS for logical in synth.doc["resource"].get(kind, {})}
    assert needed <= set(found["voiceplat-apps"]["depends_on"])


def application_set(name: str) -> dict:
    (document,) = documents(releases(delivery(name))["voiceplat-apps"])
    (appset,) = document["applicationsets"].values()
    return appset


@pytest.mark.parametrize("name", GITOPS)
def test_the_application_set_makes_one_application_per_project_chart(name):
    elements = application_set(name)["generators"][0]["list"]["elements"]
    assert [element["chart"] for element in elements] == list(PROJECT_CHARTS)


@pytest.mark.parametrize("name", GITOPS)
def test_applications_read_the_charts_from_git_with_the_environments_values_files(name):
    source = application_set(name)["template"]["spec"]["source"]
    repository = f"https://github.com/{ENVIRONMENTS[name].ci_repository}.git"  # one source: the environment's
    assert source["repoURL"] == repository and source["path"] == "charts/{{.chart}}"
    assert source["helm"]["valueFiles"] == list(ENVIRONMENTS[name].values_files)
    assert source["helm"]["ignoreMissingValueFiles"] is True  # a chart with nothing of its own for an overlay


@pytest.mark.parametrize("name", GITOPS)
def test_applications_take_the_environments_values_and_the_clusters_values_after_them(name):
    helm = application_set(name)["template"]["spec"]["source"]["helm"]
    assert yaml.safe_load(helm["values"]) == environment_values(ENVIRONMENTS[name])
    assert helm["valuesObject"] == dict(FACTS[ENVIRONMENTS[name].cloud].chart_values)  # valuesObject wins


@pytest.mark.parametrize("name", GITOPS)
def test_applications_sync_automatically_with_prune_and_self_heal(name):
    spec = application_set(name)["template"]["spec"]
    assert spec["syncPolicy"]["automated"] == {"prune": True, "selfHeal": True}
    assert spec["project"] == PROJECT and spec["destination"]["namespace"] == "voiceplat"


@pytest.mark.parametrize("name", GITOPS)
def test_a_sync_applies_only_what_differs_from_git(name):
    assert "ApplyOutOfSyncOnly=true" in application_set(name)["template"]["spec"]["syncPolicy"]["syncOptions"]


@pytest.mark.parametrize("name", GITOPS)
def test_a_push_refreshes_the_applications_whose_chart_or_its_library_it_touched(name):
    paths = application_set(name)["template"]["metadata"]["annotations"]["argocd.argoproj.io/manifest-generate-paths"]
    # Relative to charts/<chart>: the chart itself and every local chart a project chart depends on.
    assert paths.split(";") == [".", "../voiceplat-lib"]
    for chart in PROJECT_CHARTS:
        dependencies = yaml.safe_load((CHARTS_DIR / chart / "Chart.yaml").read_text())["dependencies"]
        assert {d["repository"] for d in dependencies} == {"file://../voiceplat-lib"}, chart


@pytest.mark.parametrize("name", GITOPS)
def test_the_project_confines_applications_to_the_repository_and_the_platform_namespace(name):
    (document,) = documents(releases(delivery(name))["voiceplat-apps"])
    project = document["projects"][PROJECT]
    assert project["sourceRepos"] == [f"https://github.com/{ENVIRONMENTS[name].ci_repository}.git"]
    assert [d["namespace"] for d in project["destinations"]] == ["voiceplat"]
    assert project["clusterResourceWhitelist"] == []


@pytest.mark.parametrize("name", list(ENVIRONMENTS))
def test_the_platform_namespace_enforces_the_restricted_profile(name):
    labels = namespaces(delivery(name))[contract.PLATFORM_NAMESPACE]["metadata"]["labels"]
    assert POD_SECURITY_LABELS.items() <= labels.items()
    assert POD_SECURITY_LABELS["pod-security.kubernetes.io/enforce"] == "restricted"


def test_a_kind_delivery_checks_the_kubeconfig_context_before_anything_else():
    synth = delivery("local")
    check = next(body for key, body in synth.doc["resource"]["terraform_data"].items() if "kubeconfig" in key)
    (condition,) = check["lifecycle"]["precondition"]
    assert "make cluster" in condition["error_message"] and "kind-voiceplat-local" in condition["condition"]
    check_address = next(f"terraform_data.{k}" for k in synth.doc["resource"]["terraform_data"] if "kubeconfig" in k)
    assert all(check_address in release["depends_on"] for release in releases(synth).values())


@pytest.mark.parametrize("name", [n for n in ENVIRONMENTS if n != "local"])
def test_cloud_deliveries_have_no_kubeconfig_check(name):
    assert not [k for k in delivery(name).doc["resource"]["terraform_data"] if "kubeconfig" in k]
