"""Smoke: about a minute of light load; CI runs it against the stand-in with its SLO gate."""

from loadtests.shapes.stages import Stage, StageShape


class SmokeShape(StageShape):
    stages = (Stage(until_s=60, users=10, spawn_rate=5),)
