"""Bootstrap stacks of the remote state stores (one per cloud): `cdktf deploy state-aws` / `state-azure` once,
before any environment of that cloud. Their own state stays a local file (stacks/stack/base.py state_path)."""
