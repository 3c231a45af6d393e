"""Ramp: step up to the peak a fifth at a time, hold the peak, then stop. Finds where latency bends."""

from loadtests.shapes.stages import Stage, StageShape


class RampShape(StageShape):
    stages = (
        Stage(until_s=60, users=20, spawn_rate=2),
        Stage(until_s=120, users=40, spawn_rate=2),
        Stage(until_s=180, users=60, spawn_rate=2),
        Stage(until_s=240, users=80, spawn_rate=2),
        Stage(until_s=300, users=100, spawn_rate=2),
        Stage(until_s=480, users=100, spawn_rate=2),  # hold the peak for three minutes
    )
