"""Environment.ci_repository: the GitHub repository whose workflows a cloud environment trusts (stacks/ci_access)."""

from dataclasses import replace

import pytest

from stacks.environments import ENVIRONMENTS, Cloud, ConfigError
from stacks.environments.catalog import LOCAL, PREVIEW_EU


def refusal(build) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        build()
    return info.value


def test_every_cloud_environment_names_the_repository_that_deploys_it():
    assert all(env.ci_repository for env in ENVIRONMENTS.values() if env.cloud is not Cloud.LOCAL)


def test_the_local_environment_trusts_no_repository():
    assert LOCAL.ci_repository == ""


def test_a_cloud_environment_without_a_repository_says_what_to_write():
    error = refusal(lambda: replace(PREVIEW_EU, ci_repository=""))
    assert error.path == "preview-eu.ci_repository" and "owner/name" in error.fix


@pytest.mark.parametrize(
    "bad",
    [
        "voiceplat-infra",
        "https://github.com/voiceplat/voiceplat-infra",
        "voiceplat/voiceplat-infra.git",
        "-voiceplat/infra",
        "voiceplat/..",
        "a/b/c",
        "voice plat/infra",
    ],
)
def test_a_repository_that_is_not_owner_slash_name_is_refused(bad):
    error = refusal(lambda: replace(PREVIEW_EU, ci_repository=bad))
    assert error.path == "preview-eu.ci_repository" and "voiceplat/voiceplat-infra" in error.fix


@pytest.mark.parametrize("good", ["voiceplat/voiceplat-infra", "Octo-Org/octo.repo_2", "a/b"])
def test_owner_slash_name_is_accepted(good):
    assert replace(PREVIEW_EU, ci_repository=good).ci_repository == good
