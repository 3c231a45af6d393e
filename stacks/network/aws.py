"""AWS network: a VPC across the environment's zones, a public and a private subnet in each, and NAT.

Public subnets hold load balancers only; nodes and pods live in the private subnets and leave through
a NAT gateway: one per zone (a zone outage keeps the others' egress) or one shared, as the
environment's `nat_gateways` says. Subnets carry the tags the AWS Load Balancer Controller reads.
"""

from cdktf_cdktf_provider_aws.eip import Eip
from cdktf_cdktf_provider_aws.internet_gateway import InternetGateway
from cdktf_cdktf_provider_aws.nat_gateway import NatGateway
from cdktf_cdktf_provider_aws.route import Route
from cdktf_cdktf_provider_aws.route_table import RouteTable
from cdktf_cdktf_provider_aws.route_table_association import RouteTableAssociation
from cdktf_cdktf_provider_aws.subnet import Subnet
from cdktf_cdktf_provider_aws.vpc import Vpc
from constructs import Construct

from ..environments import NatGateways, Network

ANYWHERE = "0.0.0.0/0"


class AwsNetwork(Construct):
    def __init__(self, scope: Construct, id_: str, *, name: str, zones: tuple[str, ...], network: Network):
        super().__init__(scope, id_)
        # EKS tags the VPC's subnets by cluster name; this tag lets the load balancer controller find them.
        cluster_tag = {f"kubernetes.io/cluster/{name}": "shared"}
        self.vpc = Vpc(
            self,
            "vpc",
            cidr_block=network.cidr,
            enable_dns_support=True,
            enable_dns_hostnames=True,
            tags={"Name": name},
        )
        self.vpc_id = self.vpc.id
        gateway = InternetGateway(self, "internet-gateway", vpc_id=self.vpc_id, tags={"Name": name})
        public_routes = RouteTable(self, "public-routes", vpc_id=self.vpc_id, tags={"Name": f"{name}-public"})
        Route(
            self,
            "public-default",
            route_table_id=public_routes.id,
            destination_cidr_block=ANYWHERE,
            gateway_id=gateway.id,
        )

        public, private, nats, self.private_route_tables = [], [], [], []
        for index, zone in enumerate(zones):
            subnet = Subnet(
                self,
                f"public-{zone}",
                vpc_id=self.vpc_id,
                availability_zone=zone,
                cidr_block=network.public_subnets[index],
                map_public_ip_on_launch=False,  # only load balancers and NAT gateways live here
                tags={"Name": f"{name}-public-{zone}", "kubernetes.io/role/elb": "1", **cluster_tag},
            )
            RouteTableAssociation(self, f"public-{zone}-routes", subnet_id=subnet.id, route_table_id=public_routes.id)
            public.append(subnet)
            if network.nat_gateways is NatGateways.PER_ZONE or index == 0:
                address = Eip(self, f"nat-{zone}-address", domain="vpc", tags={"Name": f"{name}-nat-{zone}"})
                nats.append(
                    NatGateway(
                        self,
                        f"nat-{zone}",
                        allocation_id=address.allocation_id,
                        subnet_id=subnet.id,
                        tags={"Name": f"{name}-{zone}"},
                        depends_on=[gateway],
                    )
                )

        for index, zone in enumerate(zones):
            subnet = Subnet(
                self,
                f"private-{zone}",
                vpc_id=self.vpc_id,
                availability_zone=zone,
                cidr_block=network.private_subnets[index],
                tags={"Name": f"{name}-private-{zone}", "kubernetes.io/role/internal-elb": "1", **cluster_tag},
            )
            routes = RouteTable(
                self, f"private-{zone}-routes", vpc_id=self.vpc_id, tags={"Name": f"{name}-private-{zone}"}
            )
            Route(
                self,
                f"private-{zone}-default",
                route_table_id=routes.id,
                destination_cidr_block=ANYWHERE,
                nat_gateway_id=nats[min(index, len(nats) - 1)].id,
            )
            RouteTableAssociation(
                self, f"private-{zone}-routes-association", subnet_id=subnet.id, route_table_id=routes.id
            )
            private.append(subnet)
            self.private_route_tables.append(routes)

        self.public_subnet_ids = [subnet.id for subnet in public]
        self.private_subnet_ids = [subnet.id for subnet in private]
        self.nat_gateway_count = len(nats)
