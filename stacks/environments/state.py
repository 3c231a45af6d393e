"""Where each environment's Terraform state lives: plain data the model holds and the stacks' backends read.

Cloud environments keep their state in their cloud and their own region, one object per environment, with locking
and encryption, so deploying one region never reads another region's store (docs/multi-region.md):
S3 (native lock file `use_lockfile`, SSE-KMS with the store's key) or an Azure storage container of the
environment's own (blob lease locks, Entra ID auth, no account keys; a container each, so an environment's CI
identities get their data-plane role on their own state and no other). The store itself (bucket and key, storage
account and container) is created once per region by its bootstrap stack (`cdktf deploy state-aws-<region>` /
`state-azure-<location>`, stacks/state/), whose own state stays a local file. The local kind environment keeps
local state: nothing else ever deploys it.
"""

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class LocalState:
    """A state file beside cdktf.out (stacks/stack/base.py state_path)."""


@dataclass(frozen=True, kw_only=True)
class S3State:
    bucket: str  # globally unique: bootstrap creates it (stacks/state/aws.py)
    region: str
    kms_key_alias: str  # "alias/<name>": the bucket's key, which the backend encrypts each state object with

    @property
    def stack_name(self) -> str:
        """The bootstrap stack that makes this store (stacks/state/aws.py)."""
        return f"state-aws-{self.region}"

    def key(self, environment: str) -> str:
        return f"{environment}/terraform.tfstate"

    def lock_key(self, environment: str) -> str:
        """The lock file Terraform's S3 backend writes beside the state (`use_lockfile`) while a run holds it."""
        return f"{self.key(environment)}.tflock"


@dataclass(frozen=True, kw_only=True)
class AzureState:
    resource_group: str
    storage_account: str  # globally unique, 3-24 lowercase letters and digits
    container_prefix: str  # each environment's container: <prefix>-<environment>
    location: str

    @property
    def stack_name(self) -> str:
        """The bootstrap stack that makes this store (stacks/state/azure.py)."""
        return f"state-azure-{self.location}"

    @property
    def region(self) -> str:
        return self.location

    def container(self, environment: str) -> str:
        return f"{self.container_prefix}-{environment}"

    def key(self, environment: str) -> str:
        return f"{environment}.tfstate"

    def container_id(self, subscription_id: str, environment: str) -> str:
        """The environment's container's Azure resource ID (a role assignment's scope), in the store's subscription."""
        return (
            f"/subscriptions/{subscription_id}/resourceGroups/{self.resource_group}/providers/"
            f"Microsoft.Storage/storageAccounts/{self.storage_account}/blobServices/default/containers/"
            f"{self.container(environment)}"
        )


StateStore = LocalState | S3State | AzureState
