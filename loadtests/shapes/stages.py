"""The one shape class every stage table uses: hold each stage's user count until the stage ends.

A shape file only declares its table; this class turns it into locust's tick(). User counts and
spawn rates are written for preview's size and multiplied by --users-scale (default: the target
environment's `users_scale`: the stand-in on one machine takes far fewer users than preview);
--time-scale stretches or shrinks the stage end times (tests run the smoke shape in seconds).
"""

from __future__ import annotations

from dataclasses import dataclass

from locust import LoadTestShape


@dataclass(frozen=True)
class Stage:
    until_s: float  # the stage ends this many seconds after the start of the run
    users: int
    spawn_rate: float  # users started (or stopped) per second on the way to `users`


class StageShape(LoadTestShape):
    # Locust runs every non-abstract LoadTestShape it finds; only the tables in shapes/*.py are runnable.
    abstract = True
    stages: tuple[Stage, ...] = ()

    def tick(self):
        users_scale, time_scale = self.scales()
        elapsed = self.get_run_time() / time_scale
        for stage in self.stages:
            if elapsed < stage.until_s:
                users = max(1, round(stage.users * users_scale)) if stage.users else 0
                return users, max(stage.spawn_rate * users_scale, 0.1)
        return None

    def scales(self) -> tuple[float, float]:
        """(users, time) scale factors from the run's options; (1, 1) outside a run, as in unit tests."""
        options = getattr(getattr(getattr(self, "runner", None), "environment", None), "parsed_options", None)
        return (getattr(options, "users_scale", None) or 1.0, getattr(options, "time_scale", None) or 1.0)

    @classmethod
    def duration_s(cls) -> float:
        return cls.stages[-1].until_s if cls.stages else 0.0

    @classmethod
    def problems(cls) -> list[str]:
        """What is wrong with the table, for the shape tests; empty when it is well formed."""
        found = [] if cls.stages else [f"{cls.__name__} has no stages"]
        previous = 0.0
        for index, stage in enumerate(cls.stages):
            where = f"{cls.__name__}.stages[{index}]"
            if stage.until_s <= previous:
                found.append(f"{where} ends at {stage.until_s} s, not after the stage before it ({previous} s)")
            if stage.users < 0 or stage.spawn_rate <= 0:
                found.append(f"{where} needs users >= 0 and spawn_rate > 0")
            previous = stage.until_s
        return found
