"""`cdktf deploy runner-azure-<location>`: an Azure region's deploy runner, once, after `state-azure-<location>` and
before the region's environments.

A resource group and a /24 VNet of their own (environments/runner.py, named `network_name`): the runner's subnet,
leaving through a NAT gateway, no inbound rule, and a Linux VM without a public address that registers itself with
GitHub Actions at boot. Its system identity reads the registration token from a Key Vault of the runner's own (the
secret `token_secret`, put there first: docs/cloud-runbook.md section 5), reached through a service endpoint of the
runner's subnet. The production stacks find the VNet by name and peer with it themselves (path_azure.py).
"""

import base64

from cdktf import AzurermBackend, TerraformOutput, TerraformStack
from cdktf_cdktf_provider_azurerm.data_azurerm_client_config import DataAzurermClientConfig
from cdktf_cdktf_provider_azurerm.key_vault import KeyVault, KeyVaultNetworkAcls
from cdktf_cdktf_provider_azurerm.linux_virtual_machine import (
    LinuxVirtualMachine,
    LinuxVirtualMachineIdentity,
    LinuxVirtualMachineOsDisk,
    LinuxVirtualMachineSourceImageReference,
)
from cdktf_cdktf_provider_azurerm.nat_gateway import NatGateway
from cdktf_cdktf_provider_azurerm.nat_gateway_public_ip_association import NatGatewayPublicIpAssociation
from cdktf_cdktf_provider_azurerm.network_interface import NetworkInterface, NetworkInterfaceIpConfiguration
from cdktf_cdktf_provider_azurerm.network_security_group import NetworkSecurityGroup
from cdktf_cdktf_provider_azurerm.provider import AzurermProvider, AzurermProviderFeatures
from cdktf_cdktf_provider_azurerm.public_ip import PublicIp
from cdktf_cdktf_provider_azurerm.resource_group import ResourceGroup
from cdktf_cdktf_provider_azurerm.role_assignment import RoleAssignment
from cdktf_cdktf_provider_azurerm.subnet import Subnet
from cdktf_cdktf_provider_azurerm.subnet_nat_gateway_association import SubnetNatGatewayAssociation
from cdktf_cdktf_provider_azurerm.subnet_network_security_group_association import (
    SubnetNetworkSecurityGroupAssociation,
)
from cdktf_cdktf_provider_azurerm.virtual_network import VirtualNetwork
from constructs import Construct

from ..delivery.azure_vault import vault_name
from ..environments.runner import DeployRunner
from ..environments.state import AzureState
from .boot import user_data

RUNNER_SUBNET = "runner"


def resource_group(runner: DeployRunner) -> str:
    return f"rg-{runner.network_name}"


class AzureRunnerStack(TerraformStack):
    def __init__(self, scope: Construct, *, runner: DeployRunner, store: AzureState):
        super().__init__(scope, runner.name)
        AzurermBackend(
            self,
            resource_group_name=store.resource_group,
            storage_account_name=store.storage_account,
            container_name=store.container(runner.name),
            key=store.key(runner.name),
            use_azuread_auth=True,
        )
        AzurermProvider(self, "azurerm", features=[AzurermProviderFeatures()])
        tags = {"project": "voiceplat", "managed-by": "cdktf", "role": "deploy-runner"}
        name, location = runner.network_name, runner.region
        group = ResourceGroup(self, "resource-group", name=resource_group(runner), location=location, tags=tags)
        common = {"location": location, "resource_group_name": group.name, "tags": tags}
        vnet = VirtualNetwork(self, "vnet", name=name, address_space=[runner.cidr], **common)
        subnet = Subnet(
            self,
            "subnet",
            name=RUNNER_SUBNET,
            resource_group_name=group.name,
            virtual_network_name=vnet.name,
            address_prefixes=[runner.private_subnet],
            default_outbound_access_enabled=False,
            service_endpoints=["Microsoft.KeyVault"],
        )
        address = PublicIp(
            self, "nat-address", name=f"pip-{name}-nat", allocation_method="Static", sku="Standard", **common
        )
        nat = NatGateway(self, "nat", name=f"ng-{name}", sku_name="Standard", **common)
        NatGatewayPublicIpAssociation(
            self, "nat-address-association", nat_gateway_id=nat.id, public_ip_address_id=address.id
        )
        SubnetNatGatewayAssociation(self, "nat-association", subnet_id=subnet.id, nat_gateway_id=nat.id)
        no_inbound = NetworkSecurityGroup(self, "no-inbound", name=f"nsg-{name}", **common)
        SubnetNetworkSecurityGroupAssociation(
            self, "no-inbound-association", subnet_id=subnet.id, network_security_group_id=no_inbound.id
        )
        client = DataAzurermClientConfig(self, "client")
        vault = vault_name("runner", location)
        token_vault = KeyVault(
            self,
            "vault",
            name=vault,
            tenant_id=client.tenant_id,
            sku_name="standard",
            rbac_authorization_enabled=True,
            purge_protection_enabled=True,
            soft_delete_retention_days=90,
            network_acls=KeyVaultNetworkAcls(
                default_action="Deny", bypass="AzureServices", virtual_network_subnet_ids=[subnet.id]
            ),
            **common,
        )
        nic = NetworkInterface(
            self,
            "nic",
            name=f"nic-{name}",
            ip_configuration=[
                NetworkInterfaceIpConfiguration(
                    name="private", subnet_id=subnet.id, private_ip_address_allocation="Dynamic"
                )
            ],
            **common,
        )
        machine = LinuxVirtualMachine(
            self,
            "machine",
            name=f"vm-{name}",
            size=runner.machine,
            admin_username="azureuser",
            disable_password_authentication=True,
            admin_ssh_key=[],
            network_interface_ids=[nic.id],
            identity=LinuxVirtualMachineIdentity(type="SystemAssigned"),
            os_disk=LinuxVirtualMachineOsDisk(caching="ReadWrite", storage_account_type="Premium_LRS"),
            source_image_reference=LinuxVirtualMachineSourceImageReference(
                publisher="Canonical", offer="ubuntu-24_04-lts", sku="server-arm64", version="latest"
            ),
            encryption_at_host_enabled=True,
            custom_data=base64.b64encode(user_data(runner, fetch_token=_azure_token(runner, vault)).encode()).decode(),
            depends_on=[nat],
            **common,
        )
        RoleAssignment(
            self,
            "reads-token",
            scope=token_vault.id,
            role_definition_name="Key Vault Secrets User",
            principal_id=machine.identity.principal_id,
        )
        TerraformOutput(
            self, "vnet_id", value=vnet.id, description="The runner's VNet, which production stacks peer with"
        )
        TerraformOutput(
            self, "token_vault", value=token_vault.name, description=f"Key Vault holding {runner.token_secret}"
        )


def _azure_token(runner: DeployRunner, vault: str) -> str:
    """The token through the VM's identity (IMDS), with curl alone: no Azure CLI on the machine."""
    imds = (
        "curl -fsS -H Metadata:true 'http://169.254.169.254/metadata/identity/oauth2/token"
        "?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net' | jq -r .access_token"
    )
    return (
        f'curl -fsS -H "Authorization: Bearer $({imds})" '
        f"'https://{vault}.vault.azure.net/secrets/{runner.token_secret}?api-version=7.4' | jq -r .value"
    )
