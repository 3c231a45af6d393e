"""The override file that points a stack's AWS provider and its backend at the emulator, and the values of its
required variables."""

import json
from pathlib import Path

from .gaps import services, switched_off

OVERRIDE_FILE = "emulate_override.tf.json"  # beside providers.py's, which asks for the versions built here
VARIABLES_FILE = "emulate.auto.tfvars.json"
CARRIERS_FILE = "emulate_outputs.tf.json"  # a plain file: an override cannot add a resource
CARRIER = "emulated-output-"  # terraform_data.<CARRIER><output>: carries a constant output through the apply
LOCAL_STATE = "terraform.tfstate"
# Keys the emulator accepts; the provider then asks it (not AWS) who it is. `skip_requesting_account_id`: with an
# account the provider reads bucket tags through S3 Control, whose account-named host cannot resolve locally, so a
# stack that manages buckets (and a backend) skips it; any other asks, since some resources take the account as their
# ID (aws_ecr_replication_configuration: without it, the provider loses what it has just created).
STATE_KEYS = ("emulated", "emulated")  # keys moto knows of no user: its default account, where the state lives
STATE_ACCOUNT = "123456789012"  # moto's default account
# The provider alias production stacks reach the deploy runner's network with (stacks/runner/path_aws.py): the
# runners live in the tooling account beside the state (the runner-aws-<region> stacks are applied there), so that
# alias acts there.
RUNNER_ALIAS = "runner"
ENVIRONMENT_ACCOUNTS = 200000000000  # + the stack's place in the order: one account per environment
SKIPS = {"insecure": True, "skip_credentials_validation": True}
BUCKETS = "aws_s3_"  # the resource types whose provider reads bucket tags


def credentials(keys: tuple[str, str], ask_account: bool = False) -> dict:
    return {"access_key": keys[0], "secret_key": keys[1], **SKIPS, "skip_requesting_account_id": not ask_account}


def emulation_override(document: dict, endpoint: str, keys: tuple[str, str] = STATE_KEYS) -> dict:
    """Each `aws` provider block (by alias) sends the stack's services to `endpoint` with `keys` (the account the
    stack is applied in; the runner alias's: the tooling account's); an S3 backend keeps its bucket, key, KMS key
    and lockfile and reaches them there in the state's account; any other backend becomes a local file; each setting
    the emulator cannot apply is off (gaps.py SWITCHED_OFF); each constant output reads its carrier."""
    calls = dict.fromkeys(services(document), endpoint)
    ask_account = not any(kind.startswith(BUCKETS) for kind in document.get("resource", {}))
    providers = [
        {
            **({"alias": block["alias"]} if "alias" in block else {}),
            **credentials(STATE_KEYS if block.get("alias") == RUNNER_ALIAS else keys, ask_account),
            "skip_metadata_api_check": "true",
            "s3_use_path_style": True,
            "max_retries": 2,
            "endpoints": [calls],
        }
        for block in document.get("provider", {}).get("aws", [])
    ]
    backend = document.get("terraform", {}).get("backend", {})
    # An override's backend block replaces the stack's whole, so the S3 one is the stack's plus the emulator's.
    emulated = (
        {
            "s3": {
                **backend["s3"],
                **credentials(STATE_KEYS),
                "use_path_style": True,
                "endpoints": {"s3": endpoint, "sts": endpoint},
            }
        }
        if "s3" in backend
        else {"local": {"path": LOCAL_STATE}}
    )
    # Another stack's outputs (a global entry reads its regions'): read from the emulated state bucket as well.
    remote = {
        name: {
            "backend": "s3",
            "config": {
                **body["config"],
                **credentials(STATE_KEYS),
                "use_path_style": True,
                "endpoints": {"s3": endpoint, "sts": endpoint},
            },
        }
        for name, body in document.get("data", {}).get("terraform_remote_state", {}).items()
        if body.get("backend") == "s3"
    }
    carried = {name: {"value": f"${{terraform_data.{CARRIER}{name}.output}}"} for name in constant_outputs(document)}
    off: dict[str, dict] = {}
    for setting in switched_off(document):
        kind, name = setting.address.split(".", 1)
        off.setdefault(kind, {}).setdefault(name, {})[setting.setting] = False
    return {
        "terraform": {"backend": emulated},
        **({"provider": {"aws": providers}} if providers else {}),
        **({"data": {"terraform_remote_state": remote}} if remote else {}),
        **({"resource": off} if off else {}),
        **({"output": carried} if carried else {}),
    }


def constant_outputs(document: dict) -> dict:
    """Outputs whose value refers to nothing, by name. An apply that excludes anything (the gaps) writes only the
    outputs that depend on what it applied, and another stack may read these (a global entry its regions'
    `public_hosts`): each is carried by a terraform_data of its own (`carriers`), applied with the rest."""
    return {
        name: body["value"]
        for name, body in document.get("output", {}).items()
        if "value" in body and "${" not in json.dumps(body["value"])
    }


def carriers(document: dict) -> dict:
    """The terraform_data resources that carry the constant outputs (CARRIERS_FILE)."""
    found = {f"{CARRIER}{name}": {"input": value} for name, value in constant_outputs(document).items()}
    return {"resource": {"terraform_data": found}} if found else {}


def required_variables(document: dict) -> dict[str, str]:
    """A value for each variable with no default (tokens the deploy reads from the environment)."""
    return {name: "emulated" for name, spec in document.get("variable", {}).items() if "default" not in spec}


def write(folder: Path, document: dict, endpoint: str, keys: tuple[str, str]) -> None:
    (folder / OVERRIDE_FILE).write_text(json.dumps(emulation_override(document, endpoint, keys), indent=2))
    (folder / VARIABLES_FILE).write_text(json.dumps(required_variables(document), indent=2))
    if made := carriers(document):
        (folder / CARRIERS_FILE).write_text(json.dumps(made, indent=2))
