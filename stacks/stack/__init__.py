"""One Terraform stack per environment. `stacks.app` imports only the module of the cloud being synthesized."""
