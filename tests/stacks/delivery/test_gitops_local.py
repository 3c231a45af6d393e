"""GitOps delivery of the local environment (settings.DELIVERY=gitops): the production path's
ApplicationSet, synced from the in-cluster Git server by the ArgoCD the cluster bootstrap installed."""

import dataclasses

import pytest
import yaml
from cdktf import TerraformResource

import contract
from contract import settings
from deliverykit import releases
from stacks.connection import ClusterConnection
from stacks.delivery.facts import ClusterFacts
from stacks.delivery.gitops import ARGOCD_FROM_CLUSTER
from stacks.delivery.platform import PlatformDelivery
from stacks.delivery.platform_charts import PROJECT_CHARTS
from stacks.environments import ENVIRONMENTS, ConfigError, Delivery, GitSource, aimed
from synthkit import construct_json

GITOPS = {settings.DELIVERY.name: "gitops"}


def local_delivery(environ, facts=ClusterFacts()):
    environment = aimed(ENVIRONMENTS["local"], settings.local_target(environ))

    def build(stack):
        ready = TerraformResource(stack, "cluster-ready", terraform_resource_type="terraform_data")
        connection = ClusterConnection(config_path="~/.kube/config", config_context="kind-voiceplat-local")
        return PlatformDelivery(
            stack, "platform", environment=environment, connection=connection, cluster_ready=[ready], facts=facts
        )

    return construct_json(build)


@pytest.fixture(scope="module")
def gitops_releases():
    return releases(local_delivery(GITOPS))


def test_the_variable_switches_the_local_environment_to_gitops_and_nothing_else():
    assert aimed(ENVIRONMENTS["local"], settings.local_target(GITOPS)).delivery is Delivery.GITOPS
    assert aimed(ENVIRONMENTS["local"], settings.local_target({})).delivery is Delivery.HELM
    assert (
        aimed(ENVIRONMENTS["prod-eu"], settings.local_target({settings.DELIVERY.name: "helm"}))
        is ENVIRONMENTS["prod-eu"]
    )


def test_an_unknown_delivery_mode_is_refused_naming_the_variable_and_the_choices():
    with pytest.raises(settings.SettingError, match=rf"{settings.DELIVERY.name}='argo'.*'helm', 'gitops'"):
        settings.local_target({settings.DELIVERY.name: "argo"})


def test_local_gitops_leaves_argocd_to_the_cluster_and_the_charts_to_argocd(gitops_releases):
    assert "argo-cd" not in gitops_releases
    assert not set(PROJECT_CHARTS) & set(gitops_releases)
    applications = gitops_releases["voiceplat-apps"]
    assert applications["namespace"] == contract.ARGOCD_NAMESPACE
    assert ARGOCD_FROM_CLUSTER[ENVIRONMENTS["local"].cloud].name in applications["chart"]


def test_local_applications_sync_the_in_cluster_repository_at_the_local_branch(gitops_releases):
    (values,) = [yaml.safe_load(text) for text in gitops_releases["voiceplat-apps"]["values"]]
    (appset,) = values["applicationsets"].values()
    source = appset["template"]["spec"]["source"]
    assert (source["repoURL"], source["targetRevision"]) == (contract.LOCAL_GIT_REPOSITORY, "deploy/local")
    assert values["projects"]["voiceplat"]["sourceRepos"] == [contract.LOCAL_GIT_REPOSITORY]
    assert appset["generators"][0]["list"]["elements"] == [{"chart": chart} for chart in PROJECT_CHARTS]


def test_chart_values_given_to_the_stack_are_refused_in_gitops_mode():
    with pytest.raises(ConfigError, match="commit the values to the repository ArgoCD syncs"):
        local_delivery(GITOPS, ClusterFacts(chart_overrides={"platform": {"replicas": 2}}))


def test_a_gitops_environment_without_a_repository_is_refused():
    with pytest.raises(ConfigError, match=r"prod-eu\.git: a GitOps environment needs the repository"):
        dataclasses.replace(ENVIRONMENTS["prod-eu"], git=None)


@pytest.mark.parametrize("url", ["git@github.com:voiceplat/voiceplat-infra.git", "voiceplat/voiceplat-infra", ""])
def test_a_repository_that_is_not_an_http_clone_url_is_refused(url):
    with pytest.raises(ConfigError, match=r"prod-eu\.git\.repository: .* is not an http\(s\) clone URL"):
        dataclasses.replace(ENVIRONMENTS["prod-eu"], git=GitSource(repository=url, revision="deploy/prod-eu"))


def test_every_gitops_environment_names_its_own_branch():
    branches = [env.git.revision for env in ENVIRONMENTS.values() if env.git]
    assert len(branches) == len(set(branches))
