"""The checks of the synthesized stacks (cdktf.out/stacks/<stack>/cdk.tf.json), one subpackage each:

    upstream  `make upstream-check`: the pinned upstream charts rendered with the values the stacks pass,
              unknown keys, unpinned images, a server-side dry run of every object
    validate  `make validate-cloud`: `tofu validate` of every stack with the real AWS and azurerm providers
    emulate   `make emulate-aws`: a first apply of the AWS stacks against an AWS API emulator (moto server)

and what they share: reading the synthesized stacks (synthesized.py), the stack-selection and synth arguments
(arguments.py), the providers built for OpenTofu and their environment (providers.py), local servers started
on free ports and waited for (servers.py). Each runs as `python -m stackcheck.<check>`.

Layers: above `contract` and `bootstrap` (the pinned binaries, the OpenTofu runner); it reads the synthesized
JSON, never `stacks`.
"""
