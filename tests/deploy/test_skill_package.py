"""The ASK CLI project `make skill-package` assembles: skill.json, the models, ask-resources.json.

The ASK CLI cannot validate a skill package offline, so the manifest and each model are read with
the SMAPI model classes (ask-smapi-model) and written back: a misspelt or misplaced key is dropped
on the way, and the round trip no longer gives the same JSON.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from ask_sdk_core.serialize import DefaultSerializer
from ask_smapi_model.v1.skill.interaction_model.interaction_model_data import (
    InteractionModelData,
)
from ask_smapi_model.v1.skill.manifest.skill_manifest_envelope import SkillManifestEnvelope
from deploy_support import ROOT, SKILL_ID, build_skill_package

MODEL_DIR = ROOT / "interaction_model"
MODELS = sorted(MODEL_DIR.glob("*.json"))
LAMBDA_ARN = "arn:aws:lambda:us-east-1:123456789012:function:care-compass"
PRIVACY_URL = "https://care-compass.example/privacy"
# "Not a diagnosis", in the language of each manifest locale.
NOT_A_DIAGNOSIS = {"en": "not a diagnosis", "es": "No es un diagnóstico"}
DISCLAIMER = (
    "Care Compass gives general information only. It is not a diagnosis and not a substitute for "
    "professional medical advice. If you think you have an emergency, call {number} (your local "
    "emergency number)."
)
serializer = DefaultSerializer()


def emergency_number(locale: str) -> str:
    data = yaml.safe_load((ROOT / "skill" / "content" / locale / "locale.yaml").read_text("utf-8"))
    return str(data["services"]["emergency_number"])


def round_trip(text: str, model_class: type) -> tuple[Any, Any]:
    """(the SMAPI object, the JSON it writes back) for `text`."""
    model_object = serializer.deserialize(text, model_class)
    return model_object, serializer.serialize(model_object)


@pytest.fixture(autouse=True)
def no_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SKILL_ENDPOINT", "PRIVACY_POLICY_URL", "ALEXA_SKILL_ID"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    build_skill_package.build(tmp_path)
    return tmp_path


def read_json(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))


def test_the_manifest_survives_the_smapi_model_classes(project: Path) -> None:
    text = (project / "skill-package" / "skill.json").read_text("utf-8")
    envelope, written = round_trip(text, SkillManifestEnvelope)
    assert written == json.loads(text)
    manifest = envelope.manifest
    assert manifest.manifest_version.value == "1.0"
    publishing = manifest.publishing_information
    assert publishing.category == "HEALTH_AND_FITNESS"
    assert publishing.locales["en-US"].name == "Care Compass"
    countries = {
        country
        for entry in build_skill_package.load_manifest_source()["locales"].values()
        for country in entry["distributionCountries"]
    }
    assert sorted(country.value for country in publishing.distribution_countries) == sorted(
        countries
    )
    assert publishing.is_available_worldwide is False
    privacy = manifest.privacy_and_compliance
    assert privacy.uses_health_info is False
    assert privacy.uses_personal_info is False
    assert privacy.allows_purchases is False
    assert privacy.contains_ads is False
    assert privacy.is_child_directed is False
    assert privacy.is_export_compliant is True


def test_every_interaction_model_survives_the_smapi_model_classes(project: Path) -> None:
    assert MODELS
    for source in MODELS:
        copied = project / "skill-package" / "interactionModels" / "custom" / source.name
        assert copied.read_bytes() == source.read_bytes()
        model, written = round_trip(copied.read_text("utf-8"), InteractionModelData)
        assert written == read_json(source), source.name
        invocation = read_json(source)["interactionModel"]["languageModel"]["invocationName"]
        assert model.interaction_model.language_model.invocation_name == invocation


def test_every_model_locale_is_published_with_the_disclaimer(project: Path) -> None:
    manifest = read_json(project / "skill-package" / "skill.json")["manifest"]
    locales = manifest["publishingInformation"]["locales"]
    assert sorted(locales) == sorted(path.stem for path in MODELS)
    sources = build_skill_package.load_manifest_source()["locales"]
    for locale, info in locales.items():
        number = emergency_number(locale)
        description = info["description"]
        not_a_diagnosis = NOT_A_DIAGNOSIS[locale.split("-")[0]]
        assert not_a_diagnosis in description
        assert number in description
        disclaimer = " ".join(sources[locale]["disclaimer"].split())
        assert description.endswith(disclaimer.format(emergency_number=number))
        if locale.startswith("en-"):
            assert description.endswith(DISCLAIMER.format(number=number))
        assert len(description) <= 4000 and len(info["summary"]) <= 160
        phrases = info["examplePhrases"]
        invocation = read_json(MODEL_DIR / f"{locale}.json")["interactionModel"]["languageModel"][
            "invocationName"
        ]
        opener = build_skill_package.OPENERS[locale.split("-")[0]]
        assert phrases[0].lower() in {f"alexa, {word} {invocation}" for word in opener.open}
        assert all(invocation in phrase.lower() for phrase in phrases[1:])
        assert 1 <= len(phrases) <= 3 and info["keywords"]


def test_without_settings_there_is_no_endpoint_and_no_invented_privacy_url(project: Path) -> None:
    manifest = read_json(project / "skill-package" / "skill.json")["manifest"]
    assert manifest["apis"] == {"custom": {}}
    assert "locales" not in manifest["privacyAndCompliance"]


def test_endpoint_privacy_url_and_skill_id_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SKILL_ENDPOINT", LAMBDA_ARN)
    monkeypatch.setenv("PRIVACY_POLICY_URL", PRIVACY_URL)
    monkeypatch.setenv("ALEXA_SKILL_ID", SKILL_ID)
    assert build_skill_package.main(["--out", str(tmp_path)]) == 0
    text = (tmp_path / "skill-package" / "skill.json").read_text("utf-8")
    envelope, written = round_trip(text, SkillManifestEnvelope)
    assert written == json.loads(text)
    assert envelope.manifest.apis.custom.endpoint.uri == LAMBDA_ARN
    assert envelope.manifest.apis.custom.endpoint.ssl_certificate_type is None
    for locale in (path.stem for path in MODELS):
        policy = envelope.manifest.privacy_and_compliance.locales[locale]
        assert policy.privacy_policy_url == PRIVACY_URL
    # A Lambda deployed with SAM: ask deploy has no code to deploy and must not create one.
    profile = read_json(tmp_path / "ask-resources.json")["profiles"]["default"]
    assert set(profile) == {"skillMetadata"}
    out = capsys.readouterr().out
    assert "deployment path: lambda-arn" in out and "--target skill-metadata" in out


def test_the_skill_id_goes_to_the_lambda_the_ask_cli_deploys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALEXA_SKILL_ID", SKILL_ID)
    assert build_skill_package.main(["--out", str(tmp_path)]) == 0
    resources = read_json(tmp_path / "ask-resources.json")
    variables = resources["profiles"]["default"]["skillInfrastructure"]["userConfig"]["lambda"][
        "environmentVariables"
    ]
    assert variables == {"LOG_LEVEL": "INFO", "ALEXA_SKILL_ID": SKILL_ID}


def test_an_https_endpoint_has_a_trusted_certificate_unless_told_otherwise(tmp_path: Path) -> None:
    build_skill_package.build(tmp_path, endpoint="https://skill.example/alexa")
    manifest = read_json(tmp_path / "skill-package" / "skill.json")["manifest"]
    assert manifest["apis"]["custom"]["endpoint"] == {
        "uri": "https://skill.example/alexa",
        "sslCertificateType": "Trusted",
    }


@pytest.mark.parametrize(
    "options",
    [
        {"endpoint": "http://skill.example/alexa"},
        {"endpoint": "care-compass"},
        {"privacy_policy_url": "http://care-compass.example/privacy"},
        {"skill_id": "my-skill"},
    ],
)
def test_wrong_settings_are_refused(tmp_path: Path, options: dict[str, str]) -> None:
    with pytest.raises(build_skill_package.BuildError):
        build_skill_package.build(tmp_path, **options)
    assert not (tmp_path / "skill-package").exists()


def test_ask_resources_point_the_lambda_deployer_at_the_built_folder(project: Path) -> None:
    resources = read_json(project / "ask-resources.json")
    assert resources["askcliResourcesVersion"] == "2020-03-31"
    profile = resources["profiles"]["default"]
    assert profile["skillMetadata"]["src"] == "./skill-package"
    assert profile["code"]["default"]["src"] == "./dist/lambda"
    infrastructure = profile["skillInfrastructure"]
    assert infrastructure["type"] == "@ask-cli/lambda-deployer"
    user_config = infrastructure["userConfig"]
    assert user_config["runtime"] == "python3.12"
    assert user_config["handler"] == "lambda_function.lambda_handler"
    assert user_config["lambda"]["timeout"] < 8


def test_a_rebuild_keeps_what_the_ask_cli_recorded(project: Path) -> None:
    path = project / "ask-resources.json"
    resources = read_json(path)
    profile = resources["profiles"]["default"]
    profile["skillId"] = SKILL_ID
    profile["skillMetadata"]["lastDeployHash"] = "abc"
    infrastructure = profile["skillInfrastructure"]
    infrastructure["userConfig"]["awsRegion"] = "eu-west-1"
    infrastructure["deployState"] = {"default": {"lambda": {"arn": LAMBDA_ARN}}}
    path.write_text(json.dumps(resources), "utf-8")
    build_skill_package.build(project)
    rebuilt = read_json(path)
    assert rebuilt == resources


def test_a_model_without_publishing_information_fails_the_build(tmp_path: Path) -> None:
    models = tmp_path / "models"
    models.mkdir()
    for path in MODELS:
        shutil.copy(path, models / path.name)
    shutil.copy(MODELS[0], models / "xx-XX.json")
    with pytest.raises(build_skill_package.BuildError, match="xx-XX"):
        build_skill_package.build(tmp_path / "out", models_dir=models)


def test_a_model_locale_removed_from_interaction_model_is_removed_from_the_package(
    project: Path,
) -> None:
    stale = project / "skill-package" / "interactionModels" / "custom" / "xx-XX.json"
    stale.write_text("{}", "utf-8")
    build_skill_package.build(project)
    assert not stale.exists()


@pytest.mark.parametrize(
    "phrases",
    [
        ["Alexa, ask care compass for help"],
        # The built-in help intent has no sample utterance: certification refuses the phrase.
        ["Alexa, open care compass", "Alexa, ask care compass for help"],
        ["Alexa, open care compass", "Alexa, ask care compass to order a pizza"],
        ["Alexa, open care compass", "Alexa, ask my doctor about spotting after sex"],
        ["Alexa, open care compass", *["Alexa, ask care compass for help"] * 3],
    ],
)
def test_example_phrases_must_open_the_skill_or_use_a_sample(phrases: list[str]) -> None:
    model = read_json(MODELS[0])
    build_skill_package.check_example_phrases("en-US", ["Alexa, open care compass"], model)
    with pytest.raises(build_skill_package.BuildError):
        build_skill_package.check_example_phrases("en-US", phrases, model)


def test_the_manifest_source_is_discreet_about_example_phrases() -> None:
    source = build_skill_package.load_manifest_source()
    for info in source["locales"].values():
        for phrase in info["examplePhrases"]:
            words = phrase.lower()
            assert not any(word in words for word in ("blood", "bleeding", "vagina", "pregnan"))
