"""Every `VOICEPLAT_*` variable is declared once, in contract/settings.py, and read only through it: a setting the
docs name is honoured or refused, never silently dropped; a value a setting does not know is refused naming the
variable, the value, the choices and the fix."""

import ast
import re
import subprocess
from pathlib import Path

import pytest

import bootstrap.__main__
import bootstrap.cluster
from contract import settings
from stacks.environments import Delivery

ROOT = Path(__file__).resolve().parents[2]
NAME = re.compile(r"\b" + settings.PREFIX + r"[A-Z0-9_]*[A-Z0-9]\b")
DECLARED = {*settings.SETTINGS, *settings.WORKLOAD_VARIABLES}
MODULE = ROOT / "contract" / "settings.py"
# Not the project's text: environments, caches, generated output.
SKIPPED = {".git", ".venv", ".venv-checkov", "node_modules", "cdktf.out", "artifacts", ".gen"}


def repository_files() -> list[Path]:
    tracked = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if tracked.returncode == 0:
        return [ROOT / name for name in tracked.stdout.split("\0") if name and (ROOT / name).is_file()]
    return [path for path in ROOT.rglob("*") if path.is_file() and not SKIPPED & set(path.relative_to(ROOT).parts)]


def names_in(paths) -> dict[str, set[str]]:
    """Each VOICEPLAT_* name found in the files, with the files naming it."""
    found: dict[str, set[str]] = {}
    for path in paths:
        try:
            text = path.read_text()
        except (UnicodeDecodeError, OSError):
            continue
        for name in NAME.findall(text):
            found.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_variable_the_readme_and_the_docs_name_is_a_declared_setting():
    docs = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    named = names_in(docs)
    assert named, "the docs name no VOICEPLAT_* variable: the search is broken"
    assert {name: files for name, files in named.items() if name not in settings.SETTINGS} == {}


def test_every_variable_the_repository_names_is_declared():
    named = names_in(repository_files())
    assert {name: files for name, files in named.items() if name not in DECLARED} == {}


def test_no_python_code_names_a_setting_except_the_settings_module():
    """Readers use the declarations (`settings.CLUSTER.read()`, `settings.STACKS.name`), never the bare name: an
    `os.environ.get("VOICEPLAT_...")` or `dict(VOICEPLAT_...=...)` elsewhere would be a second, unchecked reader.
    (The workload variables are keys of rendered ConfigMaps to the chart tests, not settings.)"""
    found = []
    for path in repository_files():
        if path.suffix != ".py" or path == MODULE:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            text = (
                node.value
                if isinstance(node, ast.Constant) and isinstance(node.value, str)
                else node.arg
                if isinstance(node, ast.keyword)
                else None
            )
            if text in settings.SETTINGS:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno if hasattr(node, 'lineno') else '?'} {text}")
    assert found == []


def test_every_setting_is_read_by_the_code_it_is_for():
    sources = "\n".join(
        path.read_text()
        for path in repository_files()
        if path.suffix == ".py" and path != MODULE and "tests" not in path.relative_to(ROOT).parts
    )
    attributes = {
        setting.name: attribute
        for attribute, setting in vars(settings).items()
        if isinstance(setting, settings.Setting)
    }
    local_target_parts = {setting.name for setting in (*settings.TARGET_PARTS.values(), settings.LOCAL_TARGET)}
    unread = [
        name
        for name, attribute in attributes.items()
        if f"settings.{attribute}" not in sources
        and not (name in local_target_parts and "settings.local_target(" in sources)
    ]
    assert set(attributes.values()) and unread == []


def test_each_workload_variable_is_set_where_its_declaration_says():
    for variable in settings.WORKLOAD_VARIABLES.values():
        assert variable.name in (ROOT / variable.set_by).read_text(), variable


def test_the_delivery_choices_are_the_environment_models_delivery_modes():
    assert set(settings.DELIVERY_CHOICES) == {mode.value for mode in Delivery}


BAD_VALUES = {
    settings.CACHE: ("relative/cache", "not an absolute path"),
    settings.OFFLINE: ("maybe", "'1', 'true', 'yes' turn it on"),
    settings.CLUSTER: ("Voiceplat_Local", "not a kind cluster name"),
    settings.DELIVERY: ("gitop", "not one of 'helm', 'gitops'"),
    settings.LOCAL_VALUES: ("/nowhere/values.yaml", "is not a file"),
    settings.STACKS: ("prod-eu,prod eu", "'prod eu' is not a stack name"),
    settings.LOCAL_TARGET: ('{"cluster": "x"}', "not a JSON object with exactly the keys"),
}


@pytest.mark.parametrize("setting", list(BAD_VALUES), ids=lambda s: s.name)
def test_a_value_the_setting_does_not_know_is_refused_naming_variable_value_and_fix(setting):
    value, problem = BAD_VALUES[setting]
    with pytest.raises(settings.SettingError) as error:
        setting.read({setting.name: value})
    assert str(error.value).startswith(f"{setting.name}={value!r}: ")
    assert problem in str(error.value) and "Fix: " in str(error.value)


@pytest.mark.parametrize("setting", list(settings.SETTINGS.values()), ids=lambda s: s.name)
def test_an_unset_or_empty_setting_is_its_default(setting):
    assert setting.read({}) == setting.read({setting.name: "  "}) == setting.default


def test_the_settings_parse_what_the_docs_show():
    assert settings.OFFLINE.read({settings.OFFLINE.name: "1"}) is True
    assert settings.OFFLINE.read({settings.OFFLINE.name: "0"}) is False
    assert settings.DELIVERY.read({settings.DELIVERY.name: "GitOps "}) == "gitops"
    assert settings.STACKS.read({settings.STACKS.name: "prod-eu, state-aws"}) == ("prod-eu", "state-aws")
    assert settings.CLUSTER.read({settings.CLUSTER.name: "voiceplat-e2e-1a2b3c"}) == "voiceplat-e2e-1a2b3c"


def test_the_local_target_round_trips_through_its_one_variable(tmp_path):
    values = tmp_path / "values.yaml"
    values.write_text("platform: {}\n")
    target = settings.LocalTarget(
        cluster="voiceplat-e2e-1", kubeconfig=str(tmp_path / "kubeconfig"), delivery="gitops", values=values
    )
    assert settings.local_target(settings.local_target_env(target)) == target
    assert settings.local_target({}) == settings.LocalTarget()


def test_a_bad_part_of_the_local_target_is_refused_naming_the_part():
    serialized = settings.LocalTarget().to_json().replace('"delivery": null', '"delivery": "argo"')
    with pytest.raises(settings.SettingError, match=r"VOICEPLAT_LOCAL_TARGET=.*VOICEPLAT_DELIVERY part: 'argo'"):
        settings.local_target({settings.LOCAL_TARGET.name: serialized})


def test_the_local_target_and_a_plain_variable_at_once_are_refused():
    environ = {**settings.local_target_env(settings.LocalTarget()), settings.CLUSTER.name: "voiceplat-e2e-1"}
    with pytest.raises(settings.SettingError, match=r"set together with VOICEPLAT_CLUSTER"):
        settings.local_target(environ)


def test_a_misspelt_setting_is_refused_naming_the_one_meant():
    misspelt = settings.DELIVERY.name + "Y"
    with pytest.raises(
        settings.SettingError,
        match=rf"{misspelt}='gitops': no setting has this name.*"
        rf"rename it to {settings.DELIVERY.name}",
    ):
        settings.check_environment({misspelt: "gitops"})
    settings.check_environment({settings.DELIVERY.name: "gitops", "PATH": "/bin"})


def test_a_delivery_typo_stops_make_cluster_before_it_creates_anything(monkeypatch, capsys):
    """`VOICEPLAT_DELIVERY=gitop make cluster` once made a cluster without ArgoCD, then failed at synth."""
    created = []
    monkeypatch.setattr(bootstrap.cluster, "cluster_up", lambda *args, **kwargs: created.append(args))
    monkeypatch.setenv(settings.DELIVERY.name, "gitop")
    assert bootstrap.__main__.main(["cluster-up"]) == 1
    assert created == []
    assert "VOICEPLAT_DELIVERY='gitop': not one of 'helm', 'gitops'" in capsys.readouterr().err
