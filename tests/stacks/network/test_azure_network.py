"""AzureNetwork: resource group, VNet and the nodes and ingress subnets of the address plan."""

import pytest
from cdktf_cdktf_provider_azurerm.subnet import Subnet
from cdktf_cdktf_provider_azurerm.virtual_network import VirtualNetwork

from stacks.environments.catalog import PROD_EU_AZ
from stacks.network.azure import AzureNetwork
from synthkit import construct_json

NETWORK = PROD_EU_AZ.cluster.network


@pytest.fixture(scope="module")
def network():
    return construct_json(
        lambda stack: AzureNetwork(
            stack, "network", name=PROD_EU_AZ.cluster_name, location="westeurope", network=NETWORK, tags={"a": "b"}
        )
    )


def test_resource_group_is_named_after_the_cluster(network):
    assert network.has("azurerm_resource_group", {"name": "rg-voiceplat-prod-eu-az", "location": "westeurope"})


def test_vnet_spans_the_environments_range(network):
    assert network.has(VirtualNetwork.TF_RESOURCE_TYPE, {"address_space": [NETWORK.cidr]})


def test_nodes_live_in_the_private_subnet_without_implicit_outbound_access(network):
    assert network.has(
        Subnet.TF_RESOURCE_TYPE,
        {"name": "nodes", "address_prefixes": [NETWORK.private_subnets[0]], "default_outbound_access_enabled": False},
    )


def test_ingress_gets_the_public_subnet(network):
    assert network.has(Subnet.TF_RESOURCE_TYPE, {"name": "ingress", "address_prefixes": [NETWORK.public_subnets[0]]})


def test_pods_take_no_vnet_subnet(network):
    assert len(network.resources(Subnet.TF_RESOURCE_TYPE)) == 2
