"""What the model knows about each cloud: its regions and zones, and the facts of a machine size.

Validation reads these tables, so a region or a machine family the project has not vetted fails at
synth with a list of what is known, instead of failing half-way through `terraform apply`.
Adding one is a one-line change here.
"""

import re
from dataclasses import dataclass

from .kinds import Arch, Cloud

REGIONS: dict[Cloud, dict[str, tuple[str, ...]]] = {
    Cloud.LOCAL: {"local": ()},
    Cloud.AWS: {
        "eu-west-1": ("eu-west-1a", "eu-west-1b", "eu-west-1c"),
        "eu-west-2": ("eu-west-2a", "eu-west-2b", "eu-west-2c"),
        "eu-central-1": ("eu-central-1a", "eu-central-1b", "eu-central-1c"),
        "eu-north-1": ("eu-north-1a", "eu-north-1b", "eu-north-1c"),
        "us-east-1": tuple(f"us-east-1{z}" for z in "abcdef"),
        "us-east-2": ("us-east-2a", "us-east-2b", "us-east-2c"),
        "us-west-2": ("us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"),
    },
    # Azure availability zones are numbered per subscription and region.
    Cloud.AZURE: dict.fromkeys(
        (
            "westeurope",
            "northeurope",
            "swedencentral",
            "germanywestcentral",
            "uksouth",
            "eastus",
            "eastus2",
            "westus3",
        ),
        ("1", "2", "3"),
    ),
}


# Kubernetes minors each managed service offers without extra-cost support, with the end of that support as the
# providers published it (EKS: standard support, 14 months from its EKS release; AKS: community support, 12 months
# from GA; AKS LTS and EKS extended support cost extra). Validation refuses a minor missing here. Re-check both
# calendars when bumping catalog.py KUBERNETES_VERSION, and bump it before its entries' dates:
# https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html
# https://learn.microsoft.com/azure/aks/supported-kubernetes-versions
SUPPORTED_KUBERNETES: dict[Cloud, dict[str, str]] = {
    Cloud.AWS: {"1.33": "2026-07-29", "1.34": "2026-12-02", "1.35": "2027-03-27"},
    Cloud.AZURE: {"1.33": "2026-06", "1.34": "2026-11", "1.35": "2027-03"},
}


# Ingress classes an environment may choose on each cloud, and the controller behind each (which the stack
# installs: an add-on release of stacks/delivery/helm_addons.py, or the AKS AGIC add-on of stacks/cluster/azure.py).
AGIC_CLASS = "azure-application-gateway"  # the class the AKS ingress_application_gateway add-on serves
INGRESS_CONTROLLERS: dict[Cloud, dict[str, str]] = {
    # kind: the community ingress-nginx until F5's controller can be built offline (docs/ingress-on-kind.md).
    Cloud.LOCAL: {"nginx": "ingress-nginx, installed with the kind cluster (bootstrap/cluster.py)"},
    Cloud.AWS: {"alb": "aws-load-balancer-controller", "nginx": "nginx-ingress (F5 NGINX Ingress Controller)"},
    Cloud.AZURE: {
        AGIC_CLASS: "AGIC (AKS ingress_application_gateway add-on)",
        "nginx": "nginx-ingress (F5 NGINX Ingress Controller)",
    },
}


@dataclass(frozen=True)
class MachineFacts:
    arch: Arch
    gpu: str | None  # the NVIDIA GPU model, None when the machine has no NVIDIA GPU


class UnknownMachine(ValueError):
    """The machine size is not spelled like one of the cloud's, or its family is not vetted."""


# EC2: `<family><generation><attributes>.<size>`; the attribute `g` means Graviton (ARM).
_EC2_NAME = re.compile(r"^(?P<family>[a-z]+)(?P<gen>\d+)(?P<attrs>[a-z]*)(?:-flex)?\.(?P<size>[a-z0-9]+)$")
_EC2_SIZES = {"medium", "large", "xlarge", "metal"} | {f"{n}xlarge" for n in (2, 3, 4, 6, 8, 9, 12, 16, 18, 24, 32, 48)}
# Families whose machines carry NVIDIA GPUs, keyed by family+generation+attributes.
_EC2_NVIDIA = {
    "g4dn": "T4",
    "g5": "A10G",
    "g5g": "T4G",
    "g6": "L4",
    "gr6": "L4",
    "g6e": "L40S",
    "p3": "V100",
    "p4d": "A100",
    "p4de": "A100",
    "p5": "H100",
    "p5e": "H200",
    "p5en": "H200",
}
# Families the general-purpose pools may use; anything else must be added here first.
_EC2_GENERAL = {
    "m6g",
    "m7g",
    "m8g",
    "c6g",
    "c7g",
    "c8g",
    "r6g",
    "r7g",
    "r8g",
    "t4g",
    "m6i",
    "m7i",
    "m7a",
    "c6i",
    "c7i",
    "c7a",
    "r6i",
    "r7i",
    "t3",
}

# Azure: `Standard_<family><vCPUs><features>[_<accelerator>]_v<version>`; feature `p` means ARM (Cobalt/Ampere).
_AZURE_NAME = re.compile(
    r"^Standard_(?P<family>[A-Z]+)(?P<vcpus>\d+)(?P<features>[a-z]*)(?:_(?P<accel>[A-Z0-9]+))?_v(?P<version>\d+)$"
)
# Series with NVIDIA GPUs: (family, accelerator token, version) -> GPU model.
_AZURE_NVIDIA = {
    ("NC", "T4", "3"): "T4",
    ("NC", None, "3"): "V100",
    ("NC", "A100", "4"): "A100",
    ("NC", "H100", "5"): "H100",
    ("ND", "H100", "5"): "H100",
    ("NV", "A10", "5"): "A10",
}
_AZURE_GENERAL = {"D", "E", "F", "B"}


def machine_facts(cloud: Cloud, machine: str) -> MachineFacts:
    """Architecture and GPU of an EC2 instance type or an Azure VM size."""
    if cloud is Cloud.AWS:
        return _ec2_facts(machine)
    if cloud is Cloud.AZURE:
        return _azure_facts(machine)
    raise UnknownMachine(f"the {cloud.value} cloud has no machine sizes")


def _ec2_facts(machine: str) -> MachineFacts:
    match = _EC2_NAME.match(machine)
    if not match or match["size"] not in _EC2_SIZES:
        raise UnknownMachine(f"{machine!r} is not an EC2 instance type (expected e.g. m7g.xlarge)")
    family = f"{match['family']}{match['gen']}{match['attrs']}"
    if family not in _EC2_NVIDIA and family not in _EC2_GENERAL:
        known = ", ".join(sorted(_EC2_GENERAL | set(_EC2_NVIDIA)))
        raise UnknownMachine(f"EC2 family {family!r} is not vetted (known: {known})")
    arm = "g" in match["attrs"] or match["family"] == "a"
    return MachineFacts(arch=Arch.ARM64 if arm else Arch.AMD64, gpu=_EC2_NVIDIA.get(family))


def _azure_facts(machine: str) -> MachineFacts:
    match = _AZURE_NAME.match(machine)
    if not match:
        raise UnknownMachine(f"{machine!r} is not an Azure VM size (expected e.g. Standard_D4ps_v5)")
    gpu = _AZURE_NVIDIA.get((match["family"], match["accel"], match["version"]))
    if gpu is None and (match["family"] not in _AZURE_GENERAL or match["accel"]):
        raise UnknownMachine(
            f"Azure series {match['family']}{match['accel'] or ''} v{match['version']} is not vetted "
            f"(known: {', '.join(sorted(_AZURE_GENERAL))} general series and NC T4 v3, NC A100 v4, "
            f"NC/ND H100 v5, NV A10 v5 GPU series)"
        )
    arm = "p" in match["features"]
    return MachineFacts(arch=Arch.ARM64 if arm else Arch.AMD64, gpu=gpu)
