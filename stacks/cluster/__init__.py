"""The Kubernetes cluster of an environment: EKS (aws.py), AKS (azure.py) or an existing kind cluster (kind.py)."""
