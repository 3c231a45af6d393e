"""A generated values document that holds tokens is a Terraform expression: its literal strings must stay literal."""

import json

from cdktf import TerraformOutput, TerraformVariable

from stackcheck.upstream.hcl import parse_expression
from stackcheck.upstream.releases import YAMLENCODE_CALL
from stacks.delivery.release import values_document
from synthkit import construct_json

LITERALS = {"ports": '[{"HTTPS":443}]', "path": "C:\\data", "template": "{{.chart}} ${not-a-reference} %{if}"}


def test_quotes_backslashes_and_dollar_braces_survive_in_a_document_with_tokens():
    """cdktf quotes the strings of yamlencode(...) but escapes neither `"` nor `\\`: without escaping, an ALB
    annotation like '[{"HTTPS":443}]' ends the string and Terraform refuses the plan (the GitOps environments)."""

    def build(stack):
        variable = TerraformVariable(stack, "role", type="string")
        return TerraformOutput(stack, "values", value=values_document({**LITERALS, "role": variable.string_value}))

    text = json.loads(construct_json(build).text)["output"]["values"]["value"]
    parsed = parse_expression(YAMLENCODE_CALL.match(text).group(1), stand_in="ref")
    assert parsed == {**LITERALS, "role": "ref"}
