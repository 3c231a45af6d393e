"""kubectl and helm against one cluster context, with errors that name the step."""
import json

from .progress import run


class Kube:
    def __init__(self, kubectl: str, helm: str, context: str, kubeconfig: str = ""):
        self.kubectl, self.helm, self.context = kubectl, helm, context
        self.target = ["--context", context] + ([f"--kubeconfig={kubeconfig}"] if kubeconfig else [])

    def __call__(self, *args, step: str = "kubectl", input: str | None = None) -> str:
        return run([self.kubectl, *self.target, *args], step_name=step, capture=True, input=input)

    def json(self, *args) -> dict:
        return json.loads(self(*args, "-o", "json"))

    def apply(self, manifest: str, step: str) -> None:
        self("apply", "-f", "-", step=step, input=manifest)

    def helm_upgrade(self, release: str, chart: str, namespace: str, *values: str, step: str) -> None:
        helm_target = ["--kube-context" if t == "--context" else t for t in self.target]
        run([self.helm, *helm_target, "upgrade", "--install", release, chart, "--namespace",
             namespace, "--wait", "--timeout", "3m", *values], step_name=step, capture=True)
