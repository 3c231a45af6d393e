"""SLOs are data; the check names each missed objective and by how much."""

import pytest

from loadtests import slo

TABLE = slo.table_from_data(
    {
        "default": {"p95_ms": 500, "p99_ms": 1000, "error_ratio": 0.01},
        "endpoints": {"GET /v1/agents/[id]": {"p95_ms": 150}},
    },
    where="test.toml",
)


def stats(key="GET /v1/agents", requests=1000, failures=0, p95=100.0, p99=200.0):
    return slo.EndpointStats(key=key, requests=requests, failures=failures, p95_ms=p95, p99_ms=p99)


def test_an_endpoint_entry_overrides_only_the_keys_it_sets():
    objective = TABLE.for_endpoint("GET /v1/agents/[id]")
    assert (objective.p95_ms, objective.p99_ms, objective.error_ratio) == (150, 1000, 0.01)


def test_an_endpoint_without_an_entry_gets_the_default():
    assert TABLE.for_endpoint("POST /v1/agents") == TABLE.default


def test_a_run_within_every_objective_has_no_breach():
    assert slo.evaluate(TABLE, [stats(), stats("GET /v1/agents/[id]", p95=149)]) == []


def test_a_slow_p95_is_named_with_its_excess():
    [breach] = slo.evaluate(TABLE, [stats("GET /v1/agents/[id]", p95=200)])
    assert breach.message() == "SLO breached: GET /v1/agents/[id] p95 200 ms > 150 ms (over by 50 ms, +33%)"


def test_a_slow_p99_is_named_with_its_excess():
    [breach] = slo.evaluate(TABLE, [stats(p99=1500)])
    assert breach.message() == "SLO breached: GET /v1/agents p99 1500 ms > 1000 ms (over by 500 ms, +50%)"


def test_an_error_ratio_above_budget_is_named_with_counts():
    [breach] = slo.evaluate(TABLE, [stats(failures=25)])
    assert breach.message() == (
        "SLO breached: GET /v1/agents error ratio 2.50% > 1.00% (over by 1.50 points; 25 of 1000 requests failed)"
    )


def test_an_error_ratio_exactly_at_budget_passes():
    assert slo.evaluate(TABLE, [stats(failures=10)]) == []


def test_every_missed_objective_of_every_endpoint_is_reported():
    breaches = slo.evaluate(TABLE, [stats(p95=600, p99=1200, failures=100), stats("GET /v1/agents/[id]", p95=151)])
    assert [(b.endpoint, b.figure) for b in breaches] == [
        ("GET /v1/agents", "p95_ms"),
        ("GET /v1/agents", "p99_ms"),
        ("GET /v1/agents", "error_ratio"),
        ("GET /v1/agents/[id]", "p95_ms"),
    ]


def test_a_run_that_sent_nothing_fails_the_gate():
    [breach] = slo.evaluate(TABLE, [stats(requests=0)])
    assert "no requests were made" in breach.message()


def test_an_endpoint_with_no_requests_is_not_judged():
    assert slo.evaluate(TABLE, [stats(), stats("GET /v1/agents/[id]", requests=0, p95=9999)]) == []


@pytest.mark.parametrize(
    "data, message",
    [
        ({"default": {"p95": 1}}, "unknown key(s) p95; the known keys are p95_ms, p99_ms, error_ratio"),
        ({"defaults": {}}, "unknown key(s) defaults"),
        ({"default": {"p95_ms": "fast"}}, "p95_ms = 'fast': write a non-negative number"),
        ({"default": {"error_ratio": 5}}, "a ratio is at most 1 (0.01 is 1%)"),
        ({"endpoints": {"/v1/agents": {"p95_ms": 1}}}, 'write the key as "<METHOD> <name>"'),
        ({"endpoints": {"GET /x": 5}}, "must be a table"),
    ],
)
def test_malformed_slo_data_names_the_key_and_the_fix(data, message):
    with pytest.raises(slo.SloDataError, match=r"test.toml") as error:
        slo.table_from_data(data, where="test.toml")
    assert message in str(error.value)
