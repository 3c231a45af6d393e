"""The Helm and Kubernetes providers of an environment's stack, configured alike from its ClusterConnection. Charts
are Helm releases; the objects the stack owns itself (namespaces, StorageClasses, generated Secrets) are Kubernetes
resources (cluster_objects.py, which also says how their bindings stay cheap to load).

Provider version: the prebuilt cdktf bindings pin the exact version they were generated from (helm
3.1.1, kubernetes 2.38.0). `cdktf deploy local` runs offline against a filesystem mirror holding the providers
the bootstrap builds from their Go modules (contract/pins.py), and the mirror has only those versions. So every
stack asks for exactly the version the project builds, local and cloud alike, and both run the same provider code;
the 3.x releases keep the resource shape the bindings describe (kubernetes 3.0 deprecated only the unversioned
resource names; the stacks use the `_v1` ones). The AWS stacks likewise ask for the release the
AWS provider built by `make validate-cloud` follows (6.x keeps the shape of the bindings' 6.25.0); a cloud deploy
downloads it from the registry.
"""

from cdktf import TerraformStack
from cdktf_cdktf_provider_helm.provider import HelmProvider, HelmProviderKubernetes, HelmProviderKubernetesExec
from constructs import Construct

from contract import pins

from ..connection import ClusterConnection
from .cluster_objects import bindings

# aws: the release the built provider follows (contract/pins.py says why), which the registry has.
PROVIDER_VERSIONS = {
    "helm": pins.TF_PROVIDER_HELM[0],
    "kubernetes": pins.TF_PROVIDER_KUBERNETES[0],
    "aws": pins.TF_PROVIDER_AWS_RELEASE,
}


def pin_provider_version(stack: TerraformStack, name: str) -> None:
    """Replaces the bindings' version constraint of provider `name` with the version the project builds."""
    stack.add_override(f"terraform.required_providers.{name}.version", PROVIDER_VERSIONS[name])


class ClusterProviders(Construct):
    """The `helm` and `kubernetes` providers reaching one cluster; the stack's releases and objects use them."""

    def __init__(self, scope: Construct, id_: str, *, connection: ClusterConnection):
        super().__init__(scope, id_)
        arguments = connection.provider_arguments()
        exec_auth = arguments.pop("exec", None)
        self.helm = HelmProvider(
            self,
            "helm",
            kubernetes=HelmProviderKubernetes(
                **arguments, exec=HelmProviderKubernetesExec(**exec_auth) if exec_auth else None
            ),
        )
        kubernetes = bindings().provider
        self.kubernetes = kubernetes.KubernetesProvider(
            self,
            "kubernetes",
            **arguments,
            exec=[kubernetes.KubernetesProviderExec(**exec_auth)] if exec_auth else None,
        )
        for name in ("helm", "kubernetes"):
            pin_provider_version(TerraformStack.of(self), name)
