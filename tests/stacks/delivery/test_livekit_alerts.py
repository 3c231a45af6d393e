"""LiveKit's and its Redis's alerts on kind (stacks/delivery/values/livekit-alerts.yaml), checked and unit-tested
with the pinned promtool: each parses, fires on its failing series after its `for:` and stays silent on healthy
ones. The series carry the names and labels LiveKit and images/redis-metrics export, as the local chart's
PodMonitors scrape them (checked live on kind by e2e/test_livekit.py)."""

import pytest

from promtoolkit import assert_alerts_fire_after_their_for
from stacks.delivery.local_livekit import livekit_alerts, local_livekit_values

pytestmark = pytest.mark.toolchain

LIVEKIT = 'up{namespace="livekit",job="livekit/livekit",pod="%s"}'
REDIS_UP = 'redis_up{namespace="livekit",job="livekit/livekit-redis",pod="livekit-redis-0"}'
AOF = 'redis_aof_last_write_ok{namespace="livekit",job="livekit/livekit-redis",pod="livekit-redis-0"}'
KEPT = {"namespace": "livekit", "job": "livekit/livekit", "pod": "livekit-a"}
KEPT_REDIS = {"namespace": "livekit", "job": "livekit/livekit-redis", "pod": "livekit-redis-0"}

# alert -> (failing series, healthy series, labels the expression keeps)
CASES = {
    "LiveKitDown": (
        [(LIVEKIT % "livekit-a", "0x40"), (LIVEKIT % "livekit-b", "0x40")],
        [(LIVEKIT % "livekit-a", "0x40"), (LIVEKIT % "livekit-b", "1x40")],
        {},
    ),
    "LiveKitReplicaDown": (
        [(LIVEKIT % "livekit-a", "0x40"), (LIVEKIT % "livekit-b", "1x40")],
        [(LIVEKIT % "livekit-a", "1x40"), (LIVEKIT % "livekit-b", "1x40")],
        KEPT,
    ),
    "LiveKitRedisDown": ([(REDIS_UP, "0x40")], [(REDIS_UP, "1x40")], {}),
    "LiveKitRedisPersistenceFailing": ([(AOF, "0x40")], [(AOF, "1x40")], KEPT_REDIS),
}


def test_every_livekit_alert_has_failing_and_healthy_series():
    assert {rule["alert"] for rule in livekit_alerts()} == set(CASES)


def test_the_local_chart_gets_the_rules():
    assert local_livekit_values(redis_service="livekit-redis-master")["alerts"] == livekit_alerts()


def test_every_livekit_alert_fires_after_its_for_and_stays_silent_when_healthy(tmp_path):
    assert_alerts_fire_after_their_for(tmp_path, "livekit", livekit_alerts(), CASES, settle_minutes=2)
