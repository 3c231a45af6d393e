"""OpenTofu and the Terraform providers for `cdktf deploy` with no registry: a filesystem mirror and a CLI config.

cdktf runs the binary named by TERRAFORM_BINARY_NAME; OpenTofu reads TF_CLI_CONFIG_FILE, whose
provider_installation block sends hashicorp/* to the mirror built here and nowhere else.
"""

import os
from dataclasses import dataclass
from pathlib import Path

from contract import pins

from . import gotools
from .cache import cache_dir

PLATFORM = "linux_amd64"
REGISTRY = "registry.opentofu.org"


@dataclass(frozen=True)
class Provider:
    """hashicorp/<name>, offered by the mirror as its provider version, built by the recipe of the same pin."""

    name: str
    pin: str  # contract/pins.py: (provider version, Go module version); bootstrap/gotools.py: its recipe

    @property
    def version(self) -> str:
        return getattr(pins, self.pin)[0]

    @property
    def build(self) -> gotools.GoBuild:
        return getattr(gotools, self.pin)  # read when used: a re-read recipe (new pin) is the one linked

    def source(self) -> Path:
        """The provider's module source at its pin (its one binary's package is the module's root)."""
        module = next(iter(self.build.binaries.values()))
        return self.build.module_source(module)


HELM = Provider("helm", "TF_PROVIDER_HELM")
KUBERNETES = Provider("kubernetes", "TF_PROVIDER_KUBERNETES")
# Only `make validate-cloud` builds these two (stackcheck/validate/): the largest Go builds of the project.
AWS = Provider("aws", "TF_PROVIDER_AWS")
AZURERM = Provider("azurerm", "TF_PROVIDER_AZURERM")
DEPLOY = (HELM, KUBERNETES)  # what `cdktf deploy local` installs


def provider_mirror(providers: tuple[Provider, ...] = DEPLOY, folder: str = "terraform-providers") -> Path:
    """`<mirror>/registry.opentofu.org/hashicorp/<name>/<version>/linux_amd64/terraform-provider-<name>_v<version>`,
    a link to each provider's build."""
    mirror = cache_dir() / folder
    for provider in providers:
        binary = provider.build.path(provider.build.name)
        target = mirror / REGISTRY / "hashicorp" / provider.name / provider.version / PLATFORM
        target.mkdir(parents=True, exist_ok=True)
        link = target / f"{provider.build.name}_v{provider.version}"
        # Re-pointed every time: a rebuilt provider (new pin or recipe) lives in a new cache folder.
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(binary)
    return mirror


def cli_config(mirror: Path, providers: tuple[Provider, ...] = DEPLOY, file: str = "tofu.rc") -> Path:
    """TF_CLI_CONFIG_FILE sending `providers` to the mirror and nowhere else."""
    names = ", ".join(f'"{REGISTRY}/hashicorp/{provider.name}"' for provider in providers)
    path = cache_dir() / file
    path.write_text(f"""# Written by bootstrap/terraform.py: providers come only from the locally built mirror.
provider_installation {{
  filesystem_mirror {{
    path    = "{mirror}"
    include = [{names}]
  }}
  direct {{
    exclude = [{names}]
  }}
}}
""")
    return path


def deploy_env(tofu: str, cli_config_file: str) -> dict:
    """The environment `cdktf deploy local` runs in."""
    return dict(
        os.environ,
        TERRAFORM_BINARY_NAME=tofu,
        TF_CLI_CONFIG_FILE=cli_config_file,
        CHECKPOINT_DISABLE="1",
        CDKTF_DISABLE_PLUGIN_CACHE_ENV="1",
    )
