"""How fast a global entry drops a failing region: its health checks' interval and threshold and its DNS TTL, per
cloud, beside the services' defaults. Plain data: the stacks set these, docs/multi-region.md quotes the budgets.

A voice call is long-lived and already set up in its region when that region fails; what failover decides is how
soon a caller who reconnects (or a new caller) is sent elsewhere. Target: one to two minutes. Faster costs more
than it gains: a threshold of 1 lets one lost probe move a region's new calls to another continent, and a TTL
under 30 s multiplies resolver queries (billed per query) while many resolvers raise very low TTLs anyway.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Failover:
    interval_s: int  # seconds between probes of one endpoint
    failures: int  # consecutive failed probes that mark it unhealthy
    ttl_s: int  # TTL of the answer a resolver caches

    @property
    def budget_s(self) -> int:
        """Worst case until every resolver has dropped the failed region: detection, then the cached answers."""
        return self.interval_s * self.failures + self.ttl_s


# Route 53: fast checks (10 s, the shortest it offers, billed as an option); 3 failures, so ~30 s of a failing
# /readyz, seen by more than 82% of its checkers, marks the region unhealthy; 30 s TTL on the latency records.
AWS = Failover(interval_s=10, failures=3, ttl_s=30)
# Route 53's defaults (30 s, 3) with the 300 s TTL records are commonly given.
AWS_DEFAULT = Failover(interval_s=30, failures=3, ttl_s=300)

# Traffic Manager: fast probing (10 s; timeout 5 s, under the interval as it requires); 2 tolerated failures, so
# the third consecutive failure (~30 s) marks the endpoint Degraded; 30 s DNS TTL on the profile.
AZURE = Failover(interval_s=10, failures=3, ttl_s=30)
AZURE_TOLERATED_FAILURES = AZURE.failures - 1  # Traffic Manager counts the failures it tolerates, not the fatal one
AZURE_PROBE_TIMEOUT_S = 5
# Traffic Manager's defaults: 30 s probes, 3 tolerated failures (the 4th marks it Degraded), 60 s TTL.
AZURE_DEFAULT = Failover(interval_s=30, failures=4, ttl_s=60)
