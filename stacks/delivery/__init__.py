"""Platform delivery: what each environment's stack installs on its cluster through the Helm provider
(add-ons, infrastructure, the project's charts or ArgoCD), and `deploy_local` for the kind cluster.

`platform.PlatformDelivery` is the construct; `EnvironmentStack.deliver_platform` adds it to a stack.
"""
