"""What every environment's stack has, whatever its cloud: its name, its state file, and a cluster to
deliver the platform onto.

A cloud's stack (aws.py, azure.py, local.py) wires its constructs, then sets `connection` (how the
Kubernetes and Helm providers reach the cluster) and `cluster_ready` (what must exist before anything
is installed on it). The platform-delivery construct is added from those two, the same way on every
cloud.
"""
from constructs import Construct
from cdktf import ITerraformDependable, LocalBackend, TerraformOutput, TerraformStack

from ..connection import ClusterConnection
from ..environments import Environment


class EnvironmentStack(TerraformStack):
    def __init__(self, scope: Construct, *, environment: Environment):
        super().__init__(scope, environment.name)
        self.environment = environment
        # State next to the project, one file per environment (ignored by git: terraform.*.tfstate*).
        LocalBackend(self, path=f"terraform.{environment.name}.tfstate")
        self.connection: ClusterConnection | None = None
        self.cluster_ready: list[ITerraformDependable] = []

    def output(self, name: str, value, description: str) -> None:
        TerraformOutput(self, name, value=value, description=description)
