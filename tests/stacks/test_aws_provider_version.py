"""The AWS stacks ask the registry for the release the built AWS provider follows (contract/pins.py), so a cloud
deploy runs the code `make validate-cloud` and `make emulate-aws` checked, not the older one the bindings name."""

import pytest

from contract import pins
from stacks.environments import ENVIRONMENTS, Cloud
from synthkit import all_stacks, start_app_runs

start_app_runs()

AWS = [name for name, env in ENVIRONMENTS.items() if env.cloud is Cloud.AWS] + ["state-aws-eu-west-1", "global-aws"]


@pytest.mark.parametrize("name", AWS)
def test_every_aws_stack_asks_for_the_release_the_built_provider_follows(name):
    required = all_stacks()[name].stack_json(name)["terraform"]["required_providers"]
    assert required["aws"]["version"] == pins.TF_PROVIDER_AWS_RELEASE


def test_that_release_is_the_built_versions_own_line():
    release = tuple(map(int, pins.TF_PROVIDER_AWS_RELEASE.split(".")))
    built = tuple(map(int, pins.TF_PROVIDER_AWS[0].split(".")))
    assert release[:2] == built[:2] and release <= built
