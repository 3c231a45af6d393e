"""LiveKit's Redis requires a password the stack generates once (stacks/delivery/livekit_redis.py): Redis reads it
from a Secret the stack creates, LiveKit gets the same value as a sensitive value, and no values document holds it.
LiveKit runs on the nodes' network, so Redis admits the nodes beside its NetworkPolicy (per cloud); with
UPSTREAM_CHARTS, the pinned redis chart's rendered pods and policy are read too."""

import os
import re
from pathlib import Path

import pytest

from deliverykit import address, delivery, namespaces, releases, secrets, sensitive
from stacks.delivery.infrastructure import LIVEKIT_NAMESPACE, LIVEKIT_REDIS
from stacks.delivery.livekit_redis import LIVEKIT_PASSWORD, PASSWORD_KEY, REDIS_POD_LABELS, REDIS_PORT, SECRET_NAME
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
        "enabled": True,
        "existingSecret": SECRET_NAME,
        "existingSecretPasswordKey": PASSWORD_KEY,
    }
    synth = delivery(env)
    secret = secrets(synth)[SECRET_NAME]
    assert secret["metadata"]["namespace"] == LIVEKIT_NAMESPACE and secret["type"] == "Opaque"
    password = generated(env, secret["data"][PASSWORD_KEY])
    assert password["input"].startswith("${sensitive(") and password["lifecycle"]["ignore_changes"] == ["input"]
    assert address(synth, "kubernetes_secret_v1", SECRET_NAME) in releases(synth)[LIVEKIT_REDIS]["depends_on"], (
        "the Secret before Redis"
    )


@pytest.mark.parametrize("env", CLOUD)
def test_livekits_namespace_is_made_before_the_secrets_and_releases_in_it(env):
    synth = delivery(env)
    namespace = address(synth, "kubernetes_namespace_v1", LIVEKIT_NAMESPACE)
    assert (
        namespaces(synth)[LIVEKIT_NAMESPACE]["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "privileged"
    ), "LiveKit runs on the nodes' network"
    for secret in secrets(synth).values():
        if secret["metadata"]["namespace"] == LIVEKIT_NAMESPACE:
            assert namespace in secret["depends_on"], secret["metadata"]["name"]
    for name in ("livekit", LIVEKIT_REDIS):
        release = releases(synth)[name]
        assert namespace in release["depends_on"] and not release["create_namespace"], name


@pytest.mark.parametrize("env", CLOUD)
def test_livekit_gets_the_same_password_as_a_sensitive_value_only(env):
    found = releases(delivery(env))
    livekit, secret = sensitive(found["livekit"]), secrets(delivery(env))[SECRET_NAME]["data"]
    assert OUTPUT.findall(livekit[LIVEKIT_PASSWORD]) == OUTPUT.findall(secret[PASSWORD_KEY])
    assert dig(release_values(env, "livekit"), LIVEKIT_PASSWORD) == "sensitive"  # upstreamkit's stand-in
    assert not any("password" in text for text in found["livekit"]["values"]), "never in a values document"


def by_cloud(cloud: Cloud) -> list[str]:
    return [name for name in CLOUD if ENVIRONMENTS[name].cloud is cloud]


@pytest.mark.parametrize("env", by_cloud(Cloud.AWS))
def test_on_aws_redis_admits_the_node_subnets_livekits_host_network_connections_come_from(env):
    (rule,) = dig(release_values(env, LIVEKIT_REDIS), "networkPolicy.extraIngress")
    assert rule["ports"] == [{"port": REDIS_PORT, "protocol": "TCP"}]
    assert [peer["ipBlock"]["cidr"] for peer in rule["from"]] == list(ENVIRONMENTS[env].cluster.network.private_subnets)


@pytest.mark.parametrize("env", by_cloud(Cloud.AZURE))
def test_on_azure_a_cilium_policy_admits_the_nodes_to_redis(env):
    """Cilium gives node traffic the host/remote-node identities, which no ipBlock of the chart's policy matches."""
    (policy,) = dig(release_values(env, LIVEKIT_REDIS), "extraDeploy")
    assert policy["kind"] == "CiliumNetworkPolicy"
    assert policy["spec"]["endpointSelector"] == {"matchLabels": REDIS_POD_LABELS}
    (rule,) = policy["spec"]["ingress"]
    assert set(rule["fromEntities"]) == {"host", "remote-node"}
    assert rule["toPorts"] == [{"ports": [{"port": str(REDIS_PORT), "protocol": "TCP"}]}]
    assert not dig(release_values(env, LIVEKIT_REDIS), "networkPolicy.extraIngress")


UPSTREAM_CHARTS = os.environ.get("UPSTREAM_CHARTS", "")


@pytest.mark.skipif(not UPSTREAM_CHARTS, reason="UPSTREAM_CHARTS names no folder of upstream charts")
@pytest.mark.parametrize("env", ["prod-eu", "prod-eu-az"])
def test_the_pinned_redis_chart_renders_pods_the_node_rules_select_and_keeps_its_own_policy(env):
    from contract import tools
    from stackcheck.upstream.check import Sources, work_dir
    from stackcheck.upstream.releases import UpstreamRelease
    from stackcheck.upstream.render import render

    body = releases(delivery(env))[LIVEKIT_REDIS]
    upstream = UpstreamRelease(
        stack=env,
        name=LIVEKIT_REDIS,
        namespace=LIVEKIT_NAMESPACE,
        repository=body["repository"],
        chart=body["chart"],
        version=body["version"],
        values=(release_values(env, LIVEKIT_REDIS),),
    )
    sources = Sources(helm=tools.tool("helm"), local=Path(UPSTREAM_CHARTS), work=work_dir())
    source = sources.get(upstream)
    if source.path is None:
        pytest.skip(f"{upstream.label} is not in UPSTREAM_CHARTS ({source.note})")
    objects = render(sources.helm, upstream, source.path, drop=source.dropped)
    (master,) = [o for o in objects if o["kind"] == "StatefulSet"]
    assert REDIS_POD_LABELS.items() <= master["spec"]["template"]["metadata"]["labels"].items()
    (policy,) = [o for o in objects if o["kind"] == "NetworkPolicy"]
    peers = [peer for rule in policy["spec"]["ingress"] for peer in rule.get("from", [])]
    assert any("namespaceSelector" in peer for peer in peers), "the chart's own rule (the livekit namespace) stays"
    node_blocks = {peer["ipBlock"]["cidr"] for peer in peers if "ipBlock" in peer}
    cilium = [o for o in objects if o["kind"] == "CiliumNetworkPolicy"]
    if ENVIRONMENTS[env].cloud is Cloud.AWS:
        assert node_blocks == set(ENVIRONMENTS[env].cluster.network.private_subnets) and not cilium
    else:
        assert not node_blocks and len(cilium) == 1
