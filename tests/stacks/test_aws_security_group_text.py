"""Security group and rule descriptions hold only the characters the EC2 API accepts (the AWS provider checks the
pattern at plan time, so one apostrophe fails every plan of the stack). `make validate-cloud` found one; this keeps
the next one out of every CI run, where the provider itself is not built."""

import re

import pytest

from stacks.environments import ENVIRONMENTS, Cloud
from synthkit import all_stacks, start_app_runs

start_app_runs()

# The provider's pattern for security group (rule) descriptions, as `tofu validate` reported it.
EC2_DESCRIPTION = re.compile(r"^[0-9A-Za-z_ .:/()#,@\[\]+=&;{}!$*-]*$")
AWS = [name for name, env in ENVIRONMENTS.items() if env.cloud is Cloud.AWS]


def descriptions(resources: dict) -> list[tuple[str, str]]:
    """(resource address, description) of every security group, its inline rules and the separate rule resources."""
    found = []
    for kind in (
        "aws_security_group",
        "aws_security_group_rule",
        "aws_vpc_security_group_ingress_rule",
        "aws_vpc_security_group_egress_rule",
    ):
        for name, body in resources.get(kind, {}).items():
            found += [(f"{kind}.{name}", body["description"])] if isinstance(body.get("description"), str) else []
            for direction in ("ingress", "egress"):
                found += [
                    (f"{kind}.{name}.{direction}", rule["description"])
                    for rule in body.get(direction) or []
                    if isinstance(rule, dict) and isinstance(rule.get("description"), str)
                ]
    return found


@pytest.mark.parametrize("name", AWS)
def test_every_security_group_description_is_one_ec2_accepts(name):
    found = descriptions(all_stacks()[name].stack_json(name).get("resource", {}))
    assert found, "the stack has security groups with descriptions"
    assert not [(where, text) for where, text in found if not EC2_DESCRIPTION.match(text)]
