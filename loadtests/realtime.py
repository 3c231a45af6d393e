"""Timing real-time (websocket) exchanges as locust requests, so they get statistics and SLOs like HTTP.

Each timed step fires locust's `request` event with request_type "WS": its SLO key is
"WS <name>", e.g. "WS stt first transcript". A step that fails fires with the exception, which
is what `catch_response` does for HTTP.
"""

from __future__ import annotations

import json
import time

import websocket  # websocket-client: blocking calls, cooperative under locust's gevent monkey-patching

REQUEST_TYPE = "WS"


class ProtocolError(Exception):
    """The server answered, but not as the protocol says."""


def fire(
    environment,
    name: str,
    started: float,
    *,
    ended: float | None = None,
    exception: Exception | None = None,
    length: int = 0,
) -> None:
    """Record one step that began at `started` and ended at `ended` (time.perf_counter(); default now)."""
    ended = time.perf_counter() if ended is None else ended
    environment.events.request.fire(
        request_type=REQUEST_TYPE,
        name=name,
        response_time=(ended - started) * 1000,
        response_length=length,
        exception=exception,
        context={},
    )


def connect(environment, url: str, *, name: str, headers: list[str] | None = None, timeout: float = 5.0):
    """Open a websocket and time the handshake; None (failure recorded) when it cannot be opened.
    `timeout` also bounds every later read: a real-time peer silent for that long is broken."""
    started = time.perf_counter()
    url = websocket_url(url)
    try:
        ws = websocket.create_connection(url, header=headers or [], timeout=timeout)
    except (websocket.WebSocketException, OSError) as error:
        fire(environment, name, started, exception=error)
        return None
    fire(environment, name, started)
    return ws


def websocket_url(url: str) -> str:
    """ws(s):// for an http(s):// base URL, so one base URL per host serves HTTP and websocket users alike."""
    for http, ws in (("http://", "ws://"), ("https://", "wss://")):
        if url.startswith(http):
            return ws + url[len(http) :]
    return url


def receive_json(ws) -> dict | None:
    """The next JSON text message, skipping binary frames; None when the server closed the socket."""
    while True:
        try:
            opcode, payload = ws.recv_data()
        except websocket.WebSocketConnectionClosedException:
            return None
        if opcode == websocket.ABNF.OPCODE_CLOSE:
            return None
        if opcode != websocket.ABNF.OPCODE_TEXT:
            continue
        try:
            message = json.loads(payload)
        except ValueError:
            raise ProtocolError(f"a text message that is not JSON: {payload[:120]!r}") from None
        if not isinstance(message, dict):
            raise ProtocolError(f"a JSON message that is not an object: {payload[:120]!r}")
        return message
