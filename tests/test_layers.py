"""Dependencies point one way (tests/layers.py): contract at the bottom, stacks and bootstrap beside each other,
the runner, load tests and e2e above; and no module imports itself through a cycle."""

import textwrap
from pathlib import Path

import layers

ROOT = Path(__file__).resolve().parents[1]


def test_each_package_imports_only_the_layers_below_it():
    assert layers.layer_violations(layers.imports(ROOT)) == []


def test_no_module_of_the_project_is_part_of_an_import_cycle():
    assert layers.cycles(layers.imports(ROOT)) == []


def test_the_runner_of_the_local_environment_lives_outside_the_synthesis_package():
    assert not (ROOT / "stacks" / "delivery" / "__main__.py").exists()
    assert (ROOT / "localenv" / "__main__.py").is_file()


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def test_the_check_names_a_synthesis_module_that_imports_the_bootstrap(tmp_path):
    root = write(
        tmp_path,
        {
            "contract/__init__.py": "X = 1\n",
            "bootstrap/__init__.py": "",
            "bootstrap/pins.py": "import contract\n",
            "stacks/__init__.py": "",
            "stacks/providers.py": "def helm():\n    from bootstrap import pins  # lazy, still a dependency\n",
        },
    )
    assert layers.layer_violations(layers.imports(root)) == [
        "stacks/providers.py:2 imports bootstrap.pins: stacks may import only contract"
    ]


def test_the_check_names_the_contract_importing_anything_of_the_project(tmp_path):
    root = write(
        tmp_path, {"contract/__init__.py": "from stacks import app\n", "stacks/__init__.py": "", "stacks/app.py": ""}
    )
    assert layers.layer_violations(layers.imports(root)) == [
        "contract/__init__.py:1 imports stacks.app: contract may import only nothing of the project"
    ]


def test_the_check_finds_a_cycle_through_relative_imports(tmp_path):
    root = write(
        tmp_path,
        {
            "stacks/__init__.py": "",
            "stacks/environments/__init__.py": "",
            "stacks/environments/model.py": "def build():\n    from .validation import validate\n",
            "stacks/environments/validation.py": "from .model import build\n",
        },
    )
    assert layers.cycles(layers.imports(root)) == [
        ["stacks.environments.model", "stacks.environments.validation", "stacks.environments.model"]
    ]
