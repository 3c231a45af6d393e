"""TLS for the global names in an AWS region: an ACM certificate of the region for `<label>.<entry domain>` of each
public host, which the ALB finds by host name as it finds the regional one, since the region's Ingresses list the
global names beside their own (charts' `global.ingress.globalDomain`). DNS-validated: the region publishes the
validation records as its output `global_names_validation` and `global-aws` writes them into the global zone, so
the region never touches the global zone and ACM issues the certificate once the global stack has run.
"""

from cdktf import TerraformResourceLifecycle
from cdktf_cdktf_provider_aws.acm_certificate import AcmCertificate
from constructs import Construct

from ..delivery.public_hosts import host_labels
from ..environments.global_entry import GlobalEntry


class GlobalNamesCertificate(Construct):
    def __init__(self, scope: Construct, id_: str, *, entry: GlobalEntry):
        super().__init__(scope, id_)
        names = [entry.host(label) for label in host_labels()]
        certificate = AcmCertificate(
            self,
            "certificate",
            domain_name=names[0],
            subject_alternative_names=names[1:],
            validation_method="DNS",
            key_algorithm="EC_prime256v1",
            lifecycle=TerraformResourceLifecycle(create_before_destroy=True),  # the ALB never serves without one
        )
        # name -> {name, type, value} of its validation record: a map, so the global stack reads each by name.
        self.validation = (
            f"${{{{ for option in {certificate.fqn}.domain_validation_options : option.domain_name => "
            "{ name = option.resource_record_name, type = option.resource_record_type, "
            "value = option.resource_record_value } }}"
        )
