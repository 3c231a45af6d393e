"""Add-ons and infrastructure per cloud, in dependency order: CRDs and webhooks before their users."""

import pytest

import contract
from deliverykit import FACTS, address, delivery, documents, ready_address, releases, secrets
from stacks.delivery.helm_addons import ADDONS, PROVIDED, TUNNEL_TOKEN_VARIABLE
from stacks.delivery.infrastructure import INFRASTRUCTURE
from stacks.delivery.livekit_keys import voice_secret
from stacks.delivery.rendered import adapter_rules
from stacks.environments import ENVIRONMENTS, Cloud

CLOUD_NAMES = [name for name, env in ENVIRONMENTS.items() if env.cloud is not Cloud.LOCAL]


def depends_on(synth, name: str) -> set[str]:
    return set(releases(synth)[name].get("depends_on", []))


@pytest.mark.parametrize("name", ["preview-eu", "prod-eu", "prod-us"])
def test_an_eks_cluster_gets_the_aws_controllers_and_the_shared_add_ons(name):
    found = set(releases(delivery(name)))
    assert {
        "aws-load-balancer-controller",
        "nginx-ingress",
        "metrics-server",
        "kube-prometheus-stack",
        "prometheus-adapter",
        "nvidia-device-plugin",
        "dcgm-exporter",
        "secrets-store-csi-driver",
        "secrets-store-csi-driver-provider-aws",
        "cluster-autoscaler",
        "cloudflared",
    } <= found


def test_an_aks_cluster_gets_nginx_monitoring_gpu_and_the_tunnel_but_nothing_aws():
    found = set(releases(delivery("prod-eu-az")))
    assert {
        "nginx-ingress",
        "kube-prometheus-stack",
        "prometheus-adapter",
        "nvidia-device-plugin",
        "dcgm-exporter",
        "cloudflared",
    } <= found
    assert not {name for name in found if "aws" in name}


@pytest.mark.parametrize("name", list(ENVIRONMENTS))
def test_nothing_the_cloud_already_runs_is_installed_again(name):
    cloud = ENVIRONMENTS[name].cloud
    assert not set(PROVIDED[cloud]) & set(releases(delivery(name)))


def test_the_kind_cluster_keeps_the_metrics_server_of_its_bootstrap():
    assert "metrics-server" in PROVIDED[Cloud.LOCAL]
    assert "metrics-server" not in releases(delivery("local"))


@pytest.mark.parametrize("name", CLOUD_NAMES)
def test_clouds_get_temporal_rabbitmq_and_livekit(name):
    assert {"temporal", "rabbitmq", "livekit"} <= set(releases(delivery(name)))


def test_the_kind_cluster_gets_its_rabbitmq_temporal_and_only_its_monitoring_add_ons():
    synth = delivery("local")
    expected = {"platform", "deepgram", "tts", "vad", "local-monitoring", "infra-monitoring", "rabbitmq", "temporal"}
    assert set(releases(synth)) == expected
    assert "local-temporal-chart" in releases(synth)["temporal"]["chart"]
    # The broker's user, and the rabbitmq-url of each service whose policy reaches the broker (local_rabbitmq.py);
    # Temporal's PostgreSQL password (local_temporal.py).
    assert set(secrets(synth)) == {
        voice_secret()[0],
        "rabbitmq-credentials",
        "temporal-postgresql",
        "rest-api-secrets",
        "text-secrets",
        "media-secrets",
    }


@pytest.mark.parametrize("name", CLOUD_NAMES)
def test_every_add_on_and_infrastructure_release_waits_for_the_cluster(name):
    synth = delivery(name)
    cloud = ENVIRONMENTS[name].cloud
    for release_name in [a.name for a in ADDONS[cloud]] + [s.name for s in INFRASTRUCTURE[cloud]]:
        assert ready_address(synth) in depends_on(synth, release_name), release_name


@pytest.mark.parametrize("name", CLOUD_NAMES)
@pytest.mark.parametrize(
    "user, provider",
    [
        ("prometheus-adapter", "kube-prometheus-stack"),
        ("dcgm-exporter", "kube-prometheus-stack"),
        ("infra-monitoring", "kube-prometheus-stack"),
        ("cloudflared", "nginx-ingress"),
        ("nginx-ingress", "kube-prometheus-stack"),  # its ServiceMonitor
    ],
)
def test_a_release_comes_after_the_one_whose_crds_or_service_it_uses(name, user, provider):
    synth = delivery(name)
    assert address(synth, "helm_release", provider) in depends_on(synth, user)


@pytest.mark.parametrize("name", ["preview-eu", "prod-eu"])
def test_on_eks_nginx_and_the_aws_secrets_provider_follow_their_controllers(name):
    synth = delivery(name)
    assert address(synth, "helm_release", "aws-load-balancer-controller") in depends_on(synth, "nginx-ingress")
    assert address(synth, "helm_release", "secrets-store-csi-driver") in depends_on(
        synth, "secrets-store-csi-driver-provider-aws"
    )


@pytest.mark.parametrize("name", CLOUD_NAMES)
@pytest.mark.parametrize("daemon", ["nvidia-device-plugin", "dcgm-exporter"])
def test_gpu_daemons_run_on_gpu_nodes_only(name, daemon):
    (document,) = documents(releases(delivery(name))[daemon])
    taint = contract.GPU_TAINT
    assert document["nodeSelector"] == {contract.GPU_NODE_LABEL_KEY: contract.GPU_NODE_LABEL_VALUE}
    assert document["tolerations"] == [
        {"key": taint.key, "operator": "Equal", "value": taint.value, "effect": taint.effect}
    ]


@pytest.mark.parametrize("name", CLOUD_NAMES)
def test_the_adapter_serves_exactly_the_rules_the_charts_render(name):
    (document,) = documents(releases(delivery(name))["prometheus-adapter"])
    expected = adapter_rules(ENVIRONMENTS[name], dict(FACTS[ENVIRONMENTS[name].cloud].chart_values))
    assert document["rules"]["custom"] == expected["rules"]
    assert document["rules"]["external"] == expected["externalRules"]


def test_the_adapter_rules_hold_each_metric_once_though_two_charts_define_gpu_utilization():
    (document,) = documents(releases(delivery("prod-eu"))["prometheus-adapter"])
    names = [rule["name"]["as"] for rule in document["rules"]["custom"]]
    assert names.count("gpu_utilization") == 1 and "stt_active_streams" in names


def test_the_cloud_stacks_values_reach_their_add_on_after_its_files():
    (document,) = documents(releases(delivery("prod-eu"))["aws-load-balancer-controller"])
    assert document == FACTS[Cloud.AWS].addon_values["aws-load-balancer-controller"]


@pytest.mark.parametrize("name", CLOUD_NAMES)
def test_the_tunnel_token_is_a_sensitive_variable_never_a_value(name):
    synth = delivery(name)
    (entry,) = releases(synth)["cloudflared"]["set_sensitive"]
    assert entry["value"] == f"${{var.{TUNNEL_TOKEN_VARIABLE}}}"
    assert synth.doc["variable"][TUNNEL_TOKEN_VARIABLE]["sensitive"] is True
