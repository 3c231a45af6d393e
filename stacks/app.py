"""Builds the app's stacks: one per environment, named after it, importing only the clouds in use.

Which environments: `VOICEPLAT_STACKS` (comma-separated, contract/settings.py), else the cdktf context key `stacks`
(`cdktf.json` "context", or CDKTF_CONTEXT_JSON), else all of them. `cdktf deploy prod-eu` works with
the default (all stacks are synthesized, prod-eu is deployed); restricting synthesis to the stacks you
deploy only saves time, e.g. `VOICEPLAT_STACKS=prod-eu cdktf deploy prod-eu`. The local stack is aimed at the
local target (settings.local_target: the runner's one variable, else the plain ones).
"""

import importlib

from constructs import Construct

from contract import settings

from .environments import ENVIRONMENTS, Cloud, ConfigError, Environment, UnknownEnvironment, aimed, get
from .environments.catalog import AWS_RUNNER, AWS_STATE, AZURE_RUNNER, AZURE_STATE

SELECTION_CONTEXT = "stacks"
# Module and class of each cloud's stack. Provider bindings take seconds to load, so a cloud's module
# is imported the first time an environment on that cloud is synthesized, never before.
STACK_CLASSES = {
    Cloud.LOCAL: ("stacks.stack.local", "LocalEnvironmentStack"),
    Cloud.AWS: ("stacks.stack.aws", "AwsEnvironmentStack"),
    Cloud.AZURE: ("stacks.stack.azure", "AzureEnvironmentStack"),
}

# The state stores' bootstrap stacks (stacks/state/), deployed once per cloud before its environments.
STATE_STACKS = {
    "state-aws": ("stacks.state.aws", "AwsStateStack", AWS_STATE),
    "state-azure": ("stacks.state.azure", "AzureStateStack", AZURE_STATE),
}

# The deploy runners' bootstrap stacks (stacks/runner/), deployed once per cloud after its state store and before
# its environments; their state is kept in that store.
RUNNER_STACKS = {
    AWS_RUNNER.name: ("stacks.runner.aws", "AwsRunnerStack", AWS_RUNNER, AWS_STATE),
    AZURE_RUNNER.name: ("stacks.runner.azure", "AzureRunnerStack", AZURE_RUNNER, AZURE_STATE),
}
BOOTSTRAP_STACKS = (*STATE_STACKS, *RUNNER_STACKS)


def selected_names(variable: tuple[str, ...] | None, context) -> list[str]:
    """The stacks to synthesize, from the variable (parsed), else the context value, else all (environments first)."""
    chosen = variable if variable is not None else context
    names = [] if chosen is None else chosen if isinstance(chosen, (list, tuple)) else str(chosen).split(",")
    names = [name.strip() for name in names if name.strip()]
    if not names:
        return [*ENVIRONMENTS, *BOOTSTRAP_STACKS]
    for name in names:
        if name not in ENVIRONMENTS and name not in BOOTSTRAP_STACKS:
            raise UnknownEnvironment(name, (*ENVIRONMENTS, *BOOTSTRAP_STACKS))
    return names


def selected_environments(variable: str | None, context) -> list[Environment]:
    """The environments to synthesize, from the variable, else the context value, else all."""
    chosen = variable if variable is not None else context
    if chosen is None:
        return list(ENVIRONMENTS.values())
    names = chosen if isinstance(chosen, (list, tuple)) else str(chosen).split(",")
    names = [name.strip() for name in names if name.strip()]
    if not names:
        return list(ENVIRONMENTS.values())
    return [get(name) for name in names]


def add_stack(app: Construct, environment: Environment):
    module_name, class_name = STACK_CLASSES[environment.cloud]
    stack_class = getattr(importlib.import_module(module_name), class_name)
    return stack_class(app, environment=environment)


def add_state_stack(app: Construct, name: str):
    """A store's bootstrap, given the environments that keep their state in it."""
    module_name, class_name, store = STATE_STACKS[name]
    users = tuple(environment.name for environment in ENVIRONMENTS.values() if environment.state == store)
    users += tuple(runner for runner, (*_, runner_store) in RUNNER_STACKS.items() if runner_store == store)
    return getattr(importlib.import_module(module_name), class_name)(app, name, store=store, environments=users)


def add_runner_stack(app: Construct, name: str):
    module_name, class_name, runner, store = RUNNER_STACKS[name]
    return getattr(importlib.import_module(module_name), class_name)(app, runner=runner, store=store)


def build(app: Construct) -> list:
    """Adds the selected stacks (environments and state bootstraps) to `app` and returns them."""
    try:
        settings.check_environment()
        names = selected_names(settings.STACKS.read(), app.node.try_get_context(SELECTION_CONTEXT))
        target = settings.local_target()
    except settings.SettingError as error:
        raise ConfigError(error.name, f"{error.value!r}: {error.problem}", error.fix) from None
    return [
        add_state_stack(app, name)
        if name in STATE_STACKS
        else add_runner_stack(app, name)
        if name in RUNNER_STACKS
        else add_stack(app, aimed(get(name), target))
        for name in names
    ]
