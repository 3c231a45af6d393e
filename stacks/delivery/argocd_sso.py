"""ArgoCD's sign-in inputs: OIDC single sign-on from Terraform variables set at deploy time (never in git).

Until `argocd_oidc_issuer` is set, no SSO is configured and people sign in as `admin` with the password ArgoCD
generates (values/argo-cd.yaml says how to read it): the first-day login. With it set, ArgoCD signs people in
through the issuer, `argocd_admin_group`'s members get role:admin and everyone else read-only; the client secret
is a sensitive variable handed to the chart through set_sensitive, so plans and the synthesized JSON never show it.
"""

from cdktf import TerraformLocal, TerraformVariable
from constructs import Construct

INPUTS = {  # variable -> description (all strings, empty by default: no SSO)
    "argocd_url": "ArgoCD's external URL, e.g. https://argocd.example.com (the OIDC redirect goes there)",
    "argocd_oidc_issuer": "OIDC issuer URL of the identity provider; empty: no SSO, the admin login only",
    "argocd_oidc_client_id": "OIDC client ID of ArgoCD's application at the identity provider",
    "argocd_admin_group": "group claim value whose members are ArgoCD admins",
}
CLIENT_SECRET = "argocd_oidc_client_secret"
SSO_SCOPES = '["openid", "profile", "email", "groups"]'


class ArgoCdSignIn(Construct):
    """The argo-cd release's `values` (a document with tokens, for values_document) and `sensitive` (set_sensitive)."""

    def __init__(self, scope: Construct, id_: str):
        super().__init__(scope, id_)
        variables = {}
        for name, description in {**INPUTS, CLIENT_SECRET: "OIDC client secret"}.items():
            variables[name] = TerraformVariable(
                self, name, type="string", default="", description=description, sensitive=name == CLIENT_SECRET
            )
            variables[name].override_logical_id(name)
        oidc = TerraformLocal(
            self,
            "oidc-config",
            (
                '${var.argocd_oidc_issuer == "" ? "" : yamlencode({"name" = "SSO", "issuer" = var.argocd_oidc_issuer, '
                f'"clientID" = var.argocd_oidc_client_id, "clientSecret" = "$oidc.clientSecret", '
                f'"requestedScopes" = {SSO_SCOPES}}})}}'
            ),
        )
        policy = TerraformLocal(
            self, "rbac-policy", ('${var.argocd_admin_group == "" ? "" : "g, ${var.argocd_admin_group}, role:admin"}')
        )
        self.values = {
            "configs": {
                "cm": {"url": variables["argocd_url"].string_value, "oidc.config": oidc.as_string},
                "rbac": {"policy.default": "role:readonly", "policy.csv": policy.as_string},
            }
        }
        self.sensitive = {"configs.secret.extra.oidc\\.clientSecret": variables[CLIENT_SECRET].string_value}
