"""Ingress on kind: external traffic enters through the NGINX Ingress controller kind runs (docs/ingress-on-kind.md).

The controller (bootstrap/ingress.py, installed by the cluster bootstrap) is published on 127.0.0.1 through kind's
extraPortMappings; requests name the Ingress host in the Host header. The stand-in names its service in the
`X-Service` header of every response and speaks WebSocket on /stream."""

import json
import time
from urllib.parse import urlsplit

import kubernetes
import pytest
import requests
import websocket

from bootstrap.waiting import wait_for

from .fixtures.scaling import backend_at_rest

pytestmark = pytest.mark.ingress

ROUTED_WITHIN_S = 60  # the controller's sync after the deploy: a reload per changed Ingress
# kind's controller read timeout (bootstrap/manifests/ingress-nginx-kind.yaml) and the voice Ingress's (3600 s).
DEFAULT_READ_TIMEOUT_S = 15
UNKNOWN_HOST = "no-such-service.voiceplat.invalid"
# The annotation that limits a request body, in each NGINX controller's dialect (the generated ingress class
# settings, stacks/delivery/environment_values.py, put one on every Ingress): F5's and the community one's.
BODY_SIZE_ANNOTATIONS = ("nginx.org/client-max-body-size", "nginx.ingress.kubernetes.io/proxy-body-size")
NGINX_DEFAULT_BODY_LIMIT = 1024 * 1024  # nginx's client_max_body_size when nothing sets it
NGINX_SIZE_UNITS = {"": 1, "k": 1024, "m": 1024 * 1024, "g": 1024 * 1024 * 1024}


@pytest.fixture(scope="session")
def ingress_rules(platform, api_client) -> list[tuple[str, str, str, str]]:
    """(Ingress, host, path, the service its pods run as) for every rule of every Ingress the charts rendered."""
    networking = kubernetes.client.NetworkingV1Api(api_client)
    core = kubernetes.client.CoreV1Api(api_client)
    rules = []
    for ingress in networking.list_namespaced_ingress(platform.namespace).items:
        for rule in ingress.spec.rules or []:
            for path in rule.http.paths:
                service = core.read_namespaced_service(path.backend.service.name, platform.namespace)
                # The stand-in's SERVICE_NAME is the chart's service name, the Service's name label.
                rules.append(
                    (ingress.metadata.name, rule.host, path.path, service.metadata.labels["app.kubernetes.io/name"])
                )
    assert rules, f"no Ingress in {platform.namespace}: the charts' services with ingress.enabled render one each"
    return rules


def routed(ingress_url: str, host: str, path: str) -> tuple[int, str]:
    response = requests.get(ingress_url + path, headers={"Host": host}, timeout=10)
    return response.status_code, response.headers.get("X-Service", "")


def test_every_ingress_rule_routes_to_the_service_it_names(ingress_url, ingress_rules):
    for name, host, path, service in ingress_rules:

        def answered_by_service():
            status, answered_by = routed(ingress_url, host, path)
            return answered_by == service, f"HTTP {status} from {answered_by or 'no stand-in'}"

        wait_for(
            answered_by_service,
            timeout=ROUTED_WITHIN_S,
            interval=2,
            expected=f"Ingress {name}: http://{host}{path} answered by service {service}",
        )


def test_a_host_no_ingress_declares_gets_the_controllers_default_404(ingress_url, ingress_rules):
    status, answered_by = routed(ingress_url, UNKNOWN_HOST, "/")
    assert (status, answered_by) == (404, ""), (
        f"expected the controller's own 404 for Host {UNKNOWN_HOST}, got HTTP {status} from {answered_by or 'nginx'}"
    )


def open_stream(ingress_url: str, host: str) -> tuple[websocket.WebSocket, str]:
    """A WebSocket through the controller, and the pod that holds its other end (the stand-in's greeting)."""
    address = urlsplit(ingress_url)
    ws = websocket.create_connection(f"ws://{address.netloc}/stream", host=host, timeout=10)
    hello = ws.recv()
    assert '"service"' in hello, f"expected the stand-in's greeting on ws://{host}/stream, got {hello!r}"
    return ws, json.loads(hello).get("hostname", "")


def ingress_for(ingress_rules, annotated: bool) -> tuple[str, str]:
    """(host, service) of an Ingress whose annotations raise the read timeout (or of one whose do not)."""
    routes = sorted((host, service) for name, host, path, service in ingress_rules if path == "/")
    return next((host, service) for host, service in routes if host.startswith("voice.") == annotated)


def went_away(core, namespace: str, pod: str) -> str:
    """Why the pod holding a stream is no longer there to hold it ('' when it still runs)."""
    try:
        found = core.read_namespaced_pod(pod, namespace)
    except kubernetes.client.ApiException as error:
        if error.status == 404:
            return f"pod {pod} was deleted"
        raise
    return f"pod {pod} is terminating" if found.metadata.deletion_timestamp else ""


def test_a_websocket_outlives_the_default_read_timeout_where_the_annotations_raise_it(
    platform, core, apps, autoscaling, ingress_url, ingress_rules
):
    host, service = ingress_for(ingress_rules, annotated=True)
    backend_at_rest(autoscaling, apps, platform.namespace, service)
    ws, pod = open_stream(ingress_url, host)
    # Nothing is sent for longer than the default timeout: a receive that times out on our side means the
    # connection was still open when we stopped listening.
    ws.settimeout(DEFAULT_READ_TIMEOUT_S + 10)
    try:
        unasked = ws.recv()
    except websocket.WebSocketTimeoutException:
        pass
    except websocket.WebSocketConnectionClosedException:
        pytest.fail(
            f"the idle WebSocket on {host} was cut before the annotations' read timeout "
            f"({went_away(core, platform.namespace, pod) or f'pod {pod} still runs'})"
        )
    else:
        pytest.fail(f"expected silence on the idle WebSocket, received {unasked!r}")
    ws.settimeout(10)
    ws.send("still there")
    assert ws.recv() == "still there", "expected the idle WebSocket to echo after the default read timeout"
    ws.close()


def test_a_websocket_is_cut_at_the_default_read_timeout_where_no_annotation_raises_it(
    platform, core, apps, autoscaling, ingress_url, ingress_rules
):
    host, service = ingress_for(ingress_rules, annotated=False)
    backend_at_rest(autoscaling, apps, platform.namespace, service)
    ws, pod = open_stream(ingress_url, host)
    ws.settimeout(DEFAULT_READ_TIMEOUT_S + 30)
    started = time.monotonic()
    with pytest.raises(websocket.WebSocketConnectionClosedException):
        ws.recv()
    idle = time.monotonic() - started
    assert DEFAULT_READ_TIMEOUT_S - 2 <= idle <= DEFAULT_READ_TIMEOUT_S + 10, (
        f"expected the controller to cut the idle WebSocket after about {DEFAULT_READ_TIMEOUT_S}s, it took "
        f"{idle:.1f}s ({went_away(core, platform.namespace, pod) or f'pod {pod} still runs'})"
    )


def body_limit(networking, namespace: str, name: str) -> int:
    """The request body limit an Ingress's annotation sets, in bytes (nginx's size syntax: 16m)."""
    annotations = networking.read_namespaced_ingress(name, namespace).metadata.annotations or {}
    (size,) = [annotations[key] for key in BODY_SIZE_ANNOTATIONS if key in annotations] or [""]
    assert size, f"Ingress {name} sets no body limit ({' or '.join(BODY_SIZE_ANNOTATIONS)}): {annotations}"
    number, unit = size[:-1] if size[-1:].isalpha() else size, size[-1:].lower() if size[-1:].isalpha() else ""
    return int(number) * NGINX_SIZE_UNITS[unit]


def test_a_request_body_over_the_ingress_limit_is_answered_413_and_one_under_it_passes(
    platform, api_client, ingress_url, ingress_rules
):
    name, host, path, _service = next(rule for rule in sorted(ingress_rules) if rule[2] == "/")
    limit = body_limit(kubernetes.client.NetworkingV1Api(api_client), platform.namespace, name)
    assert limit > NGINX_DEFAULT_BODY_LIMIT, f"the limit {limit} is nginx's default: the claim would not see it"
    over = requests.post(ingress_url + path, headers={"Host": host}, data=b"x" * (limit + 1), timeout=60)
    assert (over.status_code, over.headers.get("X-Service", "")) == (413, ""), (
        f"expected the controller's 413 for {limit + 1} bytes to http://{host}{path} (limit {limit}), "
        f"got HTTP {over.status_code} from {over.headers.get('X-Service') or 'nginx'}"
    )
    # Above nginx's 1 MiB default, so this passes the edge only where the annotation took effect. The stand-in
    # has no POST on this path and may close before reading the body: any answer but 413 is past the limit.
    under = requests.post(ingress_url + path, headers={"Host": host}, data=b"x" * (limit - 1024), timeout=60)
    assert under.status_code != 413, f"expected {limit - 1024} bytes to pass the edge's limit of {limit}, got 413"
