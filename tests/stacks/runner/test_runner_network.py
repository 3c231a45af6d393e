"""Each region's deploy runner: a small network of its own whose subnets lie inside its range, the runner itself
in the private one without a public address."""

import ipaddress

import pytest

from stacks.environments.catalog import aws_runner, azure_runner

AWS = aws_runner("eu-west-1")
AZURE = azure_runner("westeurope")


@pytest.fixture(scope="module")
def stacks():
    from synthkit import all_stacks

    return all_stacks()


def resources(document: dict, kind: str) -> list[dict]:
    return list(document["resource"][kind].values())


def inside(subnet: str, network: str) -> bool:
    return ipaddress.ip_network(subnet).subnet_of(ipaddress.ip_network(network))


@pytest.mark.parametrize("runner", [AWS, AZURE], ids=lambda runner: runner.name)
def test_the_runner_subnets_are_distinct_quarters_of_its_range(runner):
    assert inside(runner.public_subnet, runner.cidr) and inside(runner.private_subnet, runner.cidr)
    assert not ipaddress.ip_network(runner.public_subnet).overlaps(ipaddress.ip_network(runner.private_subnet))


def test_the_aws_runner_lives_in_its_private_subnet_without_a_public_address(stacks):
    document = stacks[AWS.name].stack_json(AWS.name)
    (vpc,) = resources(document, "aws_vpc")
    subnets = {subnet["tags"]["Name"]: subnet for subnet in resources(document, "aws_subnet")}
    assert vpc["cidr_block"] == AWS.cidr
    assert {name: subnet["cidr_block"] for name, subnet in subnets.items()} == {
        f"{AWS.network_name}-public": AWS.public_subnet,
        f"{AWS.network_name}-private": AWS.private_subnet,
    }
    (instance,) = resources(document, "aws_instance")
    assert instance["associate_public_ip_address"] is False
    assert instance["subnet_id"].startswith("${aws_subnet.private.")


def test_the_azure_runner_subnet_is_the_private_quarter_of_its_vnet(stacks):
    document = stacks[AZURE.name].stack_json(AZURE.name)
    (vnet,) = resources(document, "azurerm_virtual_network")
    (subnet,) = resources(document, "azurerm_subnet")
    assert vnet["address_space"] == [AZURE.cidr]
    assert subnet["address_prefixes"] == [AZURE.private_subnet]
    assert subnet["default_outbound_access_enabled"] is False


@pytest.mark.parametrize("name", ["prod-eu", "prod-us"])
def test_a_production_stack_peers_with_the_runner_vpc_in_the_runners_own_account(stacks, name):
    # Left out, AWS takes the requester's account, and a runner in an account of its own is then not found.
    document = stacks[name].stack_json(name)
    (peering,) = resources(document, "aws_vpc_peering_connection")
    (runner_vpc,) = document["data"]["aws_vpc"]
    assert peering["peer_vpc_id"] == f"${{data.aws_vpc.{runner_vpc}.id}}"
    assert peering["peer_owner_id"] == f"${{data.aws_vpc.{runner_vpc}.owner_id}}"
