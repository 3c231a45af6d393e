"""Spike: a steady baseline, five times the users within seconds, then back: does it recover?"""

from loadtests.shapes.stages import Stage, StageShape


class SpikeShape(StageShape):
    stages = (
        Stage(until_s=120, users=20, spawn_rate=5),  # baseline
        Stage(until_s=180, users=100, spawn_rate=40),  # the spike, reached in about two seconds
        Stage(until_s=360, users=20, spawn_rate=40),  # recovery: latency should return to baseline
    )
