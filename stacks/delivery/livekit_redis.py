"""The password of the Redis LiveKit's replicas share rooms through: generated once by the stack
(generated_secret.py), like LiveKit's API secret, never in values files or git.

- Redis (bitnami chart) reads it from the Secret `livekit-redis-password` in LiveKit's namespace, which a
  one-Secret release creates (`auth.existingSecret`);
- LiveKit reads it from its config: livekit-server's chart (1.5.x) renders `.Values.livekit` whole into a ConfigMap
  and offers neither extra env (the server's REDIS_PASSWORD) nor a Secret reference, so the password is a
  sensitive `livekit.redis.password` (set_sensitive): out of every values document and plan, but readable in that
  ConfigMap by whoever may read ConfigMaps in the livekit namespace.
"""
from typing import Sequence

from cdktf import ITerraformDependable
from constructs import Construct

from .generated_secret import generated_value, secret_release

SECRET_NAME = "livekit-redis-password"
PASSWORD_KEY = "redis-password"
LIVEKIT_PASSWORD = "livekit.redis.password"  # where livekit-server's config takes it


class LiveKitRedisPassword(Construct):
    RELEASE = SECRET_NAME

    def __init__(self, scope: Construct, id_: str, *, namespace: str, after: Sequence[ITerraformDependable]):
        super().__init__(scope, id_)
        self.password = generated_value(self, "password")
        self.secret = secret_release(self, "secret", name=SECRET_NAME, namespace=namespace, create_namespace=True,
                                     sensitive={PASSWORD_KEY: self.password}, depends_on=after)
        # The redis chart's values that make it require the password, from the Secret above.
        self.redis_values = {"auth": {"enabled": True, "existingSecret": SECRET_NAME,
                                      "existingSecretPasswordKey": PASSWORD_KEY}}
        # The livekit release's sensitive value that gives the server the same password.
        self.livekit_sensitive = {LIVEKIT_PASSWORD: self.password}
