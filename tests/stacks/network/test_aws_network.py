"""AwsNetwork: subnets per zone, NAT per zone or shared, tags for load balancers."""

import pytest
from cdktf_cdktf_provider_aws.nat_gateway import NatGateway
from cdktf_cdktf_provider_aws.subnet import Subnet

from stacks.environments.catalog import PREVIEW_EU, PROD_EU
from stacks.network.aws import AwsNetwork
from synthkit import construct_json


def network_of(environment):
    return construct_json(
        lambda stack: AwsNetwork(
            stack,
            "network",
            name=environment.cluster_name,
            zones=environment.cluster.zones,
            network=environment.cluster.network,
        )
    )


@pytest.fixture(scope="module")
def prod():
    return network_of(PROD_EU)


@pytest.fixture(scope="module")
def preview():
    return network_of(PREVIEW_EU)


@pytest.mark.parametrize("index, zone", enumerate(PROD_EU.cluster.zones))
def test_each_zone_has_a_public_subnet(prod, index, zone):
    assert prod.has(
        Subnet.TF_RESOURCE_TYPE,
        {
            "availability_zone": zone,
            "cidr_block": PROD_EU.cluster.network.public_subnets[index],
            "map_public_ip_on_launch": False,
            "tags": {"kubernetes.io/role/elb": "1"},
        },
    )


@pytest.mark.parametrize("index, zone", enumerate(PROD_EU.cluster.zones))
def test_each_zone_has_a_private_subnet_for_internal_load_balancers(prod, index, zone):
    assert prod.has(
        Subnet.TF_RESOURCE_TYPE,
        {
            "availability_zone": zone,
            "cidr_block": PROD_EU.cluster.network.private_subnets[index],
            "tags": {"kubernetes.io/role/internal-elb": "1"},
        },
    )


def test_subnets_are_tagged_for_the_cluster(prod):
    tag = f"kubernetes.io/cluster/{PROD_EU.cluster_name}"
    assert all(subnet["tags"][tag] == "shared" for subnet in prod.resources(Subnet.TF_RESOURCE_TYPE))


def test_production_has_a_nat_gateway_per_zone(prod):
    assert len(prod.resources(NatGateway.TF_RESOURCE_TYPE)) == len(PROD_EU.cluster.zones)


def test_each_private_zone_routes_through_its_own_nat(prod):
    targets = {route["nat_gateway_id"] for route in prod.resources("aws_route") if "nat_gateway_id" in route}
    assert len(targets) == len(PROD_EU.cluster.zones)


def test_preview_shares_a_single_nat_gateway(preview):
    assert len(preview.resources(NatGateway.TF_RESOURCE_TYPE)) == 1


def test_every_private_route_of_preview_uses_the_single_nat(preview):
    targets = [route["nat_gateway_id"] for route in preview.resources("aws_route") if "nat_gateway_id" in route]
    assert len(targets) == len(PREVIEW_EU.cluster.zones) and len(set(targets)) == 1


def test_public_subnets_route_to_the_internet_gateway(prod):
    assert prod.has(
        "aws_route", {"destination_cidr_block": "0.0.0.0/0", "gateway_id": prod.ref("aws_internet_gateway", "id")}
    )
