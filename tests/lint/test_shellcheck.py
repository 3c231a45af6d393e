"""`make lint` runs the pinned shellcheck: installed with apt when missing, refused at another version."""

import subprocess

import pytest

from bootstrap import shellcheck
from bootstrap.errors import BootstrapError
from contract import pins

VERSION_OUTPUT = """ShellCheck - shell script analysis tool
version: 0.9.0
license: GNU General Public License, version 3
website: https://www.shellcheck.net
"""


@pytest.fixture
def installs(monkeypatch):
    asked = []
    monkeypatch.setattr(shellcheck, "ensure_command", lambda *args: asked.append(args))
    return asked


def test_the_version_is_read_from_shellchecks_own_report(monkeypatch):
    monkeypatch.setattr(
        subprocess,
        "run",
        lambda *args, **kwargs: subprocess.CompletedProcess(args, 0, stdout=VERSION_OUTPUT, stderr=""),
    )
    assert shellcheck.installed_version() == "0.9.0"


def test_a_missing_shellcheck_is_installed_from_debian_at_the_pinned_version(monkeypatch, installs):
    monkeypatch.setattr(shellcheck, "installed_version", lambda: "0.9.0")
    shellcheck.ensure_shellcheck()
    assert installs == [("shellcheck", f"shellcheck={pins.SHELLCHECK_DEB}", "shellcheck")]


def test_another_version_on_path_is_refused_naming_both_and_the_package(monkeypatch, installs):
    monkeypatch.setattr(shellcheck, "installed_version", lambda: "0.10.0")
    with pytest.raises(BootstrapError, match=r"shellcheck 0\.10\.0 is installed.*pinned 0\.9\.0") as error:
        shellcheck.ensure_shellcheck()
    assert f"apt-get install shellcheck={pins.SHELLCHECK_DEB}" in error.value.fix
