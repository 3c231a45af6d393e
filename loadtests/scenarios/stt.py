"""Streaming speech-to-text, as clients do it: audio in 100 ms chunks over a websocket at real-time
pace while transcripts stream back.

Protocol: Deepgram's streaming API (the platform self-hosts Deepgram): wss://<host>/v1/listen with
the audio format in the query, binary audio frames, {"type": "CloseStream"} at the end; the server
sends "Results" messages (is_final on the last of an utterance) and a "Metadata" message before it
closes. Timed: the handshake, the first result after the first chunk, the final result after
CloseStream. API key from LOADTEST_STT_API_KEY.
"""

import json
import random
import time

import gevent
from locust import User, between, task

from loadtests import credentials, gate, realtime, testdata  # noqa: F401  (gate registers the shared hooks)

LISTEN = f"/v1/listen?encoding=linear16&sample_rate={testdata.SAMPLE_RATE}&channels=1&interim_results=true"


class StreamingSttUser(User):
    surface = "stt"
    credentials = (credentials.STT_API_KEY,)
    wait_time = between(1, 3)

    @task
    def transcribe(self):
        headers = [f"Authorization: Token {credentials.get(credentials.STT_API_KEY)}"]
        ws = realtime.connect(self.environment, self.host.rstrip("/") + LISTEN, name="stt connect", headers=headers)
        if ws is None:
            return
        try:
            self.stream(ws, testdata.audio_chunks()[: random.randint(10, 30)])
        finally:
            ws.close()

    def stream(self, ws, chunks):
        marks = {}

        def send_audio():
            marks["first_chunk"] = time.perf_counter()
            for chunk in chunks:
                ws.send_binary(chunk)
                gevent.sleep(testdata.CHUNK_MS / 1000)
            marks["close_stream"] = time.perf_counter()
            ws.send(json.dumps({"type": "CloseStream"}))

        sender = gevent.spawn(send_audio)
        first_result = final_result = None
        try:
            while (message := realtime.receive_json(ws)) is not None:
                if message.get("type") == "Results":
                    if first_result is None:
                        first_result = time.perf_counter()
                        realtime.fire(self.environment, "stt first transcript", marks["first_chunk"])
                    if message.get("is_final") and "close_stream" in marks:
                        final_result = time.perf_counter()
                elif message.get("type") == "Metadata":
                    break
            sender.get(timeout=5)  # re-raises a send failure
            if first_result is None or final_result is None:
                raise realtime.ProtocolError(
                    "the stream ended without "
                    + ("any result" if first_result is None else "a final result after CloseStream")
                )
        except Exception as error:  # noqa: BLE001 - any failure of the stream is the step's result
            sender.kill()
            step = "stt first transcript" if first_result is None else "stt final transcript"
            started = marks.get("close_stream") or marks.get("first_chunk") or time.perf_counter()
            realtime.fire(self.environment, step, started, exception=error)
            return
        realtime.fire(self.environment, "stt final transcript", marks["close_stream"], ended=final_result)
