"""A production Azure stack's own path to the deploy runner (runner-azure): the VNet peering both ways (Azure routes
between peered VNets by itself) and a link of the cluster's private DNS zone to the runner's VNet, so the runner
resolves the private API server's name. The zone is the one AKS makes in its node resource group; its name is the
cluster's private FQDN without its first label. The stack puts `ready` before everything that talks to its
cluster's API (stacks/stack/azure.py adds it to `cluster_ready`).
"""

from cdktf import Fn
from cdktf_cdktf_provider_azurerm.data_azurerm_virtual_network import DataAzurermVirtualNetwork
from cdktf_cdktf_provider_azurerm.kubernetes_cluster import KubernetesCluster
from cdktf_cdktf_provider_azurerm.private_dns_zone_virtual_network_link import PrivateDnsZoneVirtualNetworkLink
from cdktf_cdktf_provider_azurerm.virtual_network_peering import VirtualNetworkPeering
from constructs import Construct

from ..environments.runner import DeployRunner
from .azure import resource_group


class AzureRunnerPath(Construct):
    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        name: str,
        runner: DeployRunner,
        resource_group_name: str,
        vnet_name: str,
        vnet_id: str,
        cluster: KubernetesCluster,
    ):
        super().__init__(scope, id_)
        runner_vnet = DataAzurermVirtualNetwork(
            self, "runner-vnet", name=runner.network_name, resource_group_name=resource_group(runner)
        )
        to_runner = VirtualNetworkPeering(
            self,
            "to-runner",
            name=f"to-{runner.name}",
            resource_group_name=resource_group_name,
            virtual_network_name=vnet_name,
            remote_virtual_network_id=runner_vnet.id,
            allow_virtual_network_access=True,
        )
        from_runner = VirtualNetworkPeering(
            self,
            "from-runner",
            name=f"to-{name}",
            resource_group_name=resource_group(runner),
            virtual_network_name=runner.network_name,
            remote_virtual_network_id=vnet_id,
            allow_virtual_network_access=True,
        )
        dns = PrivateDnsZoneVirtualNetworkLink(
            self,
            "dns-link",
            name=runner.name,
            resource_group_name=cluster.node_resource_group,
            private_dns_zone_name=Fn.replace(cluster.private_fqdn, "/^[^.]+\\\\./", ""),
            virtual_network_id=runner_vnet.id,
        )
        self.ready = [to_runner, from_runner, dns]
