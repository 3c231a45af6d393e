"""deploy_local's bookkeeping: where each cluster's state lives; how OpenTofu is driven and read (localenv/tofu.py)."""
import json
from pathlib import Path

import pytest

from contract import settings
from localenv.deploy import ROOT, Target
from localenv.tofu import Messages, TofuFailed, converge


def test_the_make_up_cluster_keeps_its_state_in_the_project_like_a_plain_cdktf_deploy():
    target = Target.default()
    assert target.is_default and target.work_dir == ROOT and target.outdir == ROOT / "cdktf.out"


def test_any_other_cluster_gets_a_folder_of_its_own(tmp_path, monkeypatch):
    monkeypatch.setenv(settings.CACHE.name, str(tmp_path))
    one = Target(str(tmp_path / "a" / "kubeconfig"), "kind-voiceplat-e2e-1a2b3c")
    other = Target(str(tmp_path / "b" / "kubeconfig"), "kind-voiceplat-e2e-4d5e6f")
    assert not one.is_default
    assert one.work_dir == tmp_path / "deploy" / "kind-voiceplat-e2e-1a2b3c" != other.work_dir
    assert one.log.parent == one.work_dir


def test_the_default_context_in_another_kubeconfig_is_another_cluster(tmp_path):
    assert not Target(str(tmp_path / "kubeconfig"), Target.default().context).is_default


LINT_ERROR = json.dumps({"@level": "error", "@message": "Error: Lint Error", "type": "diagnostic", "diagnostic": {
    "severity": "error", "summary": "Lint Error", "detail": "at '/services/vad/replicas': got string, want integer"}})
WARNING = json.dumps({"@level": "warn", "@message": "Warning: Incomplete lock file information", "type": "diagnostic",
                      "diagnostic": {"severity": "warning", "summary": "Incomplete lock file information"}})


def test_opentofus_errors_are_read_from_its_json_messages_and_warnings_left_out():
    messages = Messages()
    for line in (WARNING, LINT_ERROR, "Initializing the backend..."):
        messages.read(line, echo=False)
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
    assert converge(binary, tmp_path, {}, Messages()) is False
    assert calls.read_text().split() == ["init", "plan"]


def test_a_plan_with_changes_is_applied(tmp_path):
    binary, calls = fake_tofu(tmp_path, plan_exit=2)
    assert converge(binary, tmp_path, {}, Messages()) is True
    assert calls.read_text().split() == ["init", "plan", "apply"]


def test_a_failed_plan_names_its_step_and_opentofus_error_and_applies_nothing(tmp_path):
    binary, calls = fake_tofu(tmp_path, plan_exit=1, plan_output=LINT_ERROR)
    with pytest.raises(TofuFailed) as failed:
        converge(binary, tmp_path, {}, Messages())
    assert failed.value.step == "plan" and failed.value.errors == [
        "Lint Error: at '/services/vad/replicas': got string, want integer"]
    assert calls.read_text().split() == ["init", "plan"]
