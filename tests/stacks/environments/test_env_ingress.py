"""The ingress class is an environment's choice among the controllers its cloud offers (NGINX everywhere, the
ALB on AWS, AGIC on Azure); anything else stops the synth."""

from dataclasses import replace

import pytest

from stacks.environments import ConfigError, Ingress
from stacks.environments.catalog import PREVIEW_EU_AZ, PROD_EU
from stacks.environments.clouds import AGIC_CLASS


def test_azure_environments_may_choose_nginx_instead_of_agic():
    assert (
        replace(
            PREVIEW_EU_AZ,
            ingress=Ingress(domain="x.voice.example.com", class_name="nginx"),
            values_files=("values/ingress-nginx.yaml", "values/env-preview.yaml"),
        ).ingress.class_name
        == "nginx"
    )


def test_a_class_no_controller_of_the_cloud_serves_is_refused():
    with pytest.raises(ConfigError) as info:
        replace(PROD_EU, ingress=Ingress(domain="eu.voice.example.com", class_name=AGIC_CLASS))
    assert info.value.path == "prod-eu.ingress.class_name" and "alb, nginx" in info.value.fix


def test_agic_without_an_ingress_subnet_is_refused():
    network = replace(PREVIEW_EU_AZ.cluster.network, public_subnets=())
    with pytest.raises(ConfigError, match="subnet of its own"):
        replace(PREVIEW_EU_AZ, cluster=replace(PREVIEW_EU_AZ.cluster, network=network))
