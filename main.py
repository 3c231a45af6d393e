#!/usr/bin/env python
"""The CDK for Terraform app: one stack per environment of stacks/environments/catalog.py.

cdktf synth                          # every environment
cdktf deploy prod-eu                 # deploys the prod-eu stack only
VOICEPLAT_STACKS=prod-eu cdktf synth # synthesizes only prod-eu (loads only the AWS bindings)
"""

import sys

from cdktf import App

from stacks.environments.errors import ConfigError


def main() -> None:
    try:
        from stacks.app import build  # declaring the environments validates them

        app = App()
        build(app)
    except ConfigError as error:
        sys.exit(f"voiceplat: {error}")
    app.synth()


if __name__ == "__main__":
    main()
