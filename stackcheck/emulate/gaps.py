"""What moto 5.2.5 cannot emulate in the AWS stacks, each with why: left out of the apply by address, and tofu
leaves out what depends on them. A gap closed by a newer moto is a line removed here."""

from dataclasses import dataclass

# Resource or data source type -> why the emulator cannot take it.
MISSING_API = {
    "aws_eks_addon": "moto has no EKS add-on API (CreateAddon)",
    "data.aws_eks_addon_version": "moto has no EKS add-on API (DescribeAddonVersions)",
    "aws_eks_access_entry": "moto has no EKS access entry API (CreateAccessEntry)",
    "aws_eks_access_policy_association": "moto has no EKS access entry API (AssociateAccessPolicy)",
    "aws_efs_backup_policy": "moto has no EFS PutBackupPolicy",
    "aws_s3_bucket_policy": "moto applies a bucket policy's Deny without its Condition, so the state bucket's "
    "TLS-only rule would refuse every request",
}
# (resource type, setting) -> why the emulator cannot apply it: the setting is off in the emulated copy only (the
# override file), and the resource is applied with the rest.
SWITCHED_OFF = {
    ("aws_instance", "monitoring"): "moto has no MonitorInstances (EC2 detailed monitoring)",
}
# Resource type -> what the emulator keeps but does not do: applied, and listed as not evaluated.
NOT_EVALUATED = {
    "aws_route53_health_check": "moto keeps health checks but never probes, so a failing region is never marked "
    "unhealthy",
    "aws_route53_record": "moto keeps records but answers no DNS query: latency routing and failover are not exercised",
}
# A security group rule on the group EKS makes for the cluster: moto's cluster has none.
CLUSTER_GROUP = "cluster_security_group_id"
NEEDS_CLUSTER = "needs the cluster's API server (the kind path deploys it)"
CLUSTER_PROVIDERS = ("helm", "kubernetes")  # their resources are NEEDS_CLUSTER; terraform_data calls no API

# The AWS API each resource type calls, by the longest matching prefix of its type; the provider is pointed at
# the emulator for these only, so a type not here must be added before it can reach anything.
SERVICES = {
    "aws_acm_": ("acm",),
    "aws_caller_identity": ("sts",),
    "aws_cloudwatch_log": ("logs",),
    "aws_db_": ("rds",),
    "aws_instance": ("ec2",),
    "aws_ssm_parameter": ("ssm",),
    "aws_ec2_": ("ec2",),
    "aws_ecr_": ("ecr",),
    "aws_efs_": ("efs",),
    "aws_eip": ("ec2",),
    "aws_eks_": ("eks",),
    "aws_iam_": ("iam",),
    "aws_internet_gateway": ("ec2",),
    "aws_kms_": ("kms",),
    "aws_launch_template": ("ec2",),
    "aws_nat_gateway": ("ec2",),
    "aws_route": ("ec2",),
    "aws_route53_": ("route53",),
    "aws_s3_": ("s3", "s3control"),
    "aws_security_group": ("ec2",),
    "aws_subnet": ("ec2",),
    "aws_vpc": ("ec2",),
}
ALWAYS = ("sts",)  # the provider asks who it is


@dataclass(frozen=True)
class LeftOut:
    address: str
    reason: str


@dataclass(frozen=True)
class SwitchedOff:
    address: str
    setting: str
    reason: str


def switched_off(document: dict) -> list[SwitchedOff]:
    """Every setting of a synthesized stack that is on and that the emulator cannot apply, with the reason."""
    return [
        SwitchedOff(f"{kind}.{name}", setting, reason)
        for (kind, setting), reason in SWITCHED_OFF.items()
        for name, body in document.get("resource", {}).get(kind, {}).items()
        if body.get(setting)
    ]


def not_evaluated(document: dict) -> dict[str, tuple[int, str]]:
    """Resource type -> (how many the stack has, what the emulator does not do with them)."""
    resources = document.get("resource", {})
    return {kind: (len(resources[kind]), why) for kind, why in NOT_EVALUATED.items() if resources.get(kind)}


def services_of(kind: str) -> tuple[str, ...]:
    """The services `kind` (a resource or data source type) calls. Raises LookupError naming an unknown one."""
    matches = [prefix for prefix in SERVICES if kind.startswith(prefix)]
    if not matches:
        raise LookupError(
            f"no emulated AWS service is known for {kind}. Fix: add its prefix and service to "
            "stackcheck/emulate/gaps.py SERVICES (and check moto emulates it)"
        )
    return SERVICES[max(matches, key=len)]


def left_out(document: dict) -> list[LeftOut]:
    """Every resource and data source of a synthesized stack the emulator cannot take, with the reason."""
    found = []
    for block, prefix in (("resource", ""), ("data", "data.")):
        for kind, objects in document.get(block, {}).items():
            for name, body in objects.items():
                address = f"{prefix}{kind}.{name}"
                if kind.split("_")[0] in CLUSTER_PROVIDERS:
                    found.append(LeftOut(address, NEEDS_CLUSTER))
                elif reason := MISSING_API.get(f"{prefix}{kind}"):
                    found.append(LeftOut(address, reason))
                elif CLUSTER_GROUP in str(body.get("security_group_id", "")) + str(
                    body.get("source_security_group_id", "")
                ):
                    found.append(LeftOut(address, "moto's EKS cluster has no cluster security group"))
    return found


def services(document: dict) -> list[str]:
    """The services the stack's AWS resources and data sources call. Raises LookupError for a type of an AWS
    service not known here, or of a provider the emulation has no answer for."""
    kinds = {kind for block in ("resource", "data") for kind in document.get(block, {})}
    if others := sorted(kind for kind in kinds if kind.split("_")[0] not in ("aws", "terraform", *CLUSTER_PROVIDERS)):
        raise LookupError(
            f"no emulator answers for {', '.join(others)}. Fix: emulate their provider, or leave "
            "them out in stackcheck/emulate/gaps.py with the reason"
        )
    aws = {kind for kind in kinds if kind.startswith("aws_")}
    return sorted({*ALWAYS, *(service for kind in aws for service in services_of(kind))})
