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
from .environments.catalog import GLOBAL_ENTRIES, runner_of
from .environments.runner import DeployRunner
from .environments.state import AzureState, S3State

SELECTION_CONTEXT = "stacks"
# Module and class of each cloud's stack. Provider bindings take seconds to load, so a cloud's module
# is imported the first time an environment on that cloud is synthesized, never before.
STACK_CLASSES = {
    Cloud.LOCAL: ("stacks.stack.local", "LocalEnvironmentStack"),
    Cloud.AWS: ("stacks.stack.aws", "AwsEnvironmentStack"),
    Cloud.AZURE: ("stacks.stack.azure", "AzureEnvironmentStack"),
}

# The state stores' bootstrap stacks (stacks/state/), one per region in use, deployed before its environments.
STATE_CLASSES = {S3State: ("stacks.state.aws", "AwsStateStack"), AzureState: ("stacks.state.azure", "AzureStateStack")}
# Each cloud's global entry (stacks/global_entry/), deployed after its regions.
GLOBAL_CLASSES = {
    Cloud.AWS: ("stacks.global_entry.aws", "AwsGlobalStack"),
    Cloud.AZURE: ("stacks.global_entry.azure", "AzureGlobalStack"),
}

# The deploy runners' bootstrap stacks (stacks/runner/), one per region with a private production API, deployed after
# the region's state store and before the environments that peer with the runner; their state is in that store.
RUNNER_CLASSES = {
    Cloud.AWS: ("stacks.runner.aws", "AwsRunnerStack"),
    Cloud.AZURE: ("stacks.runner.azure", "AzureRunnerStack"),
}


def deploy_runners() -> dict[str, DeployRunner]:
    """Stack name -> runner, one in each region where an environment's API is private (deploy_runner_cidrs). Read
    when called, like state_stores()."""
    private = [env for env in ENVIRONMENTS.values() if getattr(env.cluster, "deploy_runner_cidrs", ())]
    return {runner.name: runner for runner in map(runner_of, private)}


def state_users() -> list:
    """Everything that keeps its state in a store: the environments, the deploy runners and the global entries."""
    return [*ENVIRONMENTS.values(), *deploy_runners().values(), *GLOBAL_ENTRIES.values()]


def state_stores() -> dict[str, S3State | AzureState]:
    """Stack name -> store, for every store an environment, a runner or a global entry keeps its state in. Read
    when called, so an environment added to the catalog brings its region's store (and runner) with it."""
    stores = [user.state for user in state_users() if isinstance(user.state, (S3State, AzureState))]
    return {store.stack_name: store for store in stores}


def stack_names() -> list[str]:
    """Every stack: environments, then state bootstraps, deploy runners and global entries."""
    return [*ENVIRONMENTS, *state_stores(), *deploy_runners(), *GLOBAL_ENTRIES]


def selected_names(variable: tuple[str, ...] | None, context) -> list[str]:
    """The stacks to synthesize, from the variable (parsed), else the context value, else all (environments first)."""
    chosen = variable if variable is not None else context
    names = [] if chosen is None else chosen if isinstance(chosen, (list, tuple)) else str(chosen).split(",")
    names = [name.strip() for name in names if name.strip()]
    known = stack_names()
    if not names:
        return known
    for name in names:
        if name not in known:
            raise UnknownEnvironment(name, tuple(known))
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
    """A store's bootstrap, given the environments (runners, global entries) that keep their state in it."""
    store = state_stores()[name]
    module_name, class_name = STATE_CLASSES[type(store)]
    users = tuple(user.name for user in state_users() if user.state == store)
    return getattr(importlib.import_module(module_name), class_name)(app, name, store=store, environments=users)


def add_global_stack(app: Construct, name: str):
    """A cloud's global entry over its production regions, as the catalog has them now."""
    entry = GLOBAL_ENTRIES[name]
    module_name, class_name = GLOBAL_CLASSES[entry.cloud]
    stack_class = getattr(importlib.import_module(module_name), class_name)
    return stack_class(app, entry=entry, regions=entry.regions(ENVIRONMENTS.values()))


def add_runner_stack(app: Construct, name: str):
    """A region's deploy runner, its state in the region's store."""
    runner = deploy_runners()[name]
    module_name, class_name = RUNNER_CLASSES[runner.cloud]
    return getattr(importlib.import_module(module_name), class_name)(app, runner=runner, store=runner.state)


def add_named_stack(app: Construct, name: str, target):
    if name in GLOBAL_ENTRIES:
        return add_global_stack(app, name)
    if name in deploy_runners():
        return add_runner_stack(app, name)
    if name in ENVIRONMENTS:
        return add_stack(app, aimed(get(name), target))
    return add_state_stack(app, name)


def build(app: Construct) -> list:
    """Adds the selected stacks (environments and state bootstraps) to `app` and returns them."""
    try:
        settings.check_environment()
        names = selected_names(settings.STACKS.read(), app.node.try_get_context(SELECTION_CONTEXT))
        target = settings.local_target()
    except settings.SettingError as error:
        raise ConfigError(error.name, f"{error.value!r}: {error.problem}", error.fix) from None
    return [add_named_stack(app, name, target) for name in names]
