"""Every `VOICEPLAT_*` environment variable of the project, declared once: its name, its default, a strict parser
and what it does. Nothing else in the project reads these variables from `os.environ`.

Two kinds of names live here:
- `SETTINGS`: what a person, the Makefile or the local runner sets for the project's tools. `Setting.read` returns
  the parsed value (the default when the variable is unset or empty) and refuses a value it does not know with a
  `SettingError` naming the variable, the value, the choices and the fix: a typo fails where it is read, never
  later as a different behaviour;
- `WORKLOAD_VARIABLES`: names the charts and the fake GPU plugin give the platform's pods, for the services to read.
  The tools never read them; they are declared so each name has one home (tests/contract/test_settings.py finds every
  `VOICEPLAT_*` of the repository and of the docs here).

The local environment's target (which kind cluster, which kubeconfig, how delivered, which extra chart values)
travels from the runner to synthesis as one value, `LocalTarget`, serialized into one variable and parsed back by
the same parsers; run by hand, `cdktf deploy local` reads the four plain variables instead.

Bottom layer, like the rest of `contract`: plain data and the standard library only.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from contract import DEFAULT_KUBECONFIG, cluster_name, kind_context

T = TypeVar("T")
PREFIX = "VOICEPLAT_"


class SettingError(ValueError):
    """A `VOICEPLAT_*` variable holds a value its parser refuses: the message names the variable, the value, what is
    wrong (with the choices, when there are some) and the fix."""

    def __init__(self, name: str, value: str, problem: str, fix: str):
        self.name, self.value, self.problem, self.fix = name, value, problem, fix
        super().__init__(f"{name}={value!r}: {problem}. Fix: {fix}")


class Invalid(ValueError):
    """What a parser raises: the problem and the fix; `Setting.read` adds the variable and the value."""

    def __init__(self, problem: str, fix: str):
        self.problem, self.fix = problem, fix
        super().__init__(f"{problem}. Fix: {fix}")


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One variable: `parse` turns a non-empty value into what the code uses, or raises Invalid."""

    name: str
    default: T
    parse: Callable[[str], T] = field(repr=False)
    doc: str

    def read(self, environ: Mapping[str, str] | None = None) -> T:
        """The variable's value in `environ` (default: this process's environment), parsed; unset or empty: the
        default."""
        raw = self.raw(environ)
        if raw is None:
            return self.default
        try:
            return self.parse(raw)
        except Invalid as invalid:
            raise SettingError(self.name, raw, invalid.problem, invalid.fix) from None

    def raw(self, environ: Mapping[str, str] | None = None) -> str | None:
        """The variable's text when it is set and not blank, else None."""
        raw = (os.environ if environ is None else environ).get(self.name)
        return raw if raw is not None and raw.strip() else None


# --- parsers -------------------------------------------------------------------------------------------------------


def choice(*options: str) -> Callable[[str], str]:
    """One of `options`, compared without surrounding space or case."""

    def parse(raw: str) -> str:
        value = raw.strip().lower()
        if value not in options:
            raise Invalid(
                f"not one of {', '.join(repr(o) for o in options)}",
                "set it to one of them, or unset it for the default",
            )
        return value

    return parse


def switch(raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("1", "true", "yes"):
        return True
    if value in ("0", "false", "no"):
        return False
    raise Invalid(
        "not a switch: '1', 'true', 'yes' turn it on, '0', 'false', 'no' off",
        "set it to 1 or 0, or unset it for the default",
    )


def absolute_folder(raw: str) -> Path:
    path = Path(raw.strip()).expanduser()
    if not path.is_absolute():
        raise Invalid(
            "not an absolute path (the Makefile puts its bin/ on PATH, from any folder)",
            f"name the folder absolutely, e.g. {Path.home() / '.cache' / 'voiceplat'}",
        )
    return path


# kind's own rule for a cluster's name (kind refuses any other); the context is kind-<name>.
KIND_NAME = re.compile(r"^[a-z0-9.-]+$")


def kind_cluster(raw: str) -> str:
    value = raw.strip()
    if not KIND_NAME.match(value):
        raise Invalid(
            f"not a kind cluster name (kind allows {KIND_NAME.pattern})",
            f"name the cluster as `kind get clusters` lists it, e.g. {cluster_name('local')}",
        )
    return value


def kubeconfig_path(raw: str) -> str:
    """Kept as written (`~` included): the stack names it in the synthesized providers, which stay portable."""
    return raw.strip()


def existing_file(raw: str) -> Path:
    path = Path(raw.strip()).expanduser().resolve()
    if not path.is_file():
        raise Invalid(f"{path} is not a file", "write the chart values there, or unset the variable")
    return path


STACK_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def stack_names(raw: str) -> tuple[str, ...]:
    """Comma-separated stack names; which names exist is the environment catalog's to say (stacks/app.py)."""
    names = tuple(name.strip() for name in raw.split(",") if name.strip())
    bad = [name for name in names if not STACK_NAME.match(name)]
    if bad or not names:
        raise Invalid(
            f"{', '.join(map(repr, bad)) or 'no name'} is not a stack name",
            "list stack names separated by commas, e.g. prod-eu,state-aws-eu-west-1 (`cdktf list` shows them)",
        )
    return names


# --- the settings --------------------------------------------------------------------------------------------------

CACHE: Setting[Path] = Setting(
    "VOICEPLAT_CACHE",
    Path.home() / ".cache" / "voiceplat",
    absolute_folder,
    "Where `make tools` caches every tool and image it builds; `bin/` of it holds the pinned tools by name "
    "(contract/tools.py). The Makefile exports it (same default) and puts its bin/ on PATH.",
)
OFFLINE: Setting[bool | None] = Setting(
    "VOICEPLAT_OFFLINE",
    None,
    switch,
    "1: build every artifact locally; 0: use the pinned upstream artifacts; unset: probe the upstream registries "
    "once per run (bootstrap/source.py).",
)
CLUSTER: Setting[str] = Setting(
    "VOICEPLAT_CLUSTER",
    cluster_name("local"),
    kind_cluster,
    "The kind cluster `make cluster`, `make deploy`, `make up`, `make down` and `cdktf deploy local` work on.",
)
KUBECONFIG: Setting[str] = Setting(
    "VOICEPLAT_KUBECONFIG",
    DEFAULT_KUBECONFIG,
    kubeconfig_path,
    "The kubeconfig holding that cluster's context (kind-<cluster>).",
)
DELIVERY_CHOICES = ("helm", "gitops")  # the values of stacks.environments.Delivery
DELIVERY: Setting[str | None] = Setting(
    "VOICEPLAT_DELIVERY",
    None,
    choice(*DELIVERY_CHOICES),
    "How the local environment's charts are delivered: helm (Helm releases) or gitops (ArgoCD syncing the "
    "in-cluster Git server, which `make cluster` then installs); unset: the local environment's own (Helm).",
)
LOCAL_VALUES: Setting[Path | None] = Setting(
    "VOICEPLAT_LOCAL_VALUES",
    None,
    existing_file,
    "A YAML file of chart values per project chart ({platform: {...}}) the local stack gives each chart last, "
    "checked against the chart's values.schema.json at synth (`make deploy`, `make up`, `cdktf deploy local`).",
)
STACKS: Setting[tuple[str, ...] | None] = Setting(
    "VOICEPLAT_STACKS",
    None,
    stack_names,
    "Which stacks `cdktf synth` builds (comma-separated); unset: the cdktf context key `stacks`, else all.",
)


@dataclass(frozen=True, kw_only=True)
class LocalTarget:
    """Where and how the local environment is deployed: the one value the runner hands synthesis. Each field is
    parsed by its plain variable's parser when the target is made, so a bad field is refused naming that variable."""

    cluster: str = CLUSTER.default
    kubeconfig: str = KUBECONFIG.default
    delivery: str | None = DELIVERY.default  # None: the local environment's own
    values: Path | None = LOCAL_VALUES.default  # extra chart values, given last

    def __post_init__(self) -> None:
        for key, setting in TARGET_PARTS.items():
            value = getattr(self, key)
            if value is not None:
                try:
                    object.__setattr__(self, key, setting.parse(str(value)))
                except Invalid as invalid:
                    raise SettingError(setting.name, str(value), invalid.problem, invalid.fix) from None

    @property
    def context(self) -> str:
        """The cluster's kubeconfig context."""
        return kind_context(self.cluster)

    def to_json(self) -> str:
        return json.dumps(
            {key: None if value is None else str(value) for key, value in asdict(self).items()}, sort_keys=True
        )


TARGET_PARTS: dict[str, Setting[Any]] = {
    "cluster": CLUSTER,
    "kubeconfig": KUBECONFIG,
    "delivery": DELIVERY,
    "values": LOCAL_VALUES,
}


def parse_local_target(raw: str) -> LocalTarget:
    """The runner's serialized LocalTarget, each field parsed by the same parser as its plain variable."""
    try:
        document = json.loads(raw)
    except json.JSONDecodeError as error:
        document, problem = None, f"not JSON ({error})"
    else:
        problem = (
            ""
            if isinstance(document, dict) and set(document) == set(TARGET_PARTS)
            else f"not a JSON object with exactly the keys {', '.join(TARGET_PARTS)}"
        )
    if not problem:
        problem = next(
            (
                f"{key} is {value!r}, not a string or null"
                for key, value in document.items()
                if value is not None and not isinstance(value, str)
            ),
            "",
        )
    if problem:
        raise Invalid(
            problem,
            "leave this variable to the runner (localenv); by hand, set "
            + ", ".join(s.name for s in TARGET_PARTS.values()),
        )
    try:
        return LocalTarget(**{key: value for key, value in document.items() if value})
    except SettingError as error:
        raise Invalid(f"{error.name} part: {error.value!r}: {error.problem}", error.fix) from None


LOCAL_TARGET: Setting[LocalTarget | None] = Setting(
    "VOICEPLAT_LOCAL_TARGET",
    None,
    parse_local_target,
    "Set by the local runner (localenv) for the synth it runs: the LocalTarget as JSON, in place of "
    + ", ".join(s.name for s in TARGET_PARTS.values())
    + ". Not for hand use.",
)

SETTINGS: dict[str, Setting[Any]] = {
    s.name: s for s in (CACHE, OFFLINE, CLUSTER, KUBECONFIG, DELIVERY, LOCAL_VALUES, STACKS, LOCAL_TARGET)
}


def local_target(environ: Mapping[str, str] | None = None) -> LocalTarget:
    """The local target: the runner's one variable when set, else the plain variables (`cdktf deploy local` by
    hand). Both at once is refused: one of them would be dropped."""
    serialized = LOCAL_TARGET.read(environ)
    if serialized is None:
        return LocalTarget(**{key: setting.read(environ) for key, setting in TARGET_PARTS.items()})
    plain = [setting.name for setting in TARGET_PARTS.values() if setting.raw(environ) is not None]
    if plain:
        raise SettingError(
            LOCAL_TARGET.name,
            LOCAL_TARGET.raw(environ) or "",
            f"set together with {', '.join(plain)}",
            f"unset {LOCAL_TARGET.name} (the runner sets it for its own synth)",
        )
    return serialized


def local_target_env(target: LocalTarget) -> dict[str, str]:
    """What the runner puts in the environment of its synth: the one variable (the plain ones are left out)."""
    return {LOCAL_TARGET.name: target.to_json()}


def gitops_delivery(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the local environment is delivered through ArgoCD."""
    return DELIVERY.read(environ) == "gitops"


# --- names the platform's pods see -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkloadVariable:
    name: str
    set_by: str  # the file that sets it in the pods
    doc: str


_WORKLOAD_TEMPLATE = "charts/voiceplat-lib/templates/_workload.tpl"
_FAKE_GPU_PLUGIN = "images/fake-gpu-plugin/plugin.go"
WORKLOAD_VARIABLES: dict[str, WorkloadVariable] = {
    w.name: w
    for w in (
        WorkloadVariable("VOICEPLAT_ENVIRONMENT", _WORKLOAD_TEMPLATE, "the environment's name (global.environment)"),
        WorkloadVariable("VOICEPLAT_CLOUD", _WORKLOAD_TEMPLATE, "aws, azure or local (global.cloud)"),
        WorkloadVariable("VOICEPLAT_REGION", _WORKLOAD_TEMPLATE, "the cloud region (global.region)"),
        WorkloadVariable("VOICEPLAT_DEPENDENCIES", _WORKLOAD_TEMPLATE, "the services it calls, comma-separated"),
        WorkloadVariable("VOICEPLAT_FAKE_GPU", _FAKE_GPU_PLUGIN, "1 in a container given a fake GPU on kind"),
        WorkloadVariable("VOICEPLAT_FAKE_GPU_PRODUCT", _FAKE_GPU_PLUGIN, "the fake GPU's product name"),
    )
}


def unknown_settings(environ: Mapping[str, str] | None = None) -> list[str]:
    """`VOICEPLAT_*` variables of the environment that no setting declares (a misspelt name would be dropped)."""
    environ = os.environ if environ is None else environ
    return sorted(name for name in environ if name.startswith(PREFIX) and name not in SETTINGS)


def check_environment(environ: Mapping[str, str] | None = None) -> None:
    """Refuses a `VOICEPLAT_*` variable that is no setting, naming the setting it was probably meant to be."""
    for name in unknown_settings(environ):
        close = difflib.get_close_matches(name, SETTINGS, n=1)
        what = (
            f"the platform's pods see this name (set by {WORKLOAD_VARIABLES[name].set_by}); no tool reads it"
            if name in WORKLOAD_VARIABLES
            else "no setting has this name, so it would be ignored"
        )
        raise SettingError(
            name,
            (os.environ if environ is None else environ)[name],
            what,
            (f"rename it to {close[0]}, or unset it" if close else "unset it")
            + f"; the settings are {', '.join(SETTINGS)} (contract/settings.py)",
        )
