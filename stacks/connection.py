"""How Terraform's Kubernetes and Helm providers reach a cluster: what every cluster construct exposes.

The platform-delivery construct takes one of these and configures its providers from it, without
knowing whether the cluster is EKS, AKS or kind. Values may be cdktf tokens that resolve at apply
time (an EKS endpoint, an AKS CA certificate). Credentials are never stored: clouds use exec auth,
which fetches a short-lived token when Terraform runs; kind uses the user's kubeconfig.
"""

from dataclasses import dataclass

EXEC_API_VERSION = "client.authentication.k8s.io/v1beta1"


@dataclass(frozen=True, kw_only=True)
class ExecAuth:
    command: str
    args: tuple[str, ...]
    api_version: str = EXEC_API_VERSION


@dataclass(frozen=True, kw_only=True)
class ClusterConnection:
    host: str | None = None
    cluster_ca_certificate: str | None = None  # PEM text
    exec_auth: ExecAuth | None = None
    config_path: str | None = None  # kubeconfig file, for clusters created outside the stack
    config_context: str | None = None

    def provider_arguments(self) -> dict:
        """The connection settings the Terraform kubernetes and helm providers share, by their names."""
        arguments = {
            "host": self.host,
            "cluster_ca_certificate": self.cluster_ca_certificate,
            "config_path": self.config_path,
            "config_context": self.config_context,
        }
        if self.exec_auth is not None:
            arguments["exec"] = {
                "api_version": self.exec_auth.api_version,
                "command": self.exec_auth.command,
                "args": list(self.exec_auth.args),
            }
        return {key: value for key, value in arguments.items() if value is not None}
