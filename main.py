#!/usr/bin/env python
"""The CDK for Terraform app: one stack per environment of stacks/environments/catalog.py.

    cdktf synth                          # every environment
    cdktf deploy prod-eu                 # deploys the prod-eu stack only
    VOICEPLAT_STACKS=prod-eu cdktf synth # synthesizes only prod-eu (loads only the AWS bindings)
"""
from cdktf import App

from stacks.app import build

app = App()
build(app)
app.synth()
