"""The one OpenTofu runner (bootstrap/tofu.py): how OpenTofu is driven (plan's detailed exit code decides the apply)
and how its JSON messages are read (errors, the plan's adds, the creates completed)."""

import json
from pathlib import Path

import pytest

from bootstrap.tofu import Messages, Tofu, TofuFailed, diagnostic_text

LINT_ERROR = json.dumps(
    {
        "@level": "error",
        "@message": "Error: Lint Error",
        "type": "diagnostic",
        "diagnostic": {
            "severity": "error",
            "summary": "Lint Error",
            "detail": "at '/services/vad/replicas': got string, want integer",
        },
    }
)
WARNING = json.dumps(
    {
        "@level": "warn",
        "@message": "Warning: Incomplete lock file information",
        "type": "diagnostic",
        "diagnostic": {"severity": "warning", "summary": "Incomplete lock file information"},
    }
)


def test_opentofus_errors_are_read_from_its_json_messages_and_warnings_left_out():
    messages = Messages()
    for line in (WARNING, LINT_ERROR, "Initializing the backend..."):
        messages.read(line)
    assert messages.errors == ["Lint Error: at '/services/vad/replicas': got string, want integer"]
    assert messages.log[-1] == "Initializing the backend..."


def fake_tofu(tmp_path: Path, plan_exit: int, plan_output: str = "") -> tuple[str, Path]:
    """A stand-in for the tofu binary: records its arguments and ends `plan` with `plan_exit`."""
    calls, output = tmp_path / "calls", tmp_path / "plan-output"
    output.write_text(plan_output + "\n")
    script = tmp_path / "tofu"
    script.write_text(f"""#!/bin/sh
echo "$1" >> {calls}
if [ "$1" = plan ]; then cat {output}; exit {plan_exit}; fi
exit 0
""")
    script.chmod(0o755)
    return str(script), calls


def test_a_plan_without_changes_is_not_applied(tmp_path):
    binary, calls = fake_tofu(tmp_path, plan_exit=0)
    assert Tofu(binary, tmp_path, {}).converge() is False
    assert calls.read_text().split() == ["init", "plan"]


def test_a_plan_with_changes_is_applied(tmp_path):
    binary, calls = fake_tofu(tmp_path, plan_exit=2)
    assert Tofu(binary, tmp_path, {}).converge() is True
    assert calls.read_text().split() == ["init", "plan", "apply"]


def test_a_failed_plan_names_its_step_and_opentofus_error_and_applies_nothing(tmp_path):
    binary, calls = fake_tofu(tmp_path, plan_exit=1, plan_output=LINT_ERROR)
    with pytest.raises(TofuFailed) as failed:
        Tofu(binary, tmp_path, {}).converge()
    assert failed.value.step == "plan" and failed.value.errors == [
        "Lint Error: at '/services/vad/replicas': got string, want integer"
    ]
    assert calls.read_text().split() == ["init", "plan"]


def test_a_diagnostic_reads_as_summary_detail_and_place():
    text = diagnostic_text(
        {
            "severity": "error",
            "summary": "Unsupported argument",
            "detail": 'An argument named "colour" is not\n expected here.',
            "range": {"filename": "cdk.tf.json", "start": {"line": 1}},
            "snippet": {"context": "resource.helm_release.demo"},
        }
    )
    assert text == (
        'Unsupported argument: An argument named "colour" is not expected here. '
        "(cdk.tf.json:1, resource.helm_release.demo)"
    )
