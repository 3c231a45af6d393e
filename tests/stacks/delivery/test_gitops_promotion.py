"""GitOps environments follow their own branch, which only the release workflow's promotion moves."""

from stacks.delivery.gitops import application_set
from stacks.environments import ENVIRONMENTS, Delivery


def test_each_gitops_environment_follows_its_deploy_branch_not_main():
    for env in (e for e in ENVIRONMENTS.values() if e.delivery is Delivery.GITOPS):
        (appset,) = application_set(env, "voiceplat", {})["applicationsets"].values()
        assert appset["template"]["spec"]["source"]["targetRevision"] == f"deploy/{env.name}"
