"""One generated LiveKit key pair reaches both its consumers (stacks/delivery/livekit_keys.py): the LiveKit server's
`livekit-keys` and the Secret the voice service reads, in every environment, kind included."""

import json
import re

import pytest

import contract
from deliverykit import FACTS, address, delivery, releases, secrets
from stacks.delivery.infrastructure import LIVEKIT_NAMESPACE
from stacks.delivery.livekit_keys import API_KEY, KEY_FILE, SECRET_NAME, VOICE_KEY, VOICE_SECRET, voice_secret
from stacks.delivery.rendered import rendered, stand_ins
from stacks.environments import ENVIRONMENTS, Cloud, Delivery

CLOUD = [name for name, env in ENVIRONMENTS.items() if env.cloud is not Cloud.LOCAL]
GENERATED = re.compile(r"terraform_data\.[\w-]+\.output")


def generated_pair(name: str) -> list[str]:
    return [
        key
        for key, body in delivery(name).doc["resource"]["terraform_data"].items()
        if "uuid()" in str(body.get("input")) and "livekit-keys" in key
    ]


@pytest.mark.parametrize("name", CLOUD)
def test_the_voice_service_and_livekit_get_the_same_generated_secret(name):
    found = secrets(delivery(name))
    secret, key, secret_key = voice_secret()
    voice, server = found[secret], found[SECRET_NAME]
    assert voice["metadata"]["namespace"] == contract.PLATFORM_NAMESPACE
    assert server["metadata"]["namespace"] == LIVEKIT_NAMESPACE
    (pair,) = generated_pair(name)
    server_value, voice_value = server["data"][KEY_FILE], voice["data"][secret_key]
    assert GENERATED.findall(server_value) == GENERATED.findall(voice_value) == [f"terraform_data.{pair}.output"]
    assert voice["data"][key] == API_KEY, "the key's public name is plain data"


def test_the_local_environment_creates_the_voice_services_secret_offline():
    found = secrets(delivery("local"))
    secret, _, secret_key = voice_secret()
    (pair,) = generated_pair("local")
    assert found[secret]["data"][secret_key] == f"${{terraform_data.{pair}.output}}"
    # kind runs LiveKit too (stacks/delivery/local_livekit.py): its key file is made from the same generated value.
    assert found[SECRET_NAME]["metadata"]["namespace"] == "livekit"
    assert f"terraform_data.{pair}.output" in json.dumps(found[SECRET_NAME]["data"])


@pytest.mark.parametrize("name", ["local", *CLOUD])
def test_the_platforms_charts_are_installed_after_the_voice_services_secret(name):
    synth = delivery(name)
    first = address(synth, "kubernetes_secret_v1", voice_secret()[0])
    platform = "platform" if ENVIRONMENTS[name].delivery is Delivery.HELM else "voiceplat-apps"
    assert first in releases(synth)[platform]["depends_on"]


@pytest.mark.parametrize("name", ["local", *CLOUD])
def test_the_voice_service_reads_the_pair_from_the_stacks_secret_and_not_from_the_store(name):
    environment = ENVIRONMENTS[name]
    objects = rendered(environment, stand_ins(FACTS[environment.cloud].chart_values))["platform"]
    (voice,) = [obj for obj in objects if obj["kind"] == "Deployment" and obj["metadata"]["name"] == "voice"]
    env = {
        item["name"]: item["valueFrom"]["secretKeyRef"]
        for item in voice["spec"]["template"]["spec"]["containers"][0].get("env", [])
    }
    secret, key, secret_key = voice_secret()
    assert (env[VOICE_KEY]["name"], env[VOICE_KEY]["key"]) == (secret, key)
    assert (env[VOICE_SECRET]["name"], env[VOICE_SECRET]["key"]) == (secret, secret_key)
    synced = [obj for obj in objects if obj["kind"] == "SecretProviderClass"]
    assert "livekit" not in str(synced), "no copy of the pair in the cloud store"
