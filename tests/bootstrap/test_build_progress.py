"""Long build steps say how far along they are (bootstrap/progress.py), and a module's binaries build in one go."""

import pytest

from bootstrap import gotools, progress
from bootstrap.errors import BootstrapError
from fakego import fake_go


@pytest.fixture
def fast_heartbeat(monkeypatch):
    monkeypatch.setattr(progress, "HEARTBEAT_SECONDS", 0.05)


def test_a_running_step_reports_units_done_of_the_total_and_what_it_does_now(fast_heartbeat, capsys):
    progress.run(
        ["sh", "-c", "echo pkg/a >&2; echo pkg/b >&2; sleep 0.5"],
        step_name="build demo",
        capture=True,
        unit="packages compiled",
        total=5,
    )
    assert "build demo: 0s, 2/5 packages compiled; now: pkg/b" in capsys.readouterr().err


def test_a_background_step_stays_quiet(fast_heartbeat, capsys):
    progress.run(["sh", "-c", "echo x >&2; sleep 0.3"], step_name="download", capture=True, quiet=True)
    assert "download:" not in capsys.readouterr().err


def test_a_failed_step_names_the_command_and_its_last_output_and_the_fix():
    with pytest.raises(BootstrapError) as error:
        progress.run(["sh", "-c", "echo the reason >&2; exit 3"], step_name="build demo", capture=True, fix="retry")
    assert "`sh -c echo the reason >&2; exit 3` exited 3" in str(error.value) and "the reason" in str(error.value)


def test_stdout_is_returned_apart_from_the_progress_on_stderr():
    assert (
        progress.run(["sh", "-c", "echo progress >&2; echo '{\"a\": 1}'"], step_name="json", capture=True)
        == '{"a": 1}\n'
    )


def test_the_binaries_of_one_module_are_compiled_by_one_go_build(tmp_path, monkeypatch):
    calls = fake_go(tmp_path, monkeypatch)
    build = gotools.GoBuild(
        "kubernetes",
        "v0.0.0-test",
        source="bootstrap/gomod/kubernetes",
        binaries={name: f"k8s.io/kubernetes/cmd/{name}" for name in ("kubeadm", "kubelet", "kubectl")},
    )
    folder = build.build()
    builds = [line for line in calls.read_text().splitlines() if line.startswith("build")]
    assert len(builds) == 1 and builds[0].endswith(
        "k8s.io/kubernetes/cmd/kubeadm k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kubectl"
    )
    assert sorted(p.name for p in folder.iterdir()) == [".done", "kubeadm", "kubectl", "kubelet"]


def test_execute_returns_how_a_command_ended_instead_of_raising():
    done = progress.execute(["sh", "-c", "echo out; echo err >&2; exit 2"], step_name="query")
    assert (done.code, done.stdout, done.stderr, done.timed_out) == (2, "out\n", "err\n", False)
    assert done.failure() == "`sh -c echo out; echo err >&2; exit 2` exited 2:\nerr\nout"


def test_execute_hands_each_line_to_a_reader_as_it_comes_and_shows_its_text(fast_heartbeat, capsys):
    lines = []
    progress.execute(
        ["sh", "-c", "echo '{\"m\": 1}' >&2; echo second; sleep 0.3"],
        step_name="stream",
        merge=True,
        on_line=lambda line: lines.append(line) or "said: " + line.strip(),
    )
    assert lines == ['{"m": 1}\n', "second\n"]
    assert "stream: 0s, 2 lines of output; now: said: second" in capsys.readouterr().err


def test_execute_stops_a_command_at_its_timeout():
    done = progress.execute(["sh", "-c", "echo started; sleep 30"], step_name="slow", timeout=0.5, quiet=True)
    assert done.timed_out and done.stdout == "started\n" and done.seconds < 10
    assert "was stopped at its timeout" in done.failure()
