"""CDK for Terraform constructs and stacks of the voice-AI platform."""
