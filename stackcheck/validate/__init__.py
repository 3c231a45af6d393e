"""`make validate-cloud` (`python -m stackcheck.validate`): `tofu validate` of every synthesized cloud stack with
the real AWS and azurerm providers.

Each stack's folder is copied to a work folder, where an override file asks for the provider versions built
here (contract/pins.py: the one commit of each the Go module proxy serves, newer than the versions the cdktf
bindings describe) and `tofu init -backend=false` installs them from a mirror of their builds, so nothing
reaches a registry, a cloud or the state. Only this target builds the two providers (the largest Go builds of
the project, timed in its output); `make tools` never does. Validation reads the configuration: every
resource's and data source's arguments against the provider's schema, types, references and required
arguments. What needs an API (names taken, quotas, permissions) is a plan's, which needs credentials.
Validated a major ahead of the stack's pin, errors on resources that major's upgrade guide changes are reported
as the upgrade's, not the stack's (upgrades.py). The providers' builds, mirror and work folder are shared with
`make emulate-aws` (stackcheck/providers.py).
"""
