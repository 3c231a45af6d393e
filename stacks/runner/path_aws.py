"""A production AWS stack's own path to the deploy runner (runner-aws): a VPC peering with the runner's VPC (in the
runner's region, accepted there by an aliased provider), a route to the runner from each private route table and one
back from the runner's route table. The stack puts `ready` before everything that talks to its cluster's API
(stacks/stack/aws.py adds it to `cluster_ready`), so one `cdktf deploy <env>` on the runner creates the cluster, the
path and then the releases, in that order.

No DNS link is needed on AWS: a private-only EKS endpoint's name resolves publicly to its private addresses, which
the peering routes to (the cluster security group admits the runner's range: stacks/cluster/aws.py).
"""

from collections.abc import Sequence

from cdktf_cdktf_provider_aws.data_aws_route_table import DataAwsRouteTable
from cdktf_cdktf_provider_aws.data_aws_vpc import DataAwsVpc
from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderAssumeRole
from cdktf_cdktf_provider_aws.route import Route
from cdktf_cdktf_provider_aws.vpc_peering_connection import VpcPeeringConnection
from cdktf_cdktf_provider_aws.vpc_peering_connection_accepter import VpcPeeringConnectionAccepterA
from constructs import Construct

from ..environments.runner import DeployRunner

RUNNER_ALIAS = "runner"  # the provider acting in the runner's account and region (stackcheck/emulate knows it)


class AwsRunnerPath(Construct):
    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        name: str,
        runner: DeployRunner,
        vpc_id: str,
        vpc_cidr: str,
        route_table_ids: Sequence[str],
    ):
        super().__init__(scope, id_)
        at_runner = AwsProvider(
            self,
            "runner-region",
            alias=RUNNER_ALIAS,
            region=runner.region,
            assume_role=[AwsProviderAssumeRole(role_arn=runner.peering_role)] if runner.peering_role else None,
        )
        runner_vpc = DataAwsVpc(self, "runner-vpc", provider=at_runner, tags={"Name": runner.network_name})
        runner_routes = DataAwsRouteTable(
            self, "runner-routes", provider=at_runner, tags={"Name": f"{runner.network_name}-private"}
        )
        self.peering = VpcPeeringConnection(
            self,
            "peering",
            vpc_id=vpc_id,
            peer_vpc_id=runner_vpc.id,
            # The runner's account: AWS takes the requester's own when it is left out, and a runner in an account of
            # its own (peering_role) is then not found.
            peer_owner_id=runner_vpc.owner_id,
            peer_region=runner.region,
            tags={"Name": f"{name}-to-{runner.name}"},
        )
        accepted = VpcPeeringConnectionAccepterA(
            self,
            "accepter",
            provider=at_runner,
            vpc_peering_connection_id=self.peering.id,
            auto_accept=True,
            tags={"Name": f"{name}-to-{runner.name}"},
        )
        routes = [
            Route(
                self,
                f"to-runner-{index}",
                route_table_id=table,
                destination_cidr_block=runner.cidr,
                vpc_peering_connection_id=accepted.id,
            )
            for index, table in enumerate(route_table_ids)
        ]
        back = Route(
            self,
            "from-runner",
            provider=at_runner,
            route_table_id=runner_routes.id,
            destination_cidr_block=vpc_cidr,
            vpc_peering_connection_id=accepted.id,
        )
        self.ready = [accepted, *routes, back]
