"""The EFS file system behind the `efs-sc` StorageClass (ReadWriteMany claims: the Deepgram model cache, TTS
voices): encrypted at rest with the cluster's KMS key, elastic throughput, AWS Backup on, one mount target per
private subnet, reachable on NFS (2049) from the VPC only. The EFS CSI driver (managed add-on, IRSA role in
stacks/managed_addons/aws.py) makes one access point per claim on it."""

from collections.abc import Sequence

from cdktf_cdktf_provider_aws.efs_backup_policy import EfsBackupPolicy, EfsBackupPolicyBackupPolicy
from cdktf_cdktf_provider_aws.efs_file_system import EfsFileSystem, EfsFileSystemLifecyclePolicy
from cdktf_cdktf_provider_aws.efs_mount_target import EfsMountTarget
from cdktf_cdktf_provider_aws.security_group import SecurityGroup, SecurityGroupEgress, SecurityGroupIngress
from constructs import Construct

NFS_PORT = 2049


class EfsStorage(Construct):
    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        name: str,
        vpc_id: str,
        vpc_cidr: str,
        subnet_ids: Sequence[str],
        kms_key_arn: str,
    ):
        super().__init__(scope, id_)
        self.file_system = EfsFileSystem(
            self,
            "file-system",
            encrypted=True,
            kms_key_id=kms_key_arn,
            performance_mode="generalPurpose",
            throughput_mode="elastic",
            lifecycle_policy=[EfsFileSystemLifecyclePolicy(transition_to_ia="AFTER_30_DAYS")],
            tags={"Name": f"{name}-shared"},
        )
        EfsBackupPolicy(
            self,
            "backup",
            file_system_id=self.file_system.id,
            backup_policy=EfsBackupPolicyBackupPolicy(status="ENABLED"),
        )
        self.security_group = SecurityGroup(
            self,
            "nfs",
            name=f"{name}-efs",
            vpc_id=vpc_id,
            description="NFS to the shared file system from the VPC",
            ingress=[
                SecurityGroupIngress(
                    description="NFS from the cluster VPC",
                    protocol="tcp",
                    from_port=NFS_PORT,
                    to_port=NFS_PORT,
                    cidr_blocks=[vpc_cidr],
                )
            ],
            egress=[
                SecurityGroupEgress(
                    description="replies within the VPC", protocol="-1", from_port=0, to_port=0, cidr_blocks=[vpc_cidr]
                )
            ],
            tags={"Name": f"{name}-efs"},
        )
        self.mount_targets = [
            EfsMountTarget(
                self,
                f"mount-target-{i}",
                file_system_id=self.file_system.id,
                subnet_id=subnet_id,
                security_groups=[self.security_group.id],
            )
            for i, subnet_id in enumerate(subnet_ids)
        ]
        self.file_system_id = self.file_system.id
