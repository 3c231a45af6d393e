"""The local stack installs LiveKit and its Redis from the local chart (stacks/delivery/local_livekit.py): after
their namespace and the two Secrets the stack generates, with the images `make tools` builds."""

from contract import pins
from deliverykit import address, delivery, documents, namespaces, releases, secrets
from stacks.delivery.livekit_keys import SECRET_NAME as KEYS_SECRET
from stacks.delivery.livekit_redis import SECRET_NAME as REDIS_SECRET
from stacks.delivery.local_livekit import CHART_IMAGES, RELEASE, RESTRICTED


def test_livekit_waits_for_its_namespace_and_both_generated_secrets():
    synth = delivery("local")
    needs = set(releases(synth)[RELEASE].get("depends_on", []))
    for secret in (KEYS_SECRET, REDIS_SECRET):
        assert address(synth, "kubernetes_secret_v1", secret) in needs, secret
        assert secrets(synth)[secret]["metadata"]["namespace"] == "livekit"
    assert address(synth, "kubernetes_namespace_v1", "livekit") in needs


def test_livekits_namespace_enforces_the_restricted_profile_on_kind():
    labels = namespaces(delivery("local"))["livekit"]["metadata"]["labels"]
    assert RESTRICTED.items() <= labels.items()


def test_the_local_chart_runs_the_images_make_tools_builds():
    (values,) = [doc for doc in documents(releases(delivery("local"))[RELEASE]) if "images" in doc]
    assert values["images"] == {key: pins.LIVEKIT_IMAGES[key] for key in CHART_IMAGES}
