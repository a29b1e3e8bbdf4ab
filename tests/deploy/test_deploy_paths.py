"""The three deployment paths, the regions, and what `ask deploy` may touch on each.

The ASK CLI (lib/commands/deploy/index.ts) deploys code only for the regions listed under the
profile's `code`, and only through `skillInfrastructure`; with neither, `ask deploy` uploads the
skill package and stops, leaving apis.custom.endpoint as the manifest gives it. So an endpoint
deployed with SAM, or hosted behind HTTPS, must come with an ask-resources.json that has neither.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from deploy_support import SKILL_ID, build_skill_package

bsp = build_skill_package
ARN = "arn:aws:lambda:{region}:123456789012:function:care-compass"
NA_ARN, EU_ARN, FE_ARN = (ARN.format(region=r) for r in ("us-east-1", "eu-west-1", "us-west-2"))
HTTPS = "https://skill.example/alexa"


@pytest.fixture(autouse=True)
def no_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SKILL_ENDPOINT", "PRIVACY_POLICY_URL", "ALEXA_SKILL_ID", "SSL_CERTIFICATE_TYPE",
                 "NEAREST_REGIONS", "CERTIFICATION", "SKILL_ENDPOINT_NA", "SKILL_ENDPOINT_EU",
                 "SKILL_ENDPOINT_FE"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)


def build(out: Path, **deployment: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """(manifest, default profile of ask-resources.json) for this deployment."""
    bsp.build(out, deployment=bsp.Deployment(**deployment))
    manifest = json.loads((out / "skill-package" / "skill.json").read_text("utf-8"))["manifest"]
    resources = json.loads((out / "ask-resources.json").read_text("utf-8"))
    return manifest, resources["profiles"]["default"]


def test_the_ask_cli_lambda_path_deploys_code_and_leaves_the_endpoint_to_it(
    tmp_path: Path,
) -> None:
    manifest, profile = build(tmp_path)
    assert manifest["apis"] == {"custom": {}}
    assert profile["code"] == {"default": {"src": "./dist/lambda"}}
    assert profile["skillInfrastructure"]["type"] == "@ask-cli/lambda-deployer"
    assert "regionalOverrides" not in profile["skillInfrastructure"]["userConfig"]


@pytest.mark.parametrize("endpoint", [NA_ARN, HTTPS])
def test_an_endpoint_of_your_own_leaves_ask_deploy_nothing_to_deploy_but_the_package(
    tmp_path: Path, endpoint: str
) -> None:
    build(tmp_path)  # first built for the ASK CLI's Lambda, and deployed once:
    path = tmp_path / "ask-resources.json"
    resources = json.loads(path.read_text("utf-8"))
    resources["profiles"]["default"]["skillId"] = SKILL_ID
    resources["profiles"]["default"]["skillMetadata"]["lastDeployHash"] = "abc"
    path.write_text(json.dumps(resources), "utf-8")
    manifest, profile = build(tmp_path, endpoint=endpoint)  # then moved to SAM or HTTPS
    assert manifest["apis"]["custom"]["endpoint"]["uri"] == endpoint
    assert profile == {
        "skillId": SKILL_ID,
        "skillMetadata": {"src": "./skill-package", "lastDeployHash": "abc"},
    }


@pytest.mark.parametrize("kind", ["Trusted", "Wildcard", "SelfSigned"])
def test_the_certificate_type_is_a_build_option(tmp_path: Path, kind: str) -> None:
    manifest, _ = build(tmp_path, endpoint=HTTPS, ssl_certificate_type=kind)
    assert manifest["apis"]["custom"]["endpoint"] == {"uri": HTTPS, "sslCertificateType": kind}


def test_the_certificate_type_from_the_environment_in_any_case(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SKILL_ENDPOINT", HTTPS)
    monkeypatch.setenv("SSL_CERTIFICATE_TYPE", "wildcard")
    assert bsp.main(["--out", str(tmp_path)]) == 0
    manifest = json.loads((tmp_path / "skill-package" / "skill.json").read_text("utf-8"))
    assert manifest["manifest"]["apis"]["custom"]["endpoint"]["sslCertificateType"] == "Wildcard"
    monkeypatch.setenv("SSL_CERTIFICATE_TYPE", "letsencrypt")
    assert bsp.main(["--out", str(tmp_path)]) == 1
    assert "letsencrypt" in capsys.readouterr().err


def test_an_https_endpoint_serves_the_privacy_policy(tmp_path: Path) -> None:
    manifest, _ = build(tmp_path, endpoint=HTTPS + "/")
    urls = {
        entry["privacyPolicyUrl"] for entry in manifest["privacyAndCompliance"]["locales"].values()
    }
    assert urls == {"https://skill.example/alexa/privacy"}
    assert sorted(manifest["privacyAndCompliance"]["locales"]) == sorted(
        manifest["publishingInformation"]["locales"]
    )


def test_nearest_regions_deploy_a_function_per_alexa_region_served(tmp_path: Path) -> None:
    manifest, profile = build(tmp_path, nearest_regions=True)
    countries = manifest["publishingInformation"]["distributionCountries"]
    assert set(countries) == {"US", "CA", "GB", "IN", "AU"}
    assert profile["code"] == {
        region: {"src": "./dist/lambda"} for region in ("default", "EU", "FE")
    }
    user_config = profile["skillInfrastructure"]["userConfig"]
    assert user_config["awsRegion"] == "us-east-1"
    assert user_config["regionalOverrides"] == {
        "EU": {"awsRegion": "eu-west-1"},
        "FE": {"awsRegion": "us-west-2"},
    }
    # Back to one region: the other regions' code and deploy state go.
    resources = json.loads((tmp_path / "ask-resources.json").read_text("utf-8"))
    resources["profiles"]["default"]["skillInfrastructure"]["deployState"] = {
        region: {"lambda": {"arn": ARN}} for region in ("default", "EU", "FE")
    }
    (tmp_path / "ask-resources.json").write_text(json.dumps(resources), "utf-8")
    _, profile = build(tmp_path)
    assert list(profile["code"]) == ["default"]
    assert list(profile["skillInfrastructure"]["deployState"]) == ["default"]
    assert "regionalOverrides" not in profile["skillInfrastructure"]["userConfig"]


def test_sam_stacks_per_region_become_regional_endpoints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest, profile = build(tmp_path, endpoint=NA_ARN, regional={"EU": EU_ARN, "FE": FE_ARN})
    assert manifest["apis"]["custom"] == {
        "endpoint": {"uri": NA_ARN},
        "regions": {"EU": {"endpoint": {"uri": EU_ARN}}, "FE": {"endpoint": {"uri": FE_ARN}}},
    }
    assert "code" not in profile
    far = bsp.Deployment(endpoint=NA_ARN, regional={"FE": EU_ARN})
    assert any("eu-west-1" in note and "us-west-2" in note for note in far.notes(["NA", "FE"]))


def test_the_region_of_each_locale() -> None:
    source = bsp.load_manifest_source()
    region_of = {
        locale: bsp.served_regions(entry["distributionCountries"])
        for locale, entry in source["locales"].items()
    }
    assert region_of == {
        "en-US": ["NA"], "es-US": ["NA"], "en-CA": ["NA"],
        "en-GB": ["EU"], "en-IN": ["EU"], "en-AU": ["FE"],
    }  # fmt: skip


@pytest.mark.parametrize(
    ("deployment", "message"),
    [
        ({"regional": {"EU": EU_ARN}}, "need a default endpoint"),
        ({"endpoint": NA_ARN, "regional": {"APAC": FE_ARN}}, "unknown Alexa regions"),
        ({"endpoint": NA_ARN, "regional": {"EU": HTTPS}}, "mixed endpoint kinds"),
        ({"endpoint": NA_ARN, "ssl_certificate_type": "Wildcard"}, "https:// endpoint only"),
        ({"ssl_certificate_type": "Trusted"}, "https:// endpoint only"),
        ({"endpoint": NA_ARN, "nearest_regions": True}, "--region-endpoint"),
        ({"endpoint": "http://skill.example/"}, "Lambda function ARN or an https:// URL"),
        ({"endpoint": HTTPS, "ssl_certificate_type": "LetsEncrypt"}, "SSL certificate type"),
    ],
)
def test_deployments_that_cannot_work_are_refused(
    tmp_path: Path, deployment: dict[str, Any], message: str
) -> None:
    with pytest.raises(bsp.BuildError, match=message):
        build(tmp_path, **deployment)
    assert not (tmp_path / "ask-resources.json").exists()


def test_regional_endpoints_from_the_command_line(tmp_path: Path) -> None:
    assert bsp.main(["--out", str(tmp_path), "--endpoint", NA_ARN,
                     "--region-endpoint", f"eu={EU_ARN}"]) == 0  # fmt: skip
    manifest = json.loads((tmp_path / "skill-package" / "skill.json").read_text("utf-8"))
    assert manifest["manifest"]["apis"]["custom"]["regions"] == {
        "EU": {"endpoint": {"uri": EU_ARN}}
    }
    assert bsp.main(["--out", str(tmp_path), "--endpoint", NA_ARN, "--region-endpoint", "EU"]) == 1
