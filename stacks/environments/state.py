"""Where each environment's Terraform state lives: plain data the model holds and the stacks' backends read.

Cloud environments keep their state in their cloud, one object per environment, with locking and encryption:
S3 (native lock file `use_lockfile`, SSE-KMS with the store's key) or an Azure storage container (blob lease
locks, Entra ID auth, no account keys). The store itself (bucket and key, storage account and container) is
created once per cloud by its bootstrap stack (`cdktf deploy state-aws` / `state-azure`, stacks/state/), whose
own state stays a local file. The local kind environment keeps local state: nothing else ever deploys it.
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

    def key(self, environment: str) -> str:
        return f"{environment}/terraform.tfstate"


@dataclass(frozen=True, kw_only=True)
class AzureState:
    resource_group: str
    storage_account: str  # globally unique, 3-24 lowercase letters and digits
    container: str
    location: str

    def key(self, environment: str) -> str:
        return f"{environment}.tfstate"


StateStore = LocalState | S3State | AzureState
