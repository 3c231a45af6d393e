"""Soak: a moderate load for an hour, to surface leaks, connection exhaustion and slow drift."""

from loadtests.shapes.stages import Stage, StageShape


class SoakShape(StageShape):
    stages = (
        Stage(until_s=3600, users=50, spawn_rate=1),  # all users in within a minute, then an hour steady
    )
