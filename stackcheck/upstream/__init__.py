"""`make upstream-check` (`python -m stackcheck.upstream`): the pinned upstream charts rendered with the values the
stacks synthesize.

For every helm_release of a synthesized stack that installs a repository chart (not the project's own charts),
the check takes that chart at its pinned version from a local folder (`UPSTREAM_CHARTS`) or, where chart
repositories are reachable, `helm pull`; renders it with exactly the values the release passes (the values files,
the generated documents, stand-ins for what only Terraform knows); reports every values key the chart does not
have; reports every image it runs without a pinned tag or digest; and dry-runs every rendered object (`kubectl
apply --dry-run=server --validate=strict`) against a real Kubernetes API server: the project's own kube-apiserver
and etcd (`make tools`) on free local ports, or the cluster of a kubeconfig context. Offline and without charts it
says so and exits 0.

What the three checks share (the synthesized stacks, their arguments) is in the parent package, stackcheck.
"""
