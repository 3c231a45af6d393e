"""Least-privilege IAM statements of the add-ons that call AWS APIs, scoped to one cluster where the API
allows it (resource tags the add-on itself writes)."""

from ..aws_iam import PARTITION, document


def load_balancer_controller(cluster_name: str) -> str:
    """AWS Load Balancer Controller: reads the network, manages the ELBv2 objects and security groups it tags."""
    owned = {"StringEquals": {"aws:ResourceTag/elbv2.k8s.aws/cluster": cluster_name}}
    return document(
        {
            "Effect": "Allow",
            "Action": "iam:CreateServiceLinkedRole",
            "Resource": "*",
            "Condition": {"StringEquals": {"iam:AWSServiceName": "elasticloadbalancing.amazonaws.com"}},
        },
        {
            "Effect": "Allow",
            "Resource": "*",
            "Action": [
                "ec2:DescribeAccountAttributes",
                "ec2:DescribeAddresses",
                "ec2:DescribeAvailabilityZones",
                "ec2:DescribeInternetGateways",
                "ec2:DescribeVpcs",
                "ec2:DescribeVpcPeeringConnections",
                "ec2:DescribeSubnets",
                "ec2:DescribeSecurityGroups",
                "ec2:DescribeInstances",
                "ec2:DescribeNetworkInterfaces",
                "ec2:DescribeTags",
                "ec2:DescribeRouteTables",
                "ec2:DescribeCoipPools",
                "ec2:GetCoipPoolUsage",
                "ec2:GetSecurityGroupsForVpc",
                "elasticloadbalancing:Describe*",
                "acm:ListCertificates",
                "acm:DescribeCertificate",
                "wafv2:GetWebACL",
                "wafv2:GetWebACLForResource",
                "wafv2:AssociateWebACL",
                "wafv2:DisassociateWebACL",
                "shield:GetSubscriptionState",
                "shield:DescribeProtection",
                "shield:CreateProtection",
                "shield:DeleteProtection",
                "cognito-idp:DescribeUserPoolClient",
            ],
        },
        # New security groups and load balancers must be born with the cluster's tag ...
        {
            "Effect": "Allow",
            "Resource": "*",
            "Action": [
                "ec2:CreateSecurityGroup",
                "elasticloadbalancing:CreateLoadBalancer",
                "elasticloadbalancing:CreateTargetGroup",
            ],
            "Condition": {"StringEquals": {"aws:RequestTag/elbv2.k8s.aws/cluster": cluster_name}},
        },
        {
            "Effect": "Allow",
            "Resource": f"arn:{PARTITION}:ec2:*:*:security-group/*",
            "Action": "ec2:CreateTags",
            "Condition": {"StringEquals": {"ec2:CreateAction": "CreateSecurityGroup"}},
        },
        {
            "Effect": "Allow",
            "Resource": "*",
            "Action": [
                "elasticloadbalancing:CreateListener",
                "elasticloadbalancing:CreateRule",
                "elasticloadbalancing:AddTags",
            ],
            "Condition": {
                "StringEquals": {
                    "elasticloadbalancing:CreateAction": [
                        "CreateLoadBalancer",
                        "CreateTargetGroup",
                        "CreateListener",
                        "CreateRule",
                    ]
                }
            },
        },
        # ... and only what carries it can be changed afterwards.
        {
            "Effect": "Allow",
            "Resource": "*",
            "Condition": owned,
            "Action": [
                "ec2:AuthorizeSecurityGroupIngress",
                "ec2:RevokeSecurityGroupIngress",
                "ec2:DeleteSecurityGroup",
                "ec2:CreateTags",
                "ec2:DeleteTags",
                "elasticloadbalancing:ModifyLoadBalancerAttributes",
                "elasticloadbalancing:SetIpAddressType",
                "elasticloadbalancing:SetSecurityGroups",
                "elasticloadbalancing:SetSubnets",
                "elasticloadbalancing:DeleteLoadBalancer",
                "elasticloadbalancing:ModifyTargetGroup",
                "elasticloadbalancing:ModifyTargetGroupAttributes",
                "elasticloadbalancing:DeleteTargetGroup",
                "elasticloadbalancing:RegisterTargets",
                "elasticloadbalancing:DeregisterTargets",
                "elasticloadbalancing:AddTags",
                "elasticloadbalancing:RemoveTags",
            ],
        },
        {
            "Effect": "Allow",
            "Resource": "*",
            "Action": [
                "elasticloadbalancing:ModifyListener",
                "elasticloadbalancing:DeleteListener",
                "elasticloadbalancing:ModifyRule",
                "elasticloadbalancing:DeleteRule",
                "elasticloadbalancing:AddListenerCertificates",
                "elasticloadbalancing:RemoveListenerCertificates",
                "elasticloadbalancing:ModifyListenerAttributes",
                "elasticloadbalancing:SetWebAcl",
            ],
        },
    )


def cluster_autoscaler(cluster_name: str) -> str:
    """Cluster autoscaler: reads every group, resizes only the node groups EKS tagged as this cluster's."""
    return document(
        {
            "Effect": "Allow",
            "Resource": "*",
            "Action": [
                "autoscaling:DescribeAutoScalingGroups",
                "autoscaling:DescribeAutoScalingInstances",
                "autoscaling:DescribeLaunchConfigurations",
                "autoscaling:DescribeScalingActivities",
                "autoscaling:DescribeTags",
                "ec2:DescribeImages",
                "ec2:DescribeInstanceTypes",
                "ec2:DescribeLaunchTemplateVersions",
                "ec2:GetInstanceTypesFromInstanceRequirements",
                # Managed node groups: labels and taints for scale-from-zero come from the EKS API.
                "eks:DescribeNodegroup",
            ],
        },
        {
            "Effect": "Allow",
            "Resource": "*",
            "Action": ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
            "Condition": {"StringEquals": {f"aws:ResourceTag/k8s.io/cluster-autoscaler/{cluster_name}": "owned"}},
        },
    )


def workload_secrets(*, region: str, account_id: str, prefix: str) -> str:
    """Secrets Store CSI driver (AWS provider): the platform's pods read their own secrets and parameters."""
    return document(
        {
            "Effect": "Allow",
            "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
            "Resource": f"arn:{PARTITION}:secretsmanager:{region}:{account_id}:secret:{prefix}/*",
        },
        {
            "Effect": "Allow",
            "Action": ["ssm:GetParameters", "ssm:GetParameter"],
            "Resource": f"arn:{PARTITION}:ssm:{region}:{account_id}:parameter/{prefix}/*",
        },
    )


def named_secrets(*, region: str, account_id: str, names: tuple[str, ...]) -> str:
    """Read these Secrets Manager secrets only (each ARN ends in `-` and six random characters Secrets Manager
    adds)."""
    return document(
        {
            "Effect": "Allow",
            "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
            "Resource": [
                f"arn:{PARTITION}:secretsmanager:{region}:{account_id}:secret:{name}-??????" for name in names
            ],
        },
    )


def secret_by_arn(secret_arn: str, kms_key_arn: str) -> str:
    """Read one Secrets Manager secret known by its ARN (one a service made, such as RDS's managed password), and
    decrypt it with the key it is encrypted with, only through Secrets Manager."""
    return document(
        {
            "Effect": "Allow",
            "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
            "Resource": [secret_arn],
        },
        {
            "Effect": "Allow",
            "Action": ["kms:Decrypt"],
            "Resource": [kms_key_arn],
            "Condition": {"StringLike": {"kms:ViaService": "secretsmanager.*.amazonaws.com"}},
        },
    )
