"""Generated test data: recognisable, harmless, and shaped like what clients send."""

import random

from loadtests import testdata


def test_audio_is_a_few_seconds_of_16_bit_16_khz_mono_in_100_ms_chunks():
    chunks = testdata.audio_chunks()
    assert len(chunks) == 30 and {len(chunk) for chunk in chunks} == {3200}


def test_audio_is_not_silence():
    chunk = testdata.audio_chunks()[5]
    samples = [int.from_bytes(chunk[i : i + 2], "little", signed=True) for i in range(0, len(chunk), 2)]
    assert max(samples) > 1000 and min(samples) < -1000


def test_created_records_carry_the_load_test_prefix_and_a_fictional_phone_number():
    rng = random.Random(7)
    agents = [testdata.agent(rng) for _ in range(50)]
    assert all(agent["name"].startswith(testdata.PREFIX) for agent in agents)
    assert all(agent["phone_number"][5:10] == "55501" for agent in agents)
    assert len({agent["name"] for agent in agents}) == 50
