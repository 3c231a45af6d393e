"""Bootstrap stacks of the remote state stores (one per region in use): `cdktf deploy state-aws-<region>` /
`state-azure-<location>` once, before any environment of that region. Their own state stays a local file
(stacks/stack/base.py state_path)."""
