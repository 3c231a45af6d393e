"""The SecretProviderClass a store reader (facts.StoreReader) mounts: the cloud's provider, its parameters and the
reader's own (the Azure vault and tenant), the objects read from the store, and the Kubernetes Secrets they sync into.
"""

from collections.abc import Sequence

from ..environments import Cloud, Environment
from .facts import StoreReader


def secret_provider_class(
    environment: Environment,
    reader: StoreReader,
    *,
    name: str,
    namespace: str,
    objects: str,
    secret_objects: Sequence[dict],
) -> dict:
    """`objects` is the provider's YAML list of store entries; `secret_objects` the Secrets synced from them."""
    parameters = {"region": environment.region} if environment.cloud is Cloud.AWS else {"usePodIdentity": "false"}
    return {
        "apiVersion": "secrets-store.csi.x-k8s.io/v1",
        "kind": "SecretProviderClass",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {
            "provider": environment.cloud.value,
            "parameters": {**parameters, **reader.parameters, "objects": objects},
            "secretObjects": list(secret_objects),
        },
    }
