"""LiveKit with its Redis on kind, as the clouds run them (stacks/delivery/local_livekit.py): both Ready with Redis's
data on a claimed volume, both scraped by Prometheus, fenced by their NetworkPolicies; the voice service creates a
room per call through LiveKit's server API with the keys the stack generated, and N synthetic participants
(images/livekit-participants), each signalling to one of the two replicas in turn, publish an Opus track each and
hear every other's: they can only when the replicas share the room through Redis. LiveKit's own gauges, read back
from Prometheus, count the same participants and tracks."""

import json
import math

import pytest

from bootstrap.waiting import wait_for
from contract import pins
from stacks.delivery.infrastructure import LIVEKIT_NAMESPACE
from stacks.delivery.livekit_keys import VOICE_KEY, VOICE_SECRET, voice_secret

from .fixtures.factories import random_name, wait_for_pod
from .fixtures.podhttp import call_from, container_port, pod_http
from .fixtures.pods import STANDIN_UID, is_ready, ready_pods_of, standin_pod

pytestmark = pytest.mark.livekit

LIVEKIT, REDIS = "livekit", "livekit-redis"
LIVEKIT_JOB, REDIS_JOB = f"{LIVEKIT_NAMESPACE}/{LIVEKIT}", f"{LIVEKIT_NAMESPACE}/{REDIS}"
PARTICIPANTS = 4  # bounded: every participant subscribes to every other (N·(N-1) media streams)
READY_WITHIN_S = 180
CALL_WITHIN_S = 150  # the participants' own deadline is 60 s; the rest is the pod's start and admission
HOLD_S = 150  # the participants stay in the room while the claims read it
TARGETS_UP_WITHIN_S = 60
GAUGES_WITHIN_S = 60


def livekit_pods(core) -> list:
    return ready_pods_of(core, LIVEKIT_NAMESPACE, LIVEKIT)


@pytest.fixture(scope="module")
def livekit(platform, apps, core):
    """LiveKit's Deployment and Redis's StatefulSet, every replica Ready."""

    def ready():
        deployment = apps.read_namespaced_deployment(LIVEKIT, LIVEKIT_NAMESPACE)
        redis = apps.read_namespaced_stateful_set(REDIS, LIVEKIT_NAMESPACE)
        seen = (
            f"livekit {deployment.status.ready_replicas}/{deployment.spec.replicas}, "
            f"redis {redis.status.ready_replicas}/{redis.spec.replicas}"
        )
        return (
            (deployment.status.ready_replicas or 0) == deployment.spec.replicas >= 2
            and (redis.status.ready_replicas or 0) == redis.spec.replicas == 1
        ), seen

    wait_for(ready, timeout=READY_WITHIN_S, interval=2, expected="LiveKit (2 replicas) and its Redis Ready")
    return livekit_pods(core)


def voice_pod(core, platform):
    pods = ready_pods_of(core, platform.namespace, "voice")
    assert pods, f"no Ready voice pod in {platform.namespace}"
    return pods[0]


def participants_pod(toolchain, room: str, urls: list[str]) -> dict:
    """The synthetic participants as a pod of the platform's namespace (LiveKit's declared clients), reading the key
    pair from the Secret the voice service reads (the stack made both from one generated value). A new pod's address
    reaches LiveKit's NetworkPolicy rules within the policy controller's sync bound: an init container waits until
    every replica admits the pod, so the participants' own deadline measures LiveKit alone."""
    hosts = [url.removeprefix("ws://").replace(":", "/") for url in urls]
    admitted = " && ".join(f"timeout 1 bash -c '</dev/tcp/{host}'" for host in hosts)
    secret, key, secret_key = voice_secret()
    env = [
        {"name": VOICE_KEY, "valueFrom": {"secretKeyRef": {"name": secret, "key": key}}},
        {"name": VOICE_SECRET, "valueFrom": {"secretKeyRef": {"name": secret, "key": secret_key}}},
    ]
    return {
        "restartPolicy": "Never",
        "terminationGracePeriodSeconds": 5,
        "automountServiceAccountToken": False,
        "securityContext": {
            "runAsNonRoot": True,
            "runAsUser": STANDIN_UID,
            "runAsGroup": STANDIN_UID,
            "seccompProfile": {"type": "RuntimeDefault"},
        },
        "initContainers": [
            {
                "name": "admitted",
                "image": toolchain.base_image,
                "imagePullPolicy": "IfNotPresent",
                "command": ["bash", "-c", f"until {admitted}; do sleep 0.5; done"],
                "resources": {"requests": {"cpu": "10m", "memory": "16Mi"}, "limits": {"memory": "64Mi"}},
                "securityContext": {
                    "allowPrivilegeEscalation": False,
                    "readOnlyRootFilesystem": True,
                    "capabilities": {"drop": ["ALL"]},
                },
            }
        ],
        "containers": [
            {
                "name": "participants",
                "image": pins.LIVEKIT_IMAGES["participants"],
                "imagePullPolicy": "IfNotPresent",
                "args": [
                    f"-urls={','.join(urls)}",
                    f"-room={room}",
                    f"-n={PARTICIPANTS}",
                    "-timeout=60s",
                    f"-hold={HOLD_S}s",
                ],
                "env": env,
                "resources": {"requests": {"cpu": "50m", "memory": "64Mi"}, "limits": {"memory": "256Mi"}},
                "securityContext": {
                    "allowPrivilegeEscalation": False,
                    "readOnlyRootFilesystem": True,
                    "capabilities": {"drop": ["ALL"]},
                },
            }
        ],
    }


def report_of(core, namespace: str, name: str) -> tuple[bool, str]:
    """(the participants printed their verdict, the log so far)."""
    pod = core.read_namespaced_pod(name, namespace)
    if pod.status.phase == "Pending":
        return False, f"pod Pending: {[c.message for c in pod.status.conditions or [] if c.message]}"
    log = core.read_namespaced_pod_log(name, namespace, container="participants")
    return any(line.startswith(("READY ", "FAILED ")) for line in log.splitlines()), log[-1500:]


@pytest.fixture(scope="module")
def call(livekit, platform, core, api_client, toolchain):
    """One call: the voice service creates its room, then the participants pod joins PARTICIPANTS callers to it,
    participant i signalling to LiveKit replica i mod 2 (by pod IP, so the Service picks no replica for them)."""
    voice = voice_pod(core, platform)
    created = pod_http(
        api_client, platform.namespace, voice.metadata.name, container_port(voice), "/livekit/rooms", method="POST"
    )
    assert created.status == 201, f"voice could not create a room: HTTP {created.status}: {created.body[:500]}"
    room = created.json()["name"]
    urls = [f"ws://{pod.status.pod_ip}:7880" for pod in livekit]
    name = random_name("livekit-participants")
    core.create_namespaced_pod(
        platform.namespace,
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": name, "labels": {"app.kubernetes.io/name": "livekit-participants"}},
            "spec": participants_pod(toolchain, room, urls),
        },
    )
    try:
        wait_for(
            lambda: report_of(core, platform.namespace, name),
            timeout=CALL_WITHIN_S,
            interval=2,
            expected=f"{PARTICIPANTS} participants reporting READY or FAILED in room {room}",
        )
        log = core.read_namespaced_pod_log(name, platform.namespace, container="participants")
        verdict, _, payload = next(
            line for line in log.splitlines() if line.startswith(("READY ", "FAILED "))
        ).partition(" ")
        yield {"room": room, "urls": urls, "verdict": verdict, "report": json.loads(payload), "log": log}
    finally:
        core.delete_namespaced_pod(name, platform.namespace, grace_period_seconds=0)


@pytest.mark.infrastructure
def test_livekit_runs_two_replicas_and_redis_keeps_its_data_on_a_claimed_volume(livekit, core, apps):
    assert len(livekit) == 2 and len({pod.spec.node_name for pod in livekit}) >= 1
    redis = apps.read_namespaced_stateful_set(REDIS, LIVEKIT_NAMESPACE)
    (pod,) = [p for p in core.list_namespaced_pod(LIVEKIT_NAMESPACE).items if p.metadata.name.startswith(REDIS)]
    data = next(v for v in pod.spec.volumes if v.name == "data")
    assert data.persistent_volume_claim and not data.empty_dir, f"Redis's data volume is {data}"
    claim = core.read_namespaced_persistent_volume_claim(data.persistent_volume_claim.claim_name, LIVEKIT_NAMESPACE)
    assert claim.status.phase == "Bound", f"claim {claim.metadata.name} is {claim.status.phase}"
    assert redis.spec.volume_claim_templates, "Redis's StatefulSet claims no volume"


@pytest.mark.infrastructure
def test_livekit_and_redis_are_prometheus_targets_that_are_up(livekit, monitoring):
    def targets_up():
        livekit_up = monitoring.query(f'up{{job="{LIVEKIT_JOB}"}}')
        redis_up = monitoring.query(f'redis_up{{job="{REDIS_JOB}"}}')
        values = [float(s["value"][1]) for s in livekit_up], [float(s["value"][1]) for s in redis_up]
        return values[0] == [1.0, 1.0] and values[1] == [1.0], f"livekit up {values[0]}, redis_up {values[1]}"

    wait_for(targets_up, timeout=TARGETS_UP_WITHIN_S, interval=3, expected="both LiveKit targets and Redis up")


@pytest.fixture
def outsider(core, namespace, make_pod):
    """A stand-in pod in a namespace LiveKit's and Redis's policies do not declare (the factories delete both)."""
    name = make_pod(standin_pod("outsider"), prefix="caller")
    return wait_for_pod(core, namespace, name, is_ready, "Ready", timeout=60)


def connected(report: dict) -> bool:
    """The stand-in's /call reached a server: an HTTP answer, or a non-HTTP server (Redis) closing on it."""
    error = report.get("error", "")
    return bool(report.get("upstream_status")) or any(word in error for word in ("EOF", "malformed", "reset"))


def wait_reach(api_client, pod, target: str, *, admitted: bool, timeout: float) -> None:
    """Waits until `pod` reaches `target` (admitted) or is kept from it (not admitted), within `timeout`."""

    def verdict():
        _, report = call_from(api_client, pod, target)
        return connected(report) is admitted, str(report)

    who = f"{pod.metadata.namespace}/{pod.metadata.name}"
    expected = f"{target} {'admitting' if admitted else 'refusing'} {who}"
    wait_for(verdict, timeout=timeout, interval=2, expected=expected)


@pytest.mark.infrastructure
def test_a_pod_their_network_policies_do_not_declare_is_refused_by_livekit_and_redis(
    livekit, outsider, core, platform, api_client, policy_sync_s
):
    livekit_url, redis_url = f"{LIVEKIT}.{LIVEKIT_NAMESPACE}.svc:7880", f"{REDIS}-master.{LIVEKIT_NAMESPACE}.svc:6379"
    voice = voice_pod(core, platform)
    # The declared client is admitted (so a refusal below is the policy's, not a dead server's).
    wait_reach(api_client, voice, livekit_url, admitted=True, timeout=policy_sync_s)
    for target in (livekit_url, redis_url):
        wait_reach(api_client, outsider, target, admitted=False, timeout=policy_sync_s)
    # Redis admits LiveKit alone: the voice service, LiveKit's client, is refused too.
    wait_reach(api_client, voice, redis_url, admitted=False, timeout=policy_sync_s)


def test_every_participant_hears_every_other_participants_audio_track(call):
    assert call["verdict"] == "READY", f"participants failed:\n{call['log'][-3000:]}"
    for participant in call["report"]["participants"]:
        others = {p["identity"] for p in call["report"]["participants"]} - {participant["identity"]}
        assert set(participant["packets"]) == others, participant
        assert participant["subscribed"] == PARTICIPANTS - 1, participant


def test_participants_on_different_replicas_share_one_room_through_redis(call, core, phase_timings):
    by_url = {}
    for participant in call["report"]["participants"]:
        by_url.setdefault(participant["url"], []).append(participant["identity"])
    assert len(by_url) == 2 and len(set(call["urls"])) == 2, f"participants by replica: {by_url}"
    assert call["verdict"] == "READY", f"participants on {sorted(by_url)} did not all hear each other"
    joins = sorted(p["join_ms"] for p in call["report"]["participants"])
    p95 = joins[min(len(joins) - 1, math.ceil(0.95 * len(joins)) - 1)]
    phase_timings.figure("livekit_join", {"participants": PARTICIPANTS, "join_ms": joins, "join_p95_ms": p95})


def test_livekit_api_lists_the_participants_through_the_voice_service(call, core, platform, api_client):
    voice = voice_pod(core, platform)
    listed = pod_http(
        api_client,
        platform.namespace,
        voice.metadata.name,
        container_port(voice),
        "/livekit/participants",
        query={"room": call["room"]},
    )
    assert listed.status == 200, f"HTTP {listed.status}: {listed.body[:300]}"
    identities = {p["identity"] for p in listed.json().get("participants", [])}
    assert identities == {p["identity"] for p in call["report"]["participants"]}, identities


def test_livekits_participant_and_track_gauges_in_prometheus_agree_with_the_call(call, monitoring, core):
    """The replica hosting the room counts every participant; the other also counts those whose signal connection
    it relays to the room's replica. Tracks are counted where the room is."""
    ip_of = {pod.metadata.name: pod.status.pod_ip for pod in livekit_pods(core)}
    signalling = {}
    for participant in call["report"]["participants"]:
        ip = participant["url"].removeprefix("ws://").split(":")[0]
        signalling[ip] = signalling.get(ip, 0) + 1
    # Either replica may host the room: it counts all, the other its own signalling participants.
    expected_participants = [
        {ip: PARTICIPANTS if ip == host else signalling.get(ip, 0) for ip in ip_of.values()} for host in ip_of.values()
    ]
    expected_tracks = {
        "livekit_track_published_total": PARTICIPANTS,
        "livekit_track_subscribed_total": PARTICIPANTS * (PARTICIPANTS - 1),
    }

    def gauges():
        by_pod = monitoring.query(f'livekit_participant_total{{job="{LIVEKIT_JOB}"}}')
        participants = {ip_of.get(s["metric"].get("pod")): float(s["value"][1]) for s in by_pod}
        tracks = {}
        for metric in expected_tracks:
            series = monitoring.query(f'sum({metric}{{job="{LIVEKIT_JOB}"}})')
            tracks[metric] = float(series[0]["value"][1]) if series else None
        met = participants in expected_participants and tracks == expected_tracks
        return met, f"participants by replica {participants}, tracks {tracks}"

    # A few scrape intervals (5 s on kind), well inside the participants' hold.
    wait_for(
        gauges,
        timeout=GAUGES_WITHIN_S,
        interval=3,
        expected=f"participants by replica one of {expected_participants}, tracks {expected_tracks}",
    )
