"""Azure network: the environment's resource group, a VNet, the nodes subnet and an optional ingress subnet.

Pods do not take VNet addresses (Azure CNI overlay gives them `pod_cidr`), so one subnet holds
every node of every pool.
"""

from cdktf_cdktf_provider_azurerm.resource_group import ResourceGroup
from cdktf_cdktf_provider_azurerm.subnet import Subnet
from cdktf_cdktf_provider_azurerm.virtual_network import VirtualNetwork
from constructs import Construct

from ..environments import Network


class AzureNetwork(Construct):
    def __init__(self, scope: Construct, id_: str, *, name: str, location: str, network: Network, tags: dict[str, str]):
        super().__init__(scope, id_)
        self.location = location
        self.resource_group = ResourceGroup(self, "resource-group", name=f"rg-{name}", location=location, tags=tags)
        self.resource_group_name = self.resource_group.name
        self.vnet = VirtualNetwork(
            self,
            "vnet",
            name=f"vnet-{name}",
            location=location,
            resource_group_name=self.resource_group_name,
            address_space=[network.cidr],
            tags=tags,
        )
        self.nodes_subnet = Subnet(
            self,
            "nodes",
            name="nodes",
            resource_group_name=self.resource_group_name,
            virtual_network_name=self.vnet.name,
            address_prefixes=[network.private_subnets[0]],
            # Egress goes through the cluster's load balancer, never the deprecated implicit outbound IP.
            default_outbound_access_enabled=False,
        )
        self.nodes_subnet_id = self.nodes_subnet.id
        self.ingress_subnet_id = None
        if network.public_subnets:
            ingress = Subnet(
                self,
                "ingress",
                name="ingress",
                resource_group_name=self.resource_group_name,
                virtual_network_name=self.vnet.name,
                address_prefixes=[network.public_subnets[0]],
                default_outbound_access_enabled=False,
            )
            self.ingress_subnet_id = ingress.id
