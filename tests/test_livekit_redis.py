"""LiveKit's Redis requires a password the stack generates once (stacks/delivery/livekit_redis.py): Redis reads it
from a Secret the stack creates, LiveKit gets the same value as a sensitive value, and no values document holds it."""
import re

import pytest

from deliverykit import delivery, releases, sensitive
from stacks.delivery.generated_secret import data_key
from stacks.delivery.infrastructure import LIVEKIT_NAMESPACE, LIVEKIT_REDIS
from stacks.delivery.livekit_redis import LIVEKIT_PASSWORD, PASSWORD_KEY, SECRET_NAME
from stacks.environments import ENVIRONMENTS, Cloud
from upstreamkit import dig, release_values

CLOUD = [name for name, env in ENVIRONMENTS.items() if env.cloud is not Cloud.LOCAL]
OUTPUT = re.compile(r"terraform_data\.([\w-]+)\.output")


def generated(env: str, reference: str) -> dict:
    """The terraform_data a sensitive value refers to."""
    (name,) = OUTPUT.findall(reference)
    return delivery(env).doc["resource"]["terraform_data"][name]


@pytest.mark.parametrize("env", CLOUD)
def test_redis_requires_the_password_from_the_secret_the_stack_creates(env):
    assert dig(release_values(env, LIVEKIT_REDIS), "auth") == {
        "enabled": True, "existingSecret": SECRET_NAME, "existingSecretPasswordKey": PASSWORD_KEY}
    found = releases(delivery(env))
    secret = found[SECRET_NAME]
    assert secret["namespace"] == LIVEKIT_NAMESPACE and "repository" not in secret
    password = generated(env, sensitive(secret)[data_key(PASSWORD_KEY)])
    assert password["input"].startswith("${sensitive(") and password["lifecycle"]["ignore_changes"] == ["input"]
    assert any(SECRET_NAME in dep for dep in found[LIVEKIT_REDIS]["depends_on"]), "the Secret before Redis"


@pytest.mark.parametrize("env", CLOUD)
def test_livekit_gets_the_same_password_as_a_sensitive_value_only(env):
    found = releases(delivery(env))
    livekit, secret = sensitive(found["livekit"]), sensitive(found[SECRET_NAME])
    assert OUTPUT.findall(livekit[LIVEKIT_PASSWORD]) == OUTPUT.findall(secret[data_key(PASSWORD_KEY)])
    assert dig(release_values(env, "livekit"), LIVEKIT_PASSWORD) == "sensitive"  # upstreamkit's stand-in
    assert not any("password" in text for text in found["livekit"]["values"]), "never in a values document"
