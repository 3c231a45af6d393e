"""`cdktf deploy runner-aws-<region>`: an AWS region's deploy runner, once, after `state-aws-<region>` and before
the region's environments.

A /24 VPC of its own (environments/runner.py): a public subnet holding only the NAT gateway, a private one holding
the runner, an EC2 instance without a public address that registers itself with GitHub Actions at boot (the
registration token from Secrets Manager, `token_secret`, put there first: docs/cloud-runbook.md section 5), reachable
only through SSM Session Manager. Its state lives in the state store like an environment's. The production stacks
find its VPC and route table by their Name tag (`network_name`) and peer with it themselves (path_aws.py).
"""

from cdktf import TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws.data_aws_ssm_parameter import DataAwsSsmParameter
from cdktf_cdktf_provider_aws.eip import Eip
from cdktf_cdktf_provider_aws.iam_instance_profile import IamInstanceProfile
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment
from cdktf_cdktf_provider_aws.instance import Instance, InstanceMetadataOptions, InstanceRootBlockDevice
from cdktf_cdktf_provider_aws.internet_gateway import InternetGateway
from cdktf_cdktf_provider_aws.nat_gateway import NatGateway
from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderDefaultTags
from cdktf_cdktf_provider_aws.route import Route
from cdktf_cdktf_provider_aws.route_table import RouteTable
from cdktf_cdktf_provider_aws.route_table_association import RouteTableAssociation
from cdktf_cdktf_provider_aws.security_group import SecurityGroup, SecurityGroupEgress
from cdktf_cdktf_provider_aws.subnet import Subnet
from cdktf_cdktf_provider_aws.vpc import Vpc
from constructs import Construct

from ..aws_iam import PARTITION, document, managed_policy, service_trust
from ..delivery.providers import pin_provider_version
from ..environments.runner import DeployRunner
from ..environments.state import S3State
from ..stack.base import state_backend_for
from .boot import user_data

ANYWHERE = "0.0.0.0/0"
# Amazon Linux 2023 for Graviton, the newest AMI AWS publishes under this parameter.
AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"


class AwsRunnerStack(TerraformStack):
    def __init__(self, scope: Construct, *, runner: DeployRunner, store: S3State):
        super().__init__(scope, runner.name)
        _build(self, runner, store)


def _build(stack: TerraformStack, runner: DeployRunner, store: S3State) -> None:
    state_backend_for(stack, runner.name, store)
    tags = {"project": "voiceplat", "managed-by": "cdktf", "role": "deploy-runner"}
    AwsProvider(stack, "aws", region=runner.region, default_tags=[AwsProviderDefaultTags(tags=tags)])
    pin_provider_version(stack, "aws")
    name = runner.network_name
    vpc = Vpc(
        stack, "vpc", cidr_block=runner.cidr, enable_dns_support=True, enable_dns_hostnames=True, tags={"Name": name}
    )
    zone = f"{runner.region}a"
    public, private = (
        Subnet(stack, role, vpc_id=vpc.id, cidr_block=cidr, availability_zone=zone, tags={"Name": f"{name}-{role}"})
        for role, cidr in (("public", runner.public_subnet), ("private", runner.private_subnet))
    )
    gateway = InternetGateway(stack, "internet-gateway", vpc_id=vpc.id, tags={"Name": name})
    public_routes = RouteTable(stack, "public-routes", vpc_id=vpc.id, tags={"Name": f"{name}-public"})
    Route(
        stack, "public-default", route_table_id=public_routes.id, destination_cidr_block=ANYWHERE, gateway_id=gateway.id
    )
    RouteTableAssociation(stack, "public-association", subnet_id=public.id, route_table_id=public_routes.id)
    address = Eip(stack, "nat-address", domain="vpc", tags={"Name": f"{name}-nat"})
    nat = NatGateway(
        stack,
        "nat",
        allocation_id=address.allocation_id,
        subnet_id=public.id,
        tags={"Name": name},
        depends_on=[gateway],
    )
    # The environments add their routes to this table (path_aws.py): it is found by this Name.
    private_routes = RouteTable(stack, "private-routes", vpc_id=vpc.id, tags={"Name": f"{name}-private"})
    Route(
        stack,
        "private-default",
        route_table_id=private_routes.id,
        destination_cidr_block=ANYWHERE,
        nat_gateway_id=nat.id,
    )
    RouteTableAssociation(stack, "private-association", subnet_id=private.id, route_table_id=private_routes.id)
    group = SecurityGroup(
        stack,
        "runner",
        name=name,
        vpc_id=vpc.id,
        description="The deploy runner: no inbound; out to GitHub, the clouds' APIs and the peered clusters",
        egress=[
            SecurityGroupEgress(
                description="anywhere (GitHub, AWS APIs, peered API endpoints)",
                protocol="-1",
                from_port=0,
                to_port=0,
                cidr_blocks=[ANYWHERE],
            )
        ],
        tags={"Name": name},
    )
    role = IamRole(stack, "role", name=name, assume_role_policy=service_trust("ec2.amazonaws.com"))
    IamRolePolicyAttachment(stack, "ssm", role=role.name, policy_arn=managed_policy("AmazonSSMManagedInstanceCore"))
    IamRolePolicy(
        stack,
        "token",
        role=role.name,
        name="registration-token",
        policy=document(
            {
                "Effect": "Allow",
                "Action": "secretsmanager:GetSecretValue",
                "Resource": f"arn:{PARTITION}:secretsmanager:{runner.region}:*:secret:{runner.token_secret}-??????",
            }
        ),
    )
    profile = IamInstanceProfile(stack, "profile", name=name, role=role.name)
    ami = DataAwsSsmParameter(stack, "ami", name=AMI_PARAMETER)
    instance = Instance(
        stack,
        "instance",
        ami=ami.value,
        instance_type=runner.machine,
        subnet_id=private.id,
        vpc_security_group_ids=[group.id],
        iam_instance_profile=profile.name,
        associate_public_ip_address=False,
        monitoring=True,
        ebs_optimized=True,
        metadata_options=InstanceMetadataOptions(http_tokens="required", http_endpoint="enabled"),
        root_block_device=InstanceRootBlockDevice(volume_size=50, volume_type="gp3", encrypted=True),
        user_data=user_data(runner, fetch_token=_aws_token(runner)),
        tags={"Name": name},
        depends_on=[nat],
    )
    TerraformOutput(stack, "vpc_id", value=vpc.id, description="The runner's VPC, which production stacks peer with")
    TerraformOutput(stack, "instance_id", value=instance.id, description="`aws ssm start-session --target` it")


def _aws_token(runner: DeployRunner) -> str:
    return (
        f"aws secretsmanager get-secret-value --region {runner.region} --secret-id {runner.token_secret} "
        "--query SecretString --output text"
    )
