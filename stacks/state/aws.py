"""The S3 state store of the AWS environments: a versioned bucket encrypted with its own KMS key, no public
access, TLS only. The environments' S3 backends lock with S3's lock file (`use_lockfile`), so no DynamoDB table."""

import json

from cdktf import LocalBackend, TerraformOutput, TerraformResourceLifecycle, TerraformStack
from cdktf_cdktf_provider_aws.kms_alias import KmsAlias
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderDefaultTags
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import (
    S3BucketLifecycleConfiguration,
    S3BucketLifecycleConfigurationRule,
    S3BucketLifecycleConfigurationRuleFilter,
    S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration,
)
from cdktf_cdktf_provider_aws.s3_bucket_policy import S3BucketPolicy
from cdktf_cdktf_provider_aws.s3_bucket_public_access_block import S3BucketPublicAccessBlock
from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import (
    S3BucketServerSideEncryptionConfigurationA,
    S3BucketServerSideEncryptionConfigurationRuleA,
    S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA,
)
from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioningA, S3BucketVersioningVersioningConfiguration
from constructs import Construct

from ..delivery.providers import pin_provider_version
from ..environments.state import S3State
from ..stack.base import state_path

KEEP = TerraformResourceLifecycle(prevent_destroy=True)  # the state of every environment: never by accident


class AwsStateStack(TerraformStack):
    def __init__(self, scope: Construct, name: str, *, store: S3State, environments: tuple[str, ...]):
        """`environments` keep their state here; S3 needs nothing per environment (an object each, which the CI
        roles' policies scope to: stacks/ci_access/aws.py)."""
        super().__init__(scope, name)
        LocalBackend(self, path=state_path(name))
        AwsProvider(
            self,
            "aws",
            region=store.region,
            default_tags=[AwsProviderDefaultTags(tags={"project": "voiceplat", "managed-by": "cdktf"})],
        )
        pin_provider_version(self, "aws")
        key = KmsKey(
            self,
            "key",
            description="Terraform state of the voiceplat environments",
            enable_key_rotation=True,
            deletion_window_in_days=30,
            lifecycle=KEEP,
        )
        KmsAlias(self, "key-alias", name=store.kms_key_alias, target_key_id=key.key_id)
        bucket = S3Bucket(self, "bucket", bucket=store.bucket, lifecycle=KEEP)
        S3BucketVersioningA(
            self,
            "versioning",
            bucket=bucket.id,
            versioning_configuration=S3BucketVersioningVersioningConfiguration(status="Enabled"),
        )
        S3BucketServerSideEncryptionConfigurationA(
            self,
            "encryption",
            bucket=bucket.id,
            rule=[
                S3BucketServerSideEncryptionConfigurationRuleA(
                    bucket_key_enabled=True,
                    apply_server_side_encryption_by_default=(
                        S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA(
                            sse_algorithm="aws:kms", kms_master_key_id=key.arn
                        )
                    ),
                )
            ],
        )
        S3BucketPublicAccessBlock(
            self,
            "no-public-access",
            bucket=bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
        )
        S3BucketPolicy(
            self,
            "tls-only",
            bucket=bucket.id,
            policy=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "TlsOnly",
                            "Effect": "Deny",
                            "Principal": "*",
                            "Action": "s3:*",
                            "Resource": [bucket.arn, f"{bucket.arn}/*"],
                            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                        }
                    ],
                }
            ),
        )
        # Old state versions are how a bad apply is undone; keep them 90 days.
        S3BucketLifecycleConfiguration(
            self,
            "old-versions",
            bucket=bucket.id,
            rule=[
                S3BucketLifecycleConfigurationRule(
                    id="expire-old-state-versions",
                    status="Enabled",
                    filter=[S3BucketLifecycleConfigurationRuleFilter()],
                    noncurrent_version_expiration=[
                        S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration(noncurrent_days=90)
                    ],
                )
            ],
        )
        TerraformOutput(self, "bucket_name", value=bucket.bucket, description="S3 bucket of the environments' state")
        TerraformOutput(self, "kms_key_arn", value=key.arn, description="KMS key the state objects are encrypted with")
