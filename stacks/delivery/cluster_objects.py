"""The cluster objects a stack owns itself, as resources of the Kubernetes provider: namespaces (the platform's with
its Pod Security labels), the StorageClasses a cloud lacks, and the Secrets of values the stack generates. Helm
stays for real charts; each object here is one resource in the plan, with its own diff, not a one-object chart.

The provider's bindings are loaded here alone, and only the modules of the resources used (`bindings`). Every
stack needs them, so a lazy import alone would save nothing: the package's `__init__` imports all of its ~110
resource modules (about three quarters of its import time; the jsii assembly is the rest), so they are loaded
beside it, the package module made without running its `__init__`. jsii-pacmak writes every binding package this
way (`_jsii` registers the assembly, each resource module stands alone), and the stack tests synthesize through it.
"""

import functools
import importlib
import importlib.util
import sys
from collections.abc import Mapping, Sequence
from types import ModuleType, SimpleNamespace

from cdktf import ITerraformDependable
from constructs import Construct

BINDINGS = "cdktf_cdktf_provider_kubernetes"
USED = ("provider", "namespace_v1", "secret_v1", "storage_class_v1")
MANAGED_BY = {"app.kubernetes.io/managed-by": "cdktf"}


@functools.cache
def bindings() -> SimpleNamespace:
    """The binding modules of USED, by name (`bindings().namespace_v1.NamespaceV1`)."""
    if BINDINGS not in sys.modules:  # imported whole already (a test, the synth benchmark's naive run): reuse it
        spec = importlib.util.find_spec(BINDINGS)
        if spec is None:
            raise ModuleNotFoundError(f"{BINDINGS} is not installed: run `make venv` (pyproject.toml pins it)")
        package: ModuleType = importlib.util.module_from_spec(spec)
        sys.modules[BINDINGS] = package
        importlib.import_module(f"{BINDINGS}._jsii")  # loads the assembly into the jsii runtime
    return SimpleNamespace(**{name: importlib.import_module(f"{BINDINGS}.{name}") for name in USED})


def kubernetes_namespace(
    scope: Construct,
    id_: str,
    *,
    name: str,
    labels: Mapping[str, str] | None = None,
    depends_on: Sequence[ITerraformDependable] = (),
):
    """A kubernetes_namespace_v1; destroying it removes what runs in it."""
    module = bindings().namespace_v1
    return module.NamespaceV1(
        scope,
        id_,
        metadata=module.NamespaceV1Metadata(name=name, labels={**MANAGED_BY, **(labels or {})}),
        depends_on=list(depends_on) or None,
    )


def kubernetes_secret(
    scope: Construct,
    id_: str,
    *,
    name: str,
    namespace_name: str,
    data: Mapping[str, str],
    depends_on: Sequence[ITerraformDependable] = (),
):
    """A kubernetes_secret_v1 (Opaque) of `data` (plain text, encoded by the provider); values that are references to
    sensitive values stay out of plans and logs."""
    module = bindings().secret_v1
    return module.SecretV1(
        scope,
        id_,
        metadata=module.SecretV1Metadata(name=name, namespace=namespace_name, labels=dict(MANAGED_BY)),
        type="Opaque",
        data=dict(data),
        depends_on=list(depends_on) or None,
    )


def kubernetes_storage_class(
    scope: Construct, id_: str, *, manifest: Mapping, depends_on: Sequence[ITerraformDependable] = ()
):
    """A kubernetes_storage_class_v1 from a StorageClass object (stacks/delivery/storage.py `manifest`)."""
    module = bindings().storage_class_v1
    metadata = manifest["metadata"]
    return module.StorageClassV1(
        scope,
        id_,
        metadata=module.StorageClassV1Metadata(
            name=metadata["name"], annotations=metadata.get("annotations"), labels=dict(MANAGED_BY)
        ),
        storage_provisioner=manifest["provisioner"],
        parameters=dict(manifest.get("parameters") or {}) or None,
        reclaim_policy=manifest["reclaimPolicy"],
        volume_binding_mode=manifest["volumeBindingMode"],
        allow_volume_expansion=manifest["allowVolumeExpansion"],
        depends_on=list(depends_on) or None,
    )
