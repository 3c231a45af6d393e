"""The environment's ECR repositories, one per image the charts pull (stacks/delivery/images.py), under the
environment's name: immutable tags (a tag is a release, never moved), scan on push, KMS encryption, and a
lifecycle rule that drops untagged layers. The charts' registry is `<account>.dkr.ecr.<region>.amazonaws.com/<prefix>`.

A production region that a global entry covers takes its images by replication from the entry's release registry
(stacks/global_entry/aws.py): its repositories carry the entry's name as prefix, since ECR replication keeps a
repository's name, and its registry policy lets the entry's account replicate into them (`replicated_from`).
"""

import json
from collections.abc import Sequence

from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity
from cdktf_cdktf_provider_aws.ecr_lifecycle_policy import EcrLifecyclePolicy
from cdktf_cdktf_provider_aws.ecr_registry_policy import EcrRegistryPolicy
from cdktf_cdktf_provider_aws.ecr_repository import (
    EcrRepository,
    EcrRepositoryEncryptionConfiguration,
    EcrRepositoryImageScanningConfiguration,
)
from constructs import Construct

UNTAGGED_DAYS = 14


class EcrRegistry(Construct):
    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        prefix: str,
        region: str,
        repositories: Sequence[str],
        replicated_from: str = "",
    ):
        """`replicated_from`: the account whose registry replicates `<prefix>/*` into this one ("" for none)."""
        super().__init__(scope, id_)
        account = DataAwsCallerIdentity(self, "account")
        self.account_id = account.account_id
        self.registry = f"{account.account_id}.dkr.ecr.{region}.amazonaws.com/{prefix}"
        if replicated_from:
            EcrRegistryPolicy(
                self,
                "replication",
                policy=json.dumps(
                    {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Sid": "ReplicationFromTheReleaseRegistry",
                                "Effect": "Allow",
                                "Principal": {"AWS": f"arn:aws:iam::{replicated_from}:root"},
                                "Action": ["ecr:CreateRepository", "ecr:ReplicateImage"],
                                "Resource": f"arn:aws:ecr:{region}:{account.account_id}:repository/{prefix}/*",
                            }
                        ],
                    }
                ),
            )
        self.repositories = {}
        for repository in repositories:
            id_part = repository.replace("/", "-")
            repo = EcrRepository(
                self,
                id_part,
                name=f"{prefix}/{repository}",
                image_tag_mutability="IMMUTABLE",
                image_scanning_configuration=EcrRepositoryImageScanningConfiguration(scan_on_push=True),
                encryption_configuration=[EcrRepositoryEncryptionConfiguration(encryption_type="KMS")],
            )
            EcrLifecyclePolicy(
                self,
                f"{id_part}-lifecycle",
                repository=repo.name,
                policy=json.dumps(
                    {
                        "rules": [
                            {
                                "rulePriority": 1,
                                "description": f"untagged layers after {UNTAGGED_DAYS} days",
                                "selection": {
                                    "tagStatus": "untagged",
                                    "countType": "sinceImagePushed",
                                    "countUnit": "days",
                                    "countNumber": UNTAGGED_DAYS,
                                },
                                "action": {"type": "expire"},
                            }
                        ]
                    }
                ),
            )
            self.repositories[repository] = repo
