"""`global-azure`: a Traffic Manager profile per global name, Performance routing over the Azure production regions,
each region an external endpoint (its own host, read from its output `public_hosts` in its own state store) probed
on `/readyz`; the global names are CNAMEs to the profiles in an Azure DNS zone the stack makes.

Traffic Manager rather than Front Door, for voice: Traffic Manager only answers DNS, so a call's WebSocket (and
LiveKit's media, UDP or TURN, which no HTTP proxy carries) goes straight to the region's Application Gateway with
nothing global in its path, for as long as the call lasts. Front Door would proxy the socket through its edge: 5 min
idle timeout, connections capped at 4 hours and dropped on edge maintenance, and 3,000 concurrent WebSockets per
profile, which a voice platform's concurrent calls exceed. Both the AWS and the Azure entry then work the same way
(latency DNS plus health checks), with the same failover budget (failover.py). The price: failover waits for the
DNS TTL, where Front Door would switch at once.

The entry also holds the release registry: ACR Premium in its home region with a geo-replica in every other
production region, so a release pushes each image once and every region pulls from the replica in its own region,
which keeps serving when the home region is lost (the regions' kubelets get AcrPull here, read from their output).
"""

import hashlib

from cdktf import DataTerraformRemoteStateAzurerm, TerraformOutput, TerraformStack
from cdktf_cdktf_provider_azurerm.dns_cname_record import DnsCnameRecord
from cdktf_cdktf_provider_azurerm.dns_zone import DnsZone
from cdktf_cdktf_provider_azurerm.provider import AzurermProvider, AzurermProviderFeatures
from cdktf_cdktf_provider_azurerm.resource_group import ResourceGroup
from cdktf_cdktf_provider_azurerm.role_assignment import RoleAssignment
from cdktf_cdktf_provider_azurerm.traffic_manager_external_endpoint import TrafficManagerExternalEndpoint
from cdktf_cdktf_provider_azurerm.traffic_manager_profile import (
    TrafficManagerProfile,
    TrafficManagerProfileDnsConfig,
    TrafficManagerProfileMonitorConfig,
)
from constructs import Construct

from ..delivery.public_hosts import HEALTH_PATH, host_labels
from ..environments import Environment
from ..environments.global_entry import GlobalEntry
from ..environments.state import AzureState
from ..registry.azure import AcrRegistry
from ..stack.base import state_backend
from .failover import AZURE as FAILOVER, AZURE_PROBE_TIMEOUT_S, AZURE_TOLERATED_FAILURES

CNAME_TTL_S = 3600  # the CNAME to a profile never changes; the profile's own answer carries the failover TTL


def region_outputs(scope: Construct, environment: Environment) -> DataTerraformRemoteStateAzurerm:
    """The region's outputs, read from its own container in its own region's store."""
    state = environment.state
    assert isinstance(state, AzureState)  # validation.py: an Azure environment keeps its state in Azure storage
    return DataTerraformRemoteStateAzurerm(
        scope,
        f"region-{environment.name}",
        resource_group_name=state.resource_group,
        storage_account_name=state.storage_account,
        container_name=state.container(environment.name),
        key=state.key(environment.name),
        use_azuread_auth=True,
    )


def profile_name(entry: GlobalEntry, label: str) -> str:
    """Unique under trafficmanager.net (global): the label and a digest of the entry's domain."""
    return f"voiceplat-{label}-{hashlib.sha256(entry.domain.encode()).hexdigest()[:8]}"


class AzureGlobalStack(TerraformStack):
    def __init__(self, scope: Construct, *, entry: GlobalEntry, regions: tuple[Environment, ...]):
        super().__init__(scope, entry.name)
        state_backend(self, entry)
        AzurermProvider(self, "azurerm", features=[AzurermProviderFeatures()])
        tags = dict(entry.tags)
        group = ResourceGroup(self, "group", name=f"rg-voiceplat-{entry.name}", location=entry.region, tags=tags)
        zone = DnsZone(self, "zone", name=entry.domain, resource_group_name=group.name, tags=tags)
        outputs = {environment.name: region_outputs(self, environment) for environment in regions}
        release = AcrRegistry(
            self,
            "release-registry",
            environment=entry.name,
            location=entry.region,
            resource_group_name=group.name,
            kubelet_object_id="",
            tags=tags,
            replicas=tuple(sorted({env.region for env in regions} - {entry.region})),
        )
        for environment in regions:
            RoleAssignment(
                self,
                f"pull-{environment.name}",
                scope=release.acr.id,
                role_definition_name="AcrPull",
                principal_id=outputs[environment.name].get_string("kubelet_object_id"),
            )
        for label in host_labels():
            profile = TrafficManagerProfile(
                self,
                f"{label}-profile",
                name=profile_name(entry, label),
                resource_group_name=group.name,
                traffic_routing_method="Performance",
                dns_config=TrafficManagerProfileDnsConfig(relative_name=profile_name(entry, label), ttl=FAILOVER.ttl_s),
                monitor_config=TrafficManagerProfileMonitorConfig(
                    protocol="HTTPS",
                    port=443,
                    path=HEALTH_PATH,
                    interval_in_seconds=FAILOVER.interval_s,
                    timeout_in_seconds=AZURE_PROBE_TIMEOUT_S,
                    tolerated_number_of_failures=AZURE_TOLERATED_FAILURES,
                    expected_status_code_ranges=["200-299"],
                ),
                tags=tags,
            )
            for environment in regions:
                TrafficManagerExternalEndpoint(
                    self,
                    f"{label}-{environment.name}",
                    name=environment.name,
                    profile_id=profile.id,
                    target=outputs[environment.name].get_string(f"public_hosts.{label}"),
                    endpoint_location=environment.region,
                )
            DnsCnameRecord(
                self,
                f"{label}-cname",
                name=label,
                zone_name=zone.name,
                resource_group_name=group.name,
                ttl=CNAME_TTL_S,
                record=profile.fqdn,
                tags=tags,
            )
        TerraformOutput(self, "name_servers", value=zone.name_servers, description=f"Delegate {entry.domain} to these")
        TerraformOutput(
            self, "hosts", value={label: entry.host(label) for label in host_labels()}, description="The global names"
        )
