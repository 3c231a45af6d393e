"""kind's RabbitMQ as the local stack delivers it (stacks/delivery/local_rabbitmq.py): who may connect and where the
services' credentials go both come from what the platform's charts render; the broker waits for its credentials;
the platform waits for the broker."""

from deliverykit import address, delivery, documents, releases, secrets
from stacks.delivery.local_rabbitmq import CREDENTIALS_SECRET, URL_KEY, broker_clients, url_secrets

POLICY = {
    "kind": "NetworkPolicy",
    "spec": {
        "podSelector": {"matchLabels": {"app.kubernetes.io/name": "text"}},
        "egress": [{"to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "rabbitmq"}}}]}],
    },
}
ELSEWHERE = {
    "kind": "NetworkPolicy",
    "spec": {
        "podSelector": {"matchLabels": {"app.kubernetes.io/name": "voice"}},
        "egress": [{"to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "livekit"}}}]}],
    },
}


def env_ref(secret: str, key: str) -> dict:
    return {"name": "X", "valueFrom": {"secretKeyRef": {"name": secret, "key": key}}}


def test_the_broker_admits_the_pods_whose_policy_reaches_its_namespace_and_no_other():
    assert broker_clients({"platform": [POLICY, ELSEWHERE]}) == ["text"]


def test_rabbitmq_url_goes_to_the_secrets_workloads_read_it_from_cronjobs_included():
    deployment = {
        "kind": "Deployment",
        "spec": {
            "template": {
                "spec": {"containers": [{"env": [env_ref("text-secrets", URL_KEY), env_ref("text-secrets", "other")]}]}
            }
        },
    }
    cronjob = {
        "kind": "CronJob",
        "spec": {
            "jobTemplate": {
                "spec": {"template": {"spec": {"containers": [{"env": [env_ref("media-secrets", URL_KEY)]}]}}}
            }
        },
    }
    unrelated = {
        "kind": "Deployment",
        "spec": {"template": {"spec": {"containers": [{"env": [env_ref("voice-secrets", "livekit")]}]}}},
    }
    assert url_secrets({"platform": [deployment, cronjob, unrelated]}) == ["media-secrets", "text-secrets"]


def test_the_local_broker_admits_the_rendered_clients_and_their_secrets_carry_the_url():
    synth = delivery("local")
    values = documents(releases(synth)["rabbitmq"])[0]
    assert {"rest-api", "text", "media"} <= set(values["clients"]["names"])
    for name in ("rest-api-secrets", "text-secrets", "media-secrets"):
        assert URL_KEY in secrets(synth)[name]["data"], name


def test_the_broker_waits_for_its_credentials_and_the_platform_for_the_broker():
    synth = delivery("local")
    broker = releases(synth)["rabbitmq"]
    assert address(synth, "kubernetes_secret_v1", CREDENTIALS_SECRET) in broker["depends_on"]
    assert address(synth, "helm_release", "rabbitmq") in releases(synth)["platform"]["depends_on"]
