"""What CI may do in an environment's cloud account: GitHub Actions' OIDC tokens, trusted by subject.

Two identities per environment, each trusting one token subject of the environment's `ci_repository`:
- deploy: jobs that declare `environment: <name>` (its protection rules, e.g. required reviewers for
  production, are the gate); they run `cdktf deploy`.
- plan: pull-request jobs; read-only, enough for `cdktf diff`.
No long-lived key exists anywhere. The stack that creates them is deployed once by a person with admin
credentials; every later deploy runs as the deploy identity.
"""

GITHUB_OIDC_ISSUER = "https://token.actions.githubusercontent.com"


def deploy_subject(repository: str, environment: str) -> str:
    """The `sub` claim of a job in `repository` that declares `environment: <environment>`."""
    return f"repo:{repository}:environment:{environment}"


def plan_subject(repository: str) -> str:
    """The `sub` claim of a job triggered by a pull request of `repository` (no `environment:` key)."""
    return f"repo:{repository}:pull_request"
