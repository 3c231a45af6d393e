"""`global-aws`: Route 53 latency-based records for the global names, one per production AWS region, each guarded
by a health check on that region's `/readyz`, so Route 53 answers a caller with the nearest region whose check
passes and a failing region drops out of the answers.

The global name `<label>.<entry domain>` is a CNAME to the region's own host `<label>.<region domain>` (the name
its Ingress and ACM certificate already serve, read from the region's output `public_hosts` in the region's state
store), so the global stack needs nothing the load balancer controller makes at run time. Route 53 is a global
service: its state sits in the entry's home region store, and a lost home region stops changes to this stack,
never the answers or the health checks (docs/multi-region.md).

Two more things only the global stack may do, as they name every region: the release registry, where a release
pushes each image once and whose replication rule copies `<entry name>/*` into every region's registry (each
region then pulls from its own); and the DNS records that validate each region's certificate for the global names
(certificate_aws.py).
"""

from cdktf import DataTerraformRemoteStateS3, Fn, TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws.ecr_replication_configuration import (
    EcrReplicationConfiguration,
    EcrReplicationConfigurationReplicationConfiguration,
    EcrReplicationConfigurationReplicationConfigurationRule,
    EcrReplicationConfigurationReplicationConfigurationRuleDestination,
    EcrReplicationConfigurationReplicationConfigurationRuleRepositoryFilter,
)
from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderDefaultTags
from cdktf_cdktf_provider_aws.route53_health_check import Route53HealthCheck
from cdktf_cdktf_provider_aws.route53_record import Route53Record, Route53RecordLatencyRoutingPolicy
from cdktf_cdktf_provider_aws.route53_zone import Route53Zone
from constructs import Construct

from ..delivery.images import project_repositories
from ..delivery.providers import pin_provider_version
from ..delivery.public_hosts import HEALTH_PATH, host_labels
from ..environments import Environment
from ..environments.global_entry import GlobalEntry
from ..environments.state import S3State
from ..registry.aws import EcrRegistry
from ..stack.base import state_backend
from .failover import AWS as FAILOVER

VALIDATION_TTL_S = 300  # ACM re-reads the validation records at each renewal; they never change


def region_outputs(scope: Construct, environment: Environment) -> DataTerraformRemoteStateS3:
    """The region's outputs, read from its own store (the global stack is the one reader of other regions')."""
    state = environment.state
    assert isinstance(state, S3State)  # validation.py: an AWS environment keeps its state in S3
    return DataTerraformRemoteStateS3(
        scope, f"region-{environment.name}", bucket=state.bucket, key=state.key(environment.name), region=state.region
    )


class AwsGlobalStack(TerraformStack):
    def __init__(self, scope: Construct, *, entry: GlobalEntry, regions: tuple[Environment, ...]):
        super().__init__(scope, entry.name)
        state_backend(self, entry)
        AwsProvider(self, "aws", region=entry.region, default_tags=[AwsProviderDefaultTags(tags=dict(entry.tags))])
        pin_provider_version(self, "aws")
        self.entry = entry
        self.zone = Route53Zone(self, "zone", name=entry.domain, comment="global names of the voiceplat AWS regions")
        outputs = {environment.name: region_outputs(self, environment) for environment in regions}
        for environment in regions:
            for label in host_labels():
                self.route(environment, label, outputs[environment.name].get_string(f"public_hosts.{label}"))
                self.validate_certificate(environment, label, outputs[environment.name].get("global_names_validation"))
        self.replicate_images(regions, outputs)
        TerraformOutput(
            self,
            "name_servers",
            value=self.zone.name_servers,
            description=f"Delegate {entry.domain} to these from its parent zone",
        )
        TerraformOutput(
            self, "hosts", value={label: entry.host(label) for label in host_labels()}, description="The global names"
        )

    def route(self, environment: Environment, label: str, regional_host: str) -> None:
        """The region's latency record for the global name, answered only while its /readyz check passes."""
        check = Route53HealthCheck(
            self,
            f"{label}-{environment.name}-readyz",
            fqdn=regional_host,
            port=443,
            type="HTTPS",
            enable_sni=True,
            resource_path=HEALTH_PATH,
            request_interval=FAILOVER.interval_s,
            failure_threshold=FAILOVER.failures,
            tags={"Name": f"{label}.{environment.name}{HEALTH_PATH}"},
        )
        Route53Record(
            self,
            f"{label}-{environment.name}",
            zone_id=self.zone.zone_id,
            name=self.entry.host(label),
            type="CNAME",
            ttl=FAILOVER.ttl_s,
            records=[regional_host],
            set_identifier=environment.name,
            latency_routing_policy=Route53RecordLatencyRoutingPolicy(region=environment.region),
            health_check_id=check.id,
        )

    def validate_certificate(self, environment: Environment, label: str, validation) -> None:
        """The record that lets ACM issue the region's certificate for the global name (certificate_aws.py)."""
        host = self.entry.host(label)
        Route53Record(
            self,
            f"{label}-{environment.name}-certificate",
            zone_id=self.zone.zone_id,
            name=Fn.lookup_nested(validation, [host, "name"]),
            type=Fn.lookup_nested(validation, [host, "type"]),
            records=[Fn.lookup_nested(validation, [host, "value"])],
            ttl=VALIDATION_TTL_S,
            allow_overwrite=True,  # two regions in one account validate a name with the same record
        )

    def replicate_images(self, regions: tuple[Environment, ...], outputs: dict) -> None:
        """The release registry (a push per image and release) and its rule copying it into every region's."""
        release = EcrRegistry(
            self,
            "release-registry",
            prefix=self.entry.name,
            region=self.entry.region,
            repositories=project_repositories(),
        )
        if not regions:
            return
        EcrReplicationConfiguration(
            self,
            "replication",
            replication_configuration=EcrReplicationConfigurationReplicationConfiguration(
                rule=[
                    EcrReplicationConfigurationReplicationConfigurationRule(
                        destination=[
                            EcrReplicationConfigurationReplicationConfigurationRuleDestination(
                                region=environment.region,
                                registry_id=outputs[environment.name].get_string("account_id"),
                            )
                            for environment in regions
                        ],
                        repository_filter=[
                            EcrReplicationConfigurationReplicationConfigurationRuleRepositoryFilter(
                                filter=f"{self.entry.name}/", filter_type="PREFIX_MATCH"
                            )
                        ],
                    )
                ]
            ),
            depends_on=list(release.repositories.values()),
        )
