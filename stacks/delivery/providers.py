"""The Helm and Kubernetes providers of an environment's stack, configured from its ClusterConnection.

Provider versions: the prebuilt cdktf bindings pin the exact provider versions they were generated
from (helm 3.1.1, kubernetes 2.38.0). `cdktf deploy local` runs offline against a filesystem mirror
holding the providers the bootstrap builds from their Go modules (bootstrap/pins.py), and the mirror
has only those versions. So every stack asks for exactly the versions the project builds; the public
registry serves the same versions to cloud deploys, so local and cloud run the same provider code.
The bindings' schemas are the same for these versions (helm 3.x, kubernetes 3.x keep the 2.x/3.x
resource shapes the bindings describe).
"""
from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_helm.provider import HelmProvider, HelmProviderKubernetes, HelmProviderKubernetesExec
from cdktf_cdktf_provider_kubernetes.provider import KubernetesProvider, KubernetesProviderExec

from bootstrap import pins

from ..connection import ClusterConnection

PROVIDER_VERSIONS = {"helm": pins.TF_PROVIDER_HELM[0], "kubernetes": pins.TF_PROVIDER_KUBERNETES[0]}


def pin_provider_versions(stack: TerraformStack) -> None:
    """Replaces the bindings' version constraints with the versions the project builds (see above)."""
    for name, version in PROVIDER_VERSIONS.items():
        stack.add_override(f"terraform.required_providers.{name}.version", version)


class ClusterProviders(Construct):
    """`helm` and `kubernetes` providers reaching one cluster; the stack's releases use them."""

    def __init__(self, scope: Construct, id_: str, *, connection: ClusterConnection):
        super().__init__(scope, id_)
        arguments = connection.provider_arguments()
        exec_auth = arguments.pop("exec", None)
        self.kubernetes = KubernetesProvider(
            self, "kubernetes", **arguments,
            exec=[KubernetesProviderExec(**exec_auth)] if exec_auth else None)  # a block list in this schema
        self.helm = HelmProvider(self, "helm", kubernetes=HelmProviderKubernetes(
            **arguments, exec=HelmProviderKubernetesExec(**exec_auth) if exec_auth else None))
        pin_provider_versions(TerraformStack.of(self))
