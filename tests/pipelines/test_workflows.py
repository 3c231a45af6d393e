"""The GitHub Actions workflows call only make targets that exist, and reach clouds only through OIDC."""

import re
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW_FILES = sorted((ROOT / ".github").glob("**/*.yml"))
SHELL_OPERATOR = re.compile(r"[();<>|&]+")


def run_scripts(document) -> list[str]:
    """Every `run:` script of a workflow or composite action, however deeply nested."""
    if isinstance(document, dict):
        return [
            script
            for key, value in document.items()
            for script in ([value] if key == "run" and isinstance(value, str) else run_scripts(value))
        ]
    if isinstance(document, list):
        return [script for item in document for script in run_scripts(item)]
    return []


def make_targets(script: str) -> set[str]:
    """Targets of every `make` command in a shell script (variables like STACKS=... and options left out)."""
    targets = set()
    for line in script.replace("\\\n", " ").splitlines():
        if "make" not in line:
            continue
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        command: list[str] = []
        for word in [*lexer, ";"]:
            if SHELL_OPERATOR.fullmatch(word):  # a pipe, && or ; ends a command
                if command[:1] == ["make"]:
                    targets |= {w for w in command[1:] if not w.startswith("-") and "=" not in w and w[0].isalpha()}
                command = []
            else:
                command.append(word)
    return targets


def workflow_targets() -> dict[str, set[str]]:
    return {
        str(path.relative_to(ROOT)): set().union(*map(make_targets, run_scripts(yaml.safe_load(path.read_text()))))
        for path in WORKFLOW_FILES
    }


def listed_targets(help_target: str = "help") -> set[str]:
    out = subprocess.run(
        ["make", "--no-print-directory", help_target], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return {line.split()[1] for line in out.stdout.splitlines() if line.startswith("  make ")}


# Set-up steps a job runs before its checks (`make -j4 venv checkov node tools`): `make help` leaves them to
# `make help-all`, since every target that needs one runs it itself.
SET_UP = {"venv", "checkov", "node", "tools"}


def test_the_workflows_call_make():
    assert {"checks", "synth", "e2e", "loadtest", "stack-diff", "stack-deploy"} <= set().union(
        *workflow_targets().values()
    )


@pytest.mark.parametrize("workflow", list(workflow_targets()))
def test_every_make_target_a_workflow_calls_is_listed_by_make_help(workflow):
    missing = workflow_targets()[workflow] - SET_UP - listed_targets()
    assert not missing, f"{workflow} calls make {', '.join(sorted(missing))}, which `make help` does not list"


def test_the_set_up_steps_the_workflows_call_are_listed_by_make_help_all():
    assert set().union(*workflow_targets().values()) >= SET_UP
    assert listed_targets("help-all") - listed_targets("help") >= SET_UP


def test_make_help_starts_with_up_test_and_down():
    assert [
        line.split()[1]
        for line in subprocess.run(
            ["make", "--no-print-directory", "help"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.splitlines()[1:4]
    ] == ["up", "test", "down"]


def test_the_target_scan_reads_pipes_options_and_variables():
    assert make_targets('make -j4 venv node tools\nmake stack-diff STACKS="$S" 2>&1 | tee x  # make nothing') == {
        "venv",
        "node",
        "tools",
        "stack-diff",
    }


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda path: path.name)
def test_clouds_are_reached_through_oidc_never_a_stored_key(path):
    text = path.read_text()
    for long_lived in ("aws-access-key-id", "aws-secret-access-key", "client-secret", "creds:", "ARM_CLIENT_SECRET"):
        assert long_lived not in text, f"{path.name} passes {long_lived}: use the OIDC role/identity (stacks/ci_access)"


@pytest.mark.parametrize(
    "path, job, entry",
    [
        (".github/workflows/deliver.yml", "deliver", "fromJSON(inputs.environment)"),
        (".github/workflows/pull-request.yml", "diff", "matrix.environment"),
    ],
)
def test_the_jobs_that_reach_a_cluster_run_on_the_runner_its_matrix_entry_names(path, job, entry):
    runs_on = yaml.safe_load((ROOT / path).read_text())["jobs"][job]["runs-on"]
    assert runs_on.startswith(f"${{{{ {entry}.runs_on || vars.DEPLOY_RUNNER"), runs_on
