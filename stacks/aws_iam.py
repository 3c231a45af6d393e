"""IAM documents of the AWS constructs, written as data. Values may hold cdktf tokens (ARNs, the OIDC
issuer); they resolve inside the JSON string when the stack is synthesized."""

import json

# Every region in stacks/environments/clouds.py is in the commercial partition.
PARTITION = "aws"


def document(*statements: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def managed_policy(name: str) -> str:
    return f"arn:{PARTITION}:iam::aws:policy/{name}"


def service_trust(service: str) -> str:
    """Lets an AWS service (eks.amazonaws.com, ec2.amazonaws.com) assume the role."""
    return document({"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"})


def service_account_trust(*, oidc_provider_arn: str, issuer_host: str, namespace: str, service_account: str) -> str:
    """IRSA: lets pods of one Kubernetes service account (`*` for any in the namespace) assume the role."""
    match = "StringLike" if "*" in service_account else "StringEquals"
    condition = {match: {f"{issuer_host}:sub": f"system:serviceaccount:{namespace}:{service_account}"}}
    condition.setdefault("StringEquals", {})[f"{issuer_host}:aud"] = "sts.amazonaws.com"
    return document(
        {
            "Effect": "Allow",
            "Principal": {"Federated": oidc_provider_arn},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": condition,
        }
    )


def github_actions_trust(*, provider_arn: str, issuer_host: str, subject: str, audience: str) -> str:
    """Lets GitHub Actions jobs whose token carries exactly `subject` (repository + environment or event) assume
    the role; StringEquals, never a wildcard, so no other repository, branch or environment matches."""
    return document(
        {
            "Effect": "Allow",
            "Principal": {"Federated": provider_arn},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringEquals": {f"{issuer_host}:aud": audience, f"{issuer_host}:sub": subject}},
        }
    )
