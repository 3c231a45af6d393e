"""Each environment's facts reach every chart from one generated document (stacks/delivery/environment_values.py),
and the charts' own overlays are looked up, not copied per chart."""

from dataclasses import replace

import pytest

from stacks.delivery.environment_values import environment_values
from stacks.delivery.project_charts import CHARTS_DIR, PROJECT_CHARTS, chart_values_files
from stacks.environments import ENVIRONMENTS, Cloud, ConfigError, Tier, get


@pytest.mark.parametrize("name", sorted(ENVIRONMENTS))
def test_the_generated_values_carry_the_environments_tier_cloud_region_domain_and_ingress_class(name):
    env = get(name)
    values = environment_values(env)["global"]
    assert values["environment"] == env.tier.value
    expected = ("", "") if env.cloud is Cloud.LOCAL else (env.cloud.value, env.region)
    assert (values["cloud"], values["region"]) == expected
    assert values["ingress"]["domain"] == env.ingress.domain
    assert values["ingress"]["className"] == env.ingress.class_name
    assert values["ingress"]["tls"]["enabled"] is env.ingress.tls


@pytest.mark.parametrize(
    ("name", "global_domain"),
    [
        ("prod-eu", "aws.voice.example.com"),
        ("prod-us", "aws.voice.example.com"),
        ("prod-eu-az", "azure.voice.example.com"),
        ("prod-us-az", "azure.voice.example.com"),
        ("preview-eu", ""),
        ("local", ""),
    ],
)
def test_a_region_of_a_global_entry_serves_the_entrys_names_and_no_other_does(name, global_domain):
    assert environment_values(get(name))["global"]["ingress"]["globalDomain"] == global_domain


def test_a_load_balancer_ingress_admits_the_environments_own_address_range():
    env = get("prod-eu")
    assert environment_values(env)["global"]["networkPolicy"]["ingressFrom"] == [
        {"ipBlock": {"cidr": env.cluster.network.cidr}}
    ]


def on_cloud_nginx():
    """preview-eu with NGINX (F5's controller) as its ingress class."""
    env = get("preview-eu")
    return replace(
        env,
        ingress=replace(env.ingress, class_name="nginx", tls_certificate="ingress-tls"),
        values_files=("values/ingress-nginx.yaml", "values/env-preview.yaml"),
    )


@pytest.mark.parametrize(("cloud_nginx", "namespace"), [(False, "ingress-nginx"), (True, "nginx-ingress")])
def test_nginx_admits_its_controllers_namespace(cloud_nginx, namespace):
    """kind's ingress-nginx and the clouds' F5 controller each run in the namespace of their release."""
    env = on_cloud_nginx() if cloud_nginx else get("local")
    [peer] = environment_values(env)["global"]["networkPolicy"]["ingressFrom"]
    assert peer["namespaceSelector"]["matchLabels"] == {"kubernetes.io/metadata.name": namespace}


def test_kind_and_the_clouds_limit_a_body_alike_each_in_its_controllers_annotation():
    kind = environment_values(get("local"))["global"]["ingress"]["annotations"]
    cloud = environment_values(on_cloud_nginx())["global"]["ingress"]["annotations"]
    assert kind == {"nginx.ingress.kubernetes.io/proxy-body-size": "16m"}
    assert cloud == {"nginx.org/client-max-body-size": "16m"}


def test_only_the_local_cluster_admits_its_nodes_to_every_service_port():
    assert environment_values(get("local"))["global"]["networkPolicy"]["ingressFromAll"] == [
        {"ipBlock": {"cidr": "172.16.0.0/12"}}
    ]
    assert environment_values(get("prod-eu"))["global"]["networkPolicy"]["ingressFromAll"] == []


def test_secrets_come_from_the_clouds_store_in_the_environments_region():
    assert environment_values(get("prod-us"))["global"]["secrets"] == {
        "provider": "aws",
        "aws": {"region": "us-east-1"},
    }
    assert environment_values(get("prod-eu-az"))["global"]["secrets"] == {"provider": "azure"}
    assert "secrets" not in environment_values(get("local"))["global"]


def test_an_ingress_class_without_chart_settings_names_the_field_and_the_classes():
    # An unknown class already stops the model (validation.py); a class offered but without chart settings here:
    with pytest.raises(ConfigError, match=r"preview-eu.ingress.class_name: .*use one of alb"):
        environment_values(replace(get("preview-eu"), ingress=replace(get("preview-eu").ingress, class_name="traefik")))


# The local environment's overlay is also rendered alone (ct lint and the chart tests read it through
# ci/local-values.yaml), so it carries the globals a render needs and kind's own settings.
RENDERED_ALONE = "env-local.yaml"


def test_no_chart_keeps_a_copy_of_an_environment_fact():
    for chart in PROJECT_CHARTS:
        assert not list((CHARTS_DIR / chart / "values").glob("region-*.yaml")), chart
        for overlay in (CHARTS_DIR / chart / "values").glob("*.yaml"):
            if overlay.name != RENDERED_ALONE:
                assert "\nglobal:" not in "\n" + overlay.read_text(), f"{overlay} sets global values: generate them"


@pytest.mark.parametrize("name", sorted(name for name, env in ENVIRONMENTS.items() if env.tier is not Tier.E2E))
def test_every_chart_has_its_tier_overlay_and_the_platform_its_ingress_overlay(name):
    env = get(name)
    for chart in PROJECT_CHARTS:
        assert CHARTS_DIR / chart / f"values/env-{env.tier.value}.yaml" in chart_values_files(env, chart), chart
    ingress_overlay = CHARTS_DIR / "platform" / f"values/ingress-{env.ingress.class_name}.yaml"
    assert ingress_overlay in chart_values_files(env, "platform")


def test_an_overlay_no_chart_has_is_a_configuration_error():
    env = replace(get("prod-eu"), values_files=("values/env-prd.yaml",))
    with pytest.raises(ConfigError, match=r"prod-eu.values_files: no project chart has values/env-prd.yaml"):
        chart_values_files(env, "platform")
