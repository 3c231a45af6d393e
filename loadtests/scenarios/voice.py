"""Voice session set-up, as a caller's client does it: request a session token over HTTP, open the
real-time connection with it, wait for the server to be ready, stream a few seconds of audio, hang up.

Assumed protocol: POST /v1/voice/sessions {"codec", "sample_rate"} answers 201 with
{"session_id", "token", "url"}; `url` is a websocket taking "Authorization: Bearer <token>"; the
client sends {"type": "start"}, the server answers an event (first one timed), binary audio frames
follow, {"type": "stop"} ends the session and the server answers {"type": "session.ended"} (timed).
"""

import json
import time

import gevent
from locust import between, task

from loadtests import gate, realtime, testdata  # noqa: F401  (gate registers the shared hooks)
from loadtests.api_user import ApiTokenUser
from loadtests.checks import expect


class VoiceSessionUser(ApiTokenUser):
    surface = "voice"
    wait_time = between(2, 5)

    @task
    def call(self):
        request = {"codec": "pcm16", "sample_rate": testdata.SAMPLE_RATE}
        with self.client.post(
            "/v1/voice/sessions", json=request, name="/v1/voice/sessions", catch_response=True
        ) as response:
            session = expect(response, 201, keys=("session_id", "token", "url"))
        if session is None:
            return
        ws = realtime.connect(
            self.environment,
            session["url"],
            name="voice connect",
            headers=[f"Authorization: Bearer {session['token']}"],
        )
        if ws is None:
            return
        try:
            self.converse(ws, session["session_id"])
        finally:
            ws.close()

    def converse(self, ws, session_id):
        started = time.perf_counter()
        try:
            ws.send(json.dumps({"type": "start", "session_id": session_id}))
            if realtime.receive_json(ws) is None:
                raise realtime.ProtocolError("the server closed the session before its first event")
        except Exception as error:  # noqa: BLE001 - any failure of this step is the step's result
            realtime.fire(self.environment, "voice first event", started, exception=error)
            return
        realtime.fire(self.environment, "voice first event", started)

        try:
            chunks = testdata.audio_chunks()[: self.rng.randint(10, 30)]  # one to three seconds
            for chunk in chunks:
                ws.send_binary(chunk)
                gevent.sleep(testdata.CHUNK_MS / 1000)  # real time, as a phone sends it
            # Timed: the hang-up, from the client's stop to the server's session.ended. Streaming itself
            # lasts as long as the audio, which is no latency.
            started = time.perf_counter()
            ws.send(json.dumps({"type": "stop"}))
            while (event := realtime.receive_json(ws)) is not None:
                if event.get("type") == "session.ended":
                    break
            else:
                raise realtime.ProtocolError("the server closed without a session.ended event")
        except Exception as error:  # noqa: BLE001
            realtime.fire(self.environment, "voice hang up", started, exception=error)
            return
        realtime.fire(self.environment, "voice hang up", started, length=sum(len(c) for c in chunks))
