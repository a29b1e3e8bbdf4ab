"""lambda/template.yaml: lint it, transform it offline as `sam deploy` would, and lint the result.

cfn-lint checks the SAM template against SAM's own schemas but cannot see what the transform makes
of it (e.g. the Lambda permission behind the AlexaSkill event), so aws-sam-translator transforms it
here, without AWS: a stub instead of the IAM managed-policy lookup, a fixed region, no credentials.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from cfnlint.api import lint
from cfnlint.decode import decode_str
from deploy_support import ROOT, SKILL_ID
from samtranslator.translator.transform import transform

TEMPLATE = ROOT / "lambda" / "template.yaml"
REGION = "us-east-1"
ALEXA_PRINCIPAL = "alexa-appkit.amazon.com"


class NoManagedPolicies:
    """Stands in for samtranslator's ManagedPolicyLoader, which would ask IAM over the network."""

    def load(self) -> dict[str, str]:
        return {}


def load_template() -> dict[str, Any]:
    """The template as plain data (!Ref and friends as their JSON forms)."""
    template, errors = decode_str(TEMPLATE.read_text("utf-8"))
    assert not errors, errors
    data: dict[str, Any] = json.loads(json.dumps(template))
    return data


def lint_problems(template_text: str) -> list[str]:
    return [str(match) for match in lint(template_text, regions=[REGION])]


def resources_of_type(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {name: r for name, r in template["Resources"].items() if r["Type"] == kind}


def transform_in(region: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, Any]:
    # samtranslator finds the region through a boto3 session: give it one, and no AWS files.
    monkeypatch.setenv("AWS_DEFAULT_REGION", region)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    template = load_template()
    # `sam deploy` uploads the local CodeUri and puts its S3 location here before the transform.
    function = template["Resources"]["SkillFunction"]["Properties"]
    assert (TEMPLATE.parent / function["CodeUri"]).resolve() == ROOT / "dist" / "lambda.zip"
    function["CodeUri"] = "s3://care-compass-artifacts/lambda.zip"
    loader: Any = NoManagedPolicies()
    result: dict[str, Any] = transform(template, {"SkillId": SKILL_ID}, loader)
    return result


@pytest.fixture
def transformed(
    no_network: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> dict[str, Any]:
    return transform_in(REGION, monkeypatch, tmp_path)


def test_the_sam_template_passes_cfn_lint(no_network: None) -> None:
    assert lint_problems(TEMPLATE.read_text("utf-8")) == []


def test_the_function_is_configured_for_alexa() -> None:
    template = load_template()
    assert template["Transform"] == "AWS::Serverless-2016-10-31"
    assert template["Parameters"]["SkillId"]["Type"] == "String"
    function = template["Resources"]["SkillFunction"]
    assert function["Type"] == "AWS::Serverless::Function"
    properties = function["Properties"]
    assert properties["Runtime"] == "python3.12"
    assert properties["Handler"] == "lambda_function.lambda_handler"
    assert properties["Architectures"] == ["arm64"]  # the bundle is pure Python: Graviton
    assert 256 <= properties["MemorySize"] <= 512
    assert properties["Timeout"] < 8  # Alexa gives up after 8 seconds
    assert properties["Environment"]["Variables"] == {
        "ALEXA_SKILL_ID": {"Ref": "SkillId"},
        "LOG_LEVEL": "INFO",
    }
    (event,) = properties["Events"].values()
    assert event == {"Type": "AlexaSkill", "Properties": {"SkillId": {"Ref": "SkillId"}}}
    arn_outputs = [o["Value"] for o in template["Outputs"].values()]
    assert {"Fn::GetAtt": ["SkillFunction", "Arn"]} in arn_outputs


def test_the_skill_id_parameter_accepts_only_skill_ids() -> None:
    pattern = re.compile(load_template()["Parameters"]["SkillId"]["AllowedPattern"])
    assert pattern.match(SKILL_ID)
    assert not pattern.match("")
    assert not pattern.match("amzn1.ask.skill.")


def test_only_the_skill_may_invoke_the_transformed_function(transformed: dict[str, Any]) -> None:
    permissions = resources_of_type(transformed, "AWS::Lambda::Permission")
    assert permissions, "the AlexaSkill event must become a Lambda permission"
    for permission in permissions.values():
        properties = permission["Properties"]
        assert properties["Principal"] == ALEXA_PRINCIPAL
        assert properties["Action"] == "lambda:InvokeFunction"
        assert properties["FunctionName"] == {"Ref": "SkillFunction"}
        assert properties["EventSourceToken"] == {"Ref": "SkillId"}
    assert transformed["Parameters"]["SkillId"]["Type"] == "String"


def test_the_transformed_function_fits_alexa(transformed: dict[str, Any]) -> None:
    (function,) = resources_of_type(transformed, "AWS::Lambda::Function").values()
    properties = function["Properties"]
    assert properties["Runtime"] == "python3.12"
    assert properties["Handler"] == "lambda_function.lambda_handler"
    assert properties["Timeout"] < 8
    assert properties["Environment"]["Variables"]["ALEXA_SKILL_ID"] == {"Ref": "SkillId"}
    (log_group,) = resources_of_type(transformed, "AWS::Logs::LogGroup").values()
    assert log_group["Properties"]["RetentionInDays"] <= 30


def test_the_transformed_template_passes_cfn_lint(transformed: dict[str, Any]) -> None:
    assert "Transform" not in transformed
    assert lint_problems(json.dumps(transformed)) == []


@pytest.mark.parametrize("region", ["eu-west-1", "us-west-2"])
def test_the_template_deploys_in_each_alexa_region(
    region: str, no_network: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """One stack per Alexa region (docs/deployment.md): nothing in it names a region or account."""
    template = load_template()
    text = json.dumps({key: template[key] for key in ("Parameters", "Resources", "Outputs")})
    assert not re.search(r"\b(?:us|eu|ap|ca|sa)-(?:east|west|north|south|central)-\d\b", text)
    assert not re.search(r"\b\d{12}\b", text)
    result = transform_in(region, monkeypatch, tmp_path)
    (function,) = resources_of_type(result, "AWS::Lambda::Function").values()
    assert function["Properties"]["Architectures"] == ["arm64"]
    assert [str(match) for match in lint(json.dumps(result), regions=[region])] == []
