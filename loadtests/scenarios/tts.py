"""Text-to-speech: a short prompt is the common case (an agent's turn), a paragraph the heavy one.

Assumed API (Deepgram-compatible, as the platform self-hosts it): POST /v1/speak?model=<voice>
&encoding=linear16&sample_rate=16000 with {"text": ...} answers the audio. Bearer token from
LOADTEST_API_TOKEN.
"""

from locust import between, task

from loadtests import gate, testdata  # noqa: F401  (gate registers the shared hooks)
from loadtests.api_user import ApiTokenUser
from loadtests.checks import expect


class TtsUser(ApiTokenUser):
    surface = "tts"
    wait_time = between(1, 4)

    def speak(self, words: int):
        text = testdata.sentence(self.rng, words)
        url = f"/v1/speak?model={testdata.voice(self.rng)}&encoding=linear16&sample_rate={testdata.SAMPLE_RATE}"
        with self.client.post(url, json={"text": text}, name="/v1/speak", catch_response=True) as response:
            # At least a tenth of a second of 16-bit audio per word: an empty or truncated answer fails.
            expect(response, 200, content_type="audio/", min_bytes=words * testdata.SAMPLE_RATE * 2 // 10)

    @task(4)
    def agent_turn(self):
        self.speak(self.rng.randint(5, 20))

    @task(1)
    def paragraph(self):
        self.speak(self.rng.randint(60, 120))
