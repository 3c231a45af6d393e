"""Test data the suite makes up: no customer data ever enters a load test.

Everything created on a target carries the `lt-` prefix, so a clean-up job (or a person) can tell
load-test leftovers from real records.
"""

from __future__ import annotations

import math
import random
import sys
import uuid
from array import array
from functools import lru_cache

PREFIX = "lt-"
SAMPLE_RATE = 16_000  # Hz, 16-bit mono little-endian PCM: what the voice and STT clients send
CHUNK_MS = 100

_WORDS = (
    "appointment",
    "billing",
    "callback",
    "delivery",
    "order",
    "refund",
    "schedule",
    "status",
    "support",
    "ticket",
    "account",
    "address",
    "confirm",
    "cancel",
    "invoice",
    "payment",
    "please",
    "today",
    "tomorrow",
    "thanks",
    "hello",
    "number",
    "update",
    "change",
    "question",
    "help",
)
_LANGUAGES = ("en-US", "en-GB", "de-DE", "fr-FR", "es-ES")
_VOICES = ("aura-asteria-en", "aura-luna-en", "aura-orion-en", "aura-arcas-en")


def unique_name(kind: str) -> str:
    return f"{PREFIX}{kind}-{uuid.uuid4().hex[:10]}"


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(_WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def phone_number(rng: random.Random) -> str:
    """A North American number in 555-0100..0199, the range reserved for fiction: it never rings anyone."""
    return f"+1{rng.randint(201, 989)}55501{rng.randint(0, 99):02d}"


def agent(rng: random.Random) -> dict:
    """The body of an agent to create: what a customer configures for a voice bot."""
    return {
        "name": unique_name("agent"),
        "language": rng.choice(_LANGUAGES),
        "voice": rng.choice(_VOICES),
        "greeting": sentence(rng, rng.randint(4, 10)),
        "prompt": " ".join(sentence(rng, rng.randint(6, 14)) for _ in range(rng.randint(2, 5))),
        "phone_number": phone_number(rng),
    }


def voice(rng: random.Random) -> str:
    return rng.choice(_VOICES)


@lru_cache(maxsize=1)
def audio_chunks(seconds: float = 3.0) -> tuple[bytes, ...]:
    """`seconds` of speech-like audio in CHUNK_MS chunks: a tone gliding like intonation, in syllable-long
    bursts, with a little noise. Deterministic (seeded), made once per process."""
    rng = random.Random(16_000)
    samples = array("h")
    for n in range(int(SAMPLE_RATE * seconds)):
        t = n / SAMPLE_RATE
        pitch = 140 + 40 * math.sin(2 * math.pi * 0.7 * t)  # Hz, a voice-like glide
        envelope = 0.5 + 0.5 * math.sin(2 * math.pi * 4 * t)  # about four syllables a second
        value = 9000 * envelope * math.sin(2 * math.pi * pitch * t) + rng.gauss(0, 300)
        samples.append(max(-32768, min(32767, int(value))))
    if sys.byteorder == "big":
        samples.byteswap()  # the wire format is little-endian
    raw = samples.tobytes()
    size = SAMPLE_RATE * 2 * CHUNK_MS // 1000
    return tuple(raw[i : i + size] for i in range(0, len(raw), size))
