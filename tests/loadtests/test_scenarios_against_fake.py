"""Every surface's locustfile, run for real against a fake of the platform (fake_platform.py): requests are
grouped by name, websocket steps are timed, and a misbehaving surface is caught and fails the SLO gate."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bootstrap.ports import free_port

pytestmark = pytest.mark.loadtest
FAKE = Path(__file__).with_name("fake_platform.py")
CREDENTIALS = {"LOADTEST_API_TOKEN": "test-token", "LOADTEST_STT_API_KEY": "test-stt-key"}


@pytest.fixture
def platform(request):
    """The fake on a free port; `@pytest.mark.parametrize("platform", ["fault,..."], indirect=True)` breaks it."""
    port = free_port()
    faults = getattr(request, "param", "")
    process = subprocess.Popen([sys.executable, str(FAKE), str(port), faults], stdout=subprocess.PIPE, text=True)
    banner = process.stdout.readline()  # printed once the port is bound
    assert banner.startswith("fake platform on"), f"the fake platform did not start: {banner!r}"
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def release_gate(platform, locust_env, tmp_path):
    """The preview-eu release gate (all five surfaces, the smoke shape at a fifth of its length) aimed at the fake."""

    def run(environment=CREDENTIALS, time_scale=0.2):
        env = {**{k: v for k, v in locust_env.items() if k not in CREDENTIALS}, **environment}
        command = [
            sys.executable,
            "-m",
            "loadtests.run",
            "--env",
            "preview-eu",
            "--shape",
            "smoke",
            "--time-scale",
            str(time_scale),
            "--host",
            platform,
            "--out",
            str(tmp_path),
            "--only-summary",
        ]
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180)
        summary_file = tmp_path / "summary.json"
        summary = json.loads(summary_file.read_text()) if summary_file.exists() else None
        return result.returncode, result.stdout + result.stderr, summary

    return run


def test_every_surface_runs_clean_against_a_healthy_platform(release_gate):
    # Every endpoint must be sampled: at a fifth of the smoke shape a REST user makes about eight weighted random
    # requests and skipped GET /v1/agents/[id] about one run in twenty; at half of it, about one in a thousand.
    code, output, summary = release_gate(time_scale=0.5)
    # Latency is the machine's business here (the fake shares its cores with locust and everything else):
    # the claim is that nothing failed, so no error budget is breached.
    assert code in (0, 3), output
    assert [
        b["message"] for b in summary["slo"]["breaches"] if b["figure"] != "p95_ms" and b["figure"] != "p99_ms"
    ] == []
    keys = {endpoint["key"] for endpoint in summary["endpoints"]}
    assert {
        "GET /v1/agents",
        "GET /v1/agents/[id]",
        "POST /graphql query agents",
        "POST /v1/speak",
        "POST /v1/voice/sessions",
        "WS voice connect",
        "WS voice first event",
        "WS stt connect",
        "WS stt first transcript",
    } <= keys, keys
    assert not any(key.startswith("GET /v1/agents/") and key != "GET /v1/agents/[id]" for key in keys)
    assert summary["total"]["failures"] == 0


@pytest.mark.parametrize("platform", ["agent_500,graphql_errors,tts_short"], indirect=True)
def test_failing_surfaces_are_caught_and_fail_the_gate_naming_each(release_gate, tmp_path):
    # Half the smoke shape, as the healthy run: at a fifth, GET /v1/agents/[id] went unsampled one run in twenty.
    code, output, summary = release_gate(time_scale=0.5)
    assert code == 3, output
    breached = {b["endpoint"] for b in summary["slo"]["breaches"] if b["figure"] == "error_ratio"}
    assert {"GET /v1/agents/[id]", "POST /graphql query agents", "POST /v1/speak"} <= breached, output
    failures = (tmp_path / "stats_failures.csv").read_text()
    assert "HTTP 500, expected 200" in failures and "GraphQL errors" in failures and "expected at least" in failures


@pytest.mark.parametrize("platform", ["stt_no_final,voice_silent"], indirect=True)
def test_broken_real_time_streams_are_caught_as_failed_websocket_steps(release_gate, tmp_path):
    code, output, summary = release_gate()
    assert code == 3, output
    failed = {e["key"] for e in summary["endpoints"] if e["failures"]}
    assert {"WS stt final transcript", "WS voice first event"} <= failed, output


def test_a_run_without_credentials_stops_before_sending_anything_and_names_them(release_gate):
    code, output, _ = release_gate(environment={})
    assert code != 0
    assert "LOADTEST_API_TOKEN (needed by GraphqlUser, RestApiUser, TtsUser, VoiceSessionUser)" in output
    assert "LOADTEST_STT_API_KEY (needed by StreamingSttUser)" in output
