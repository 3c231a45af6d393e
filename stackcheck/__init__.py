"""The checks of the synthesized stacks (cdktf.out/stacks/<stack>/cdk.tf.json), one subpackage each:

    upstream  `make upstream-check`: the pinned upstream charts rendered with the values the stacks pass,
              unknown keys, unpinned images, a server-side dry run of every object
    validate  `make validate-cloud`: `tofu validate` of every stack with the real AWS and azurerm providers
    emulate   `make emulate-aws`: a first apply of the AWS stacks against an AWS API emulator (moto server)

and what they share: reading the synthesized stacks (synthesized.py), the stack-selection and synth arguments
(arguments.py), the providers built for OpenTofu and their environment (providers.py). Each runs as
`python -m stackcheck.<check>`; no check imports another.

Layers: above `contract` and `bootstrap`, whose parts they run on: the pinned binaries (contract.tools), the
OpenTofu runner (bootstrap/tofu.py), the subprocess runner (bootstrap/progress.py), free ports and the waits
for the local servers they start (bootstrap/ports.py, bootstrap/waiting.py). They read the synthesized JSON,
never `stacks`.
"""
