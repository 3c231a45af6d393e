"""OpenTofu and the Terraform providers for `cdktf deploy` with no registry: a filesystem mirror and a CLI config.

cdktf runs the binary named by TERRAFORM_BINARY_NAME; OpenTofu reads TF_CLI_CONFIG_FILE, whose
provider_installation block sends hashicorp/* to the mirror built here and nowhere else.
"""
import os
from pathlib import Path

from contract import pins
from . import gotools
from .cache import cache_dir

PLATFORM = "linux_amd64"
REGISTRY = "registry.opentofu.org"


def provider_mirror() -> Path:
    """`<mirror>/registry.opentofu.org/hashicorp/<name>/<version>/linux_amd64/terraform-provider-<name>_v<version>`."""
    mirror = cache_dir() / "terraform-providers"
    for build, (version, _) in ((gotools.TF_PROVIDER_HELM, pins.TF_PROVIDER_HELM),):
        name = build.name.removeprefix("terraform-provider-")
        folder = mirror / REGISTRY / "hashicorp" / name / version / PLATFORM
        folder.mkdir(parents=True, exist_ok=True)
        link = folder / f"{build.name}_v{version}"
        # Re-pointed every time: a rebuilt provider (new pin or recipe) lives in a new cache folder.
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(build.path(build.name))
    return mirror


def cli_config(mirror: Path) -> Path:
    path = cache_dir() / "tofu.rc"
    path.write_text(f"""# Written by bootstrap/terraform.py: providers come only from the locally built mirror.
provider_installation {{
  filesystem_mirror {{
    path    = "{mirror}"
    include = ["{REGISTRY}/hashicorp/helm"]
  }}
  direct {{
    exclude = ["{REGISTRY}/hashicorp/helm"]
  }}
}}
""")
    return path


def deploy_env(tofu: str, cli_config_file: str) -> dict:
    """The environment `cdktf deploy local` runs in."""
    return dict(os.environ, TERRAFORM_BINARY_NAME=tofu, TF_CLI_CONFIG_FILE=cli_config_file,
                CHECKPOINT_DISABLE="1", CDKTF_DISABLE_PLUGIN_CACHE_ENV="1")
