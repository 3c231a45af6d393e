"""An EKS managed node group for one pool of the environment: its instance types, the AL2023 image for its
architecture and GPU, the contract's labels and taints, encrypted gp3 root volumes and IMDSv2."""

from cdktf import TerraformResourceLifecycle, Token
from cdktf_cdktf_provider_aws.eks_node_group import (
    EksNodeGroup,
    EksNodeGroupLaunchTemplate,
    EksNodeGroupScalingConfig,
    EksNodeGroupTaint,
    EksNodeGroupUpdateConfig,
)
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment
from cdktf_cdktf_provider_aws.launch_template import (
    LaunchTemplate,
    LaunchTemplateBlockDeviceMappings,
    LaunchTemplateBlockDeviceMappingsEbs,
    LaunchTemplateMetadataOptions,
    LaunchTemplateTagSpecifications,
)
from constructs import Construct

from ..aws_iam import managed_policy, service_trust
from ..environments import Arch, NodePool

# EKS-optimised Amazon Linux 2023 images, by (architecture, NVIDIA GPU).
AMI_TYPES = {
    (Arch.ARM64, False): "AL2023_ARM_64_STANDARD",
    (Arch.AMD64, False): "AL2023_x86_64_STANDARD",
    (Arch.AMD64, True): "AL2023_x86_64_NVIDIA",  # NVIDIA driver and container toolkit preinstalled
    (Arch.ARM64, True): "AL2023_ARM_64_NVIDIA",
}
# The EKS API spells taint effects in upper snake case.
TAINT_EFFECTS = {"NoSchedule": "NO_SCHEDULE", "NoExecute": "NO_EXECUTE", "PreferNoSchedule": "PREFER_NO_SCHEDULE"}
NODE_POLICIES = (
    "AmazonEKSWorkerNodePolicy",
    "AmazonEKS_CNI_Policy",
    "AmazonEC2ContainerRegistryPullOnly",
    "AmazonSSMManagedInstanceCore",
)


class EksNodePool(Construct):
    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        cluster_name: str,
        pool: NodePool,
        subnet_ids: list[str],
        kubernetes_version: str,
    ):
        super().__init__(scope, id_)
        role = IamRole(
            self, "role", name_prefix=f"{pool.role}-node-", assume_role_policy=service_trust("ec2.amazonaws.com")
        )
        attachments = [
            IamRolePolicyAttachment(self, f"role-{policy}", role=role.name, policy_arn=managed_policy(policy))
            for policy in NODE_POLICIES
        ]
        self.launch_template = LaunchTemplate(
            self,
            "launch-template",
            name_prefix=f"{pool.role}-",
            update_default_version=True,
            block_device_mappings=[
                LaunchTemplateBlockDeviceMappings(
                    device_name="/dev/xvda",
                    ebs=LaunchTemplateBlockDeviceMappingsEbs(
                        volume_size=pool.disk_gib, volume_type="gp3", encrypted="true", delete_on_termination="true"
                    ),
                )
            ],
            # IMDSv2 only, one hop: pods cannot borrow the node's role; they get their own through IRSA.
            metadata_options=LaunchTemplateMetadataOptions(
                http_endpoint="enabled", http_tokens="required", http_put_response_hop_limit=1
            ),
            tag_specifications=[
                LaunchTemplateTagSpecifications(resource_type="instance", tags={"Name": f"{pool.role}-node"})
            ],
        )
        self.node_group = EksNodeGroup(
            self,
            "node-group",
            cluster_name=cluster_name,
            node_group_name=pool.role,
            node_role_arn=role.arn,
            subnet_ids=subnet_ids,
            version=kubernetes_version,
            ami_type=AMI_TYPES[(pool.arch, pool.gpu)],
            capacity_type="ON_DEMAND",
            instance_types=list(pool.instance_types),
            scaling_config=EksNodeGroupScalingConfig(
                min_size=pool.min_size, max_size=pool.max_size, desired_size=pool.desired_size
            ),
            update_config=EksNodeGroupUpdateConfig(max_unavailable_percentage=33),
            launch_template=EksNodeGroupLaunchTemplate(
                id=self.launch_template.id, version=Token.as_string(self.launch_template.latest_version)
            ),
            labels=pool.labels,
            taint=[
                EksNodeGroupTaint(key=taint.key, value=taint.value, effect=TAINT_EFFECTS[taint.effect])
                for taint in pool.taints
            ]
            or None,
            # The cluster autoscaler moves desired_size; Terraform keeps min and max.
            lifecycle=TerraformResourceLifecycle(ignore_changes=["scaling_config[0].desired_size"]),
            depends_on=attachments,
        )
        self.node_group_name = self.node_group.node_group_name
