"""A fake of the platform's public surfaces, as loadtests/README.md "Assumed APIs" describes them, so the
scenario locustfiles can be run for real in tests. One port serves REST, GraphQL, TTS, the voice session
API and both websockets.

    python tests/loadtests/fake_platform.py PORT [FAULT,...]

Faults make one surface misbehave, so the tests see the scenarios catch it: agent_500 (GET one agent
fails), graphql_errors (queries answer 200 with `errors`), tts_short (truncated audio), stt_no_final
(the stream ends without a final result), voice_silent (the voice socket never sends its first event).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import socketserver
import struct
import sys
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN = "Bearer test-token"
STT_KEY = "Token test-stt-key"
FAULTS: set[str] = set()
WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *_):  # quiet: the tests read locust's output, not ours
        pass

    def reply(self, status: int, body=b"", content_type="application/json"):
        data = json.dumps(body).encode() if not isinstance(body, bytes) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def body(self) -> dict:
        length = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(length) or b"{}")

    def authorised(self, expected=TOKEN) -> bool:
        if self.headers.get("Authorization") == expected:
            return True
        self.reply(401, {"error": "unauthorised"})
        return False

    def do_GET(self):
        path = self.path.split("?")[0]
        if path in ("/v1/voice/ws", "/v1/listen"):
            return self.websocket(path)
        if not self.authorised():
            return
        if path in ("/v1/agents", "/v1/calls"):
            return self.reply(200, {"items": [{"id": str(uuid.uuid4())}]})
        if re.fullmatch(r"/v1/agents/[\w-]+", path):
            if "agent_500" in FAULTS:
                return self.reply(500, {"error": "database unavailable"})
            return self.reply(200, {"id": path.rsplit("/", 1)[1], "name": "lt-agent"})
        self.reply(404, {"error": path})

    def do_POST(self):
        path = self.path.split("?")[0]
        if not self.authorised():
            return
        body = self.body()
        if path == "/v1/agents":
            return self.reply(201, {"id": str(uuid.uuid4()), **body})
        if path == "/graphql":
            return self.graphql(body)
        if path == "/v1/speak":
            words = len(body.get("text", "").split())
            audio = b"\0" * (words * 3200 // (10 if "tts_short" in FAULTS else 1))
            return self.reply(200, audio, "audio/wav")
        if path == "/v1/voice/sessions":
            host = self.headers.get("Host")
            return self.reply(
                201, {"session_id": str(uuid.uuid4()), "token": "session-token", "url": f"ws://{host}/v1/voice/ws"}
            )
        self.reply(404, {"error": path})

    def do_PATCH(self):
        if self.authorised():
            self.reply(200, {"id": self.path.rsplit("/", 1)[1], **self.body()})

    def do_DELETE(self):
        if self.authorised():
            self.reply(204, b"")

    def graphql(self, request: dict):
        if "graphql_errors" in FAULTS:
            return self.reply(200, {"data": None, "errors": [{"message": "resolver failed"}]})
        field = re.search(r"[{]\s*(\w+)", request["query"]).group(1)
        self.reply(200, {"data": {field: {"id": str(uuid.uuid4()), "edges": []}}})

    # --- websockets (RFC 6455, just what the scenarios use) ---------------------------------------

    def websocket(self, path: str):
        expected = STT_KEY if path == "/v1/listen" else "Bearer session-token"
        if self.headers.get("Authorization") != expected:
            return self.reply(401, {"error": "unauthorised"})
        accept = base64.b64encode(hashlib.sha1((self.headers["Sec-WebSocket-Key"] + WS_GUID).encode()).digest())
        self.send_response(101)
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", accept.decode())
        self.end_headers()
        self.close_connection = True
        (self.listen if path == "/v1/listen" else self.voice)()

    def voice(self):
        for opcode, payload in frames(self.rfile):
            if opcode == 1 and json.loads(payload)["type"] == "start" and "voice_silent" not in FAULTS:
                send(self.wfile, {"type": "ready"})
            elif opcode == 1 and json.loads(payload)["type"] == "stop":
                send(self.wfile, {"type": "session.ended"})
                break

    def listen(self):
        chunks = 0
        for opcode, payload in frames(self.rfile):
            if opcode == 2:
                chunks += 1
                if chunks % 5 == 1:
                    send(
                        self.wfile,
                        {"type": "Results", "is_final": False, "channel": {"alternatives": [{"transcript": ""}]}},
                    )
            elif opcode == 1 and json.loads(payload)["type"] == "CloseStream":
                if "stt_no_final" not in FAULTS:
                    send(
                        self.wfile,
                        {"type": "Results", "is_final": True, "channel": {"alternatives": [{"transcript": ""}]}},
                    )
                send(self.wfile, {"type": "Metadata", "duration": chunks / 10})
                break
        self.wfile.write(b"\x88\x00")  # close


def frames(stream):
    """(opcode, payload) of each masked client frame until close or EOF."""
    while True:
        head = stream.read(2)
        if len(head) < 2:
            return
        opcode, length = head[0] & 0x0F, head[1] & 0x7F
        if length == 126:
            length = struct.unpack(">H", stream.read(2))[0]
        elif length == 127:
            length = struct.unpack(">Q", stream.read(8))[0]
        mask = stream.read(4)
        payload = bytes(b ^ mask[i % 4] for i, b in enumerate(stream.read(length)))
        if opcode == 8:
            return
        yield opcode, payload


def send(stream, message: dict):
    data = json.dumps(message).encode()
    header = bytes([0x81, len(data)]) if len(data) < 126 else bytes([0x81, 126]) + struct.pack(">H", len(data))
    stream.write(header + data)
    stream.flush()


if __name__ == "__main__":
    FAULTS.update(filter(None, (sys.argv[2] if len(sys.argv) > 2 else "").split(",")))
    socketserver.TCPServer.allow_reuse_address = True
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    server.daemon_threads = True
    print(f"fake platform on {server.server_address[1]} faults={sorted(FAULTS)}", flush=True)
    server.serve_forever()
