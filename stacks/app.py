"""Builds the app's stacks: one per environment, named after it, importing only the clouds in use.

Which environments: `VOICEPLAT_STACKS` (comma-separated), else the cdktf context key `stacks`
(`cdktf.json` "context", or CDKTF_CONTEXT_JSON), else all of them. `cdktf deploy prod-eu` works with
the default (all stacks are synthesized, prod-eu is deployed); restricting synthesis to the stacks you
deploy only saves time, e.g. `VOICEPLAT_STACKS=prod-eu cdktf deploy prod-eu`.
"""
import importlib
import os

from constructs import Construct

from .environments import ENVIRONMENTS, Cloud, Environment, aimed, get

SELECTION_VARIABLE = "VOICEPLAT_STACKS"
SELECTION_CONTEXT = "stacks"
# Module and class of each cloud's stack. Provider bindings take seconds to load, so a cloud's module
# is imported the first time an environment on that cloud is synthesized, never before.
STACK_CLASSES = {
    Cloud.LOCAL: ("stacks.stack.local", "LocalEnvironmentStack"),
    Cloud.AWS: ("stacks.stack.aws", "AwsEnvironmentStack"),
    Cloud.AZURE: ("stacks.stack.azure", "AzureEnvironmentStack"),
}


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


def build(app: Construct) -> list:
    """Adds the selected environments' stacks to `app` and returns them."""
    context = app.node.try_get_context(SELECTION_CONTEXT)
    environments = selected_environments(os.environ.get(SELECTION_VARIABLE), context)
    return [add_stack(app, aimed(environment, os.environ)) for environment in environments]
