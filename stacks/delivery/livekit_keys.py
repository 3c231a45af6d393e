"""LiveKit's API key pair: generated once by the stack, read by the LiveKit server and by the voice service.

The secret half is generated once by the stack (generated_secret.py). It reaches the cluster only as Secrets the
stack makes (kubernetes_secret_v1, sensitive values), never through values files or git:
- `livekit-keys` in LiveKit's namespace (`keys.yaml`, the server's key file), where LiveKit is installed;
- the Secret the voice service's `secretKeyRefs` name (charts/platform/values.yaml), in the platform namespace, on
  every environment, kind included.

Why not the cloud secret store: the pair is made here, so the stack is its one source, and a Secret is read only in
its own namespace, so each consumer's namespace gets one from that value. A copy in Secrets Manager / Key Vault
would be a second store to keep equal, a write into a vault reachable only from inside the VNet, and a path kind
(which has no store) could not take.
"""

import functools
from collections.abc import Sequence

from cdktf import Fn, ITerraformDependable
from constructs import Construct

from ..environments import ConfigError
from .generated_secret import generated_secret, generated_value
from .platform_charts import PlatformNamespace
from .project_charts import chart_defaults

SECRET_NAME = "livekit-keys"  # storeKeysInSecret.existingSecret in values/livekit.yaml
KEY_FILE = "keys.yaml"  # livekit.key_file in values/livekit.yaml
API_KEY = "voiceplat"  # the key's public name; the generated secret is what authenticates
# The variables the voice service reads the pair from (LiveKit's SDK names), each half's variable.
VOICE_KEY, VOICE_SECRET = "LIVEKIT_API_KEY", "LIVEKIT_API_SECRET"


@functools.cache
def voice_secret() -> tuple[str, str, str]:
    """(Secret, key of the API key, key of the secret) the voice service reads: its `secretKeyRefs`."""
    values = chart_defaults("platform")
    refs = values["services"]["voice"].get("secretKeyRefs") or {}
    if {VOICE_KEY, VOICE_SECRET} - set(refs) or refs[VOICE_KEY]["name"] != refs[VOICE_SECRET]["name"]:
        raise ConfigError(
            "charts.platform.services.voice.secretKeyRefs",
            f"{VOICE_KEY} and {VOICE_SECRET} must name keys of one Secret",
            "point both at one Secret (e.g. {name: livekit-api, key: api-key / api-secret})",
        )
    return refs[VOICE_KEY]["name"], refs[VOICE_KEY]["key"], refs[VOICE_SECRET]["key"]


class LiveKitKeys(Construct):
    SECRET = SECRET_NAME  # the LiveKit server's Secret, beside the infrastructure's releases

    def __init__(
        self, scope: Construct, id_: str, *, platform: PlatformNamespace, after: Sequence[ITerraformDependable]
    ):
        super().__init__(scope, id_)
        self.secret = generated_value(self, "api-secret")
        self._after = list(after)
        name, key, secret = voice_secret()
        self.voice = generated_secret(
            self,
            "voice",
            name=name,
            namespace=platform.name,
            data={key: API_KEY},
            sensitive={secret: self.secret},
            depends_on=[platform.namespace, *self._after],
        )
        self.server = None

    def server_secret(self, namespace: str, *, after: Sequence[ITerraformDependable]):
        """The `livekit-keys` Secret in LiveKit's namespace, after `after` (that namespace among them): called by
        whatever installs LiveKit."""
        keys_yaml = Fn.format("%s: %s", [API_KEY, self.secret])
        self.server = generated_secret(
            self,
            "secret",
            name=SECRET_NAME,
            namespace=namespace,
            sensitive={KEY_FILE: keys_yaml},
            depends_on=[*self._after, *after],
        )
        return self.server
