"""Where every Secret a release reads comes from: never from git. One row per (release, Secret) that a release's
objects read without creating it in the same render, or that the stack itself creates
(tests/stacks/delivery/test_secret_sources.py renders the releases and fails on a Secret read that has no row
here, and on a row that nothing reads).

Kinds of source: `stack` (the stack creates it, a kubernetes_secret_v1, from a generated sensitive value), `variable` (a
sensitive Terraform variable set when the stack is deployed), `chart` (the chart generates it at install: webhook
certificates, random passwords kept across upgrades), `secret-store` (the cloud's secret store through the Secrets
Store CSI driver's SecretProviderClass: AWS Secrets Manager `voiceplat/<environment>/<service>`, Azure Key Vault
`<service>-<key>`).
"""

from collections.abc import Mapping

from .environment_values import TLS_SECRET

PROJECT_SECRET = "{service}-secrets"  # what each project chart's SecretProviderClass syncs (voiceplat-lib)

SECRET_SOURCES: Mapping[tuple[str, str], tuple[str, str]] = {
    ("livekit", "livekit-keys"): (
        "stack",
        "generated once (terraform_data, sensitive), created by the stack (livekit_keys.py)",
    ),
    ("platform", "livekit-api"): (
        "stack",
        "the voice service's secretKeyRefs: the same generated pair, created by the stack in the platform "
        "namespace (livekit_keys.py)",
    ),
    ("livekit-redis", "livekit-redis-password"): (
        "stack",
        "generated once (terraform_data, sensitive), created by the stack (livekit_redis.py); LiveKit "
        "gets the same value as a sensitive value of its config",
    ),
    ("cloudflared", "cloudflared-cloudflare-tunnel-remote"): (
        "variable",
        "the chart writes TF_VAR_cloudflare_tunnel_token (set_sensitive) into it",
    ),
    ("kube-prometheus-stack", "kube-prometheus-stack-admission"): (
        "chart",
        "the chart's admission-create Job (kube-webhook-certgen) generates the webhook certificate",
    ),
    ("argo-cd", "argocd-redis"): ("chart", "the chart's redis-secret-init Job generates Redis's password"),
    ("platform", PROJECT_SECRET): ("secret-store", "SecretProviderClass of the service (global.secrets.provider)"),
    ("platform", TLS_SECRET): (
        "secret-store",
        "the environment's ingress.tls_certificate, synced by the chart's "
        "one SecretProviderClass of it, mounted by the services behind an "
        "Ingress",
    ),
    # The production receivers' (catalog.PRODUCTION_ALERTING), synced by Alertmanager's SecretProviderClass with an
    # identity of its own (alerting.py); docs/cloud-runbook.md, "Alert receivers", says where each goes in the store.
    ("kube-prometheus-stack", "alertmanager-pagerduty"): (
        "secret-store",
        "the PagerDuty receiver's routing key: Secrets Manager <secretPrefix>/alerting/<env>/"
        "alertmanager-pagerduty, Key Vault kv-alerts-<env> secret alertmanager-pagerduty",
    ),
    ("kube-prometheus-stack", "alertmanager-slack"): (
        "secret-store",
        "the Slack receiver's webhook URL: Secrets Manager <secretPrefix>/alerting/<env>/"
        "alertmanager-slack, Key Vault kv-alerts-<env> secret alertmanager-slack",
    ),
    # Temporal's database password (temporal_store.py): never in values or git.
    ("temporal", "temporal-db"): (
        "secret-store",
        "AWS: the password RDS keeps in Secrets Manager, synced by the temporal-store release's "
        "SecretProviderClass with Temporal's own IRSA role; Azure: the stack's Secret of the password it "
        "generated for the Flexible Server (generated_secret.py)",
    ),
    ("deepgram", PROJECT_SECRET): ("secret-store", "SecretProviderClass of the service (global.secrets.provider)"),
    ("tts", PROJECT_SECRET): ("secret-store", "SecretProviderClass of the service (global.secrets.provider)"),
    ("vad", PROJECT_SECRET): ("secret-store", "SecretProviderClass of the service (global.secrets.provider)"),
}


def source_of(release: str, secret: str) -> tuple[str, str] | None:
    """The row for a Secret a release reads (`<service>-secrets` rows match any service of that chart)."""
    if (release, secret) in SECRET_SOURCES:
        return SECRET_SOURCES[(release, secret)]
    if secret.endswith("-secrets"):
        return SECRET_SOURCES.get((release, PROJECT_SECRET))
    return None
