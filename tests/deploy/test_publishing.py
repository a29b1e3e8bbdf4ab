"""Certification checks, offline, in the manifest build: each refusal shown with a broken manifest,
and the built manifest's privacy and compliance answers against docs/publishing.md.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from deploy_support import ROOT, TOOLS, build_skill_package

bsp = build_skill_package
PUBLISHING = ROOT / "docs" / "publishing.md"
HTTPS = "https://skill.example/"


@pytest.fixture(autouse=True)
def no_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SKILL_ENDPOINT", "PRIVACY_POLICY_URL", "ALEXA_SKILL_ID", "SSL_CERTIFICATE_TYPE",
                 "NEAREST_REGIONS", "CERTIFICATION"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    """A copy of tools/ (manifest source, locales, icons) to break one thing in."""
    copy = tmp_path / "tools"
    shutil.copytree(TOOLS, copy, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return copy


def edit_yaml(path: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    data = yaml.safe_load(path.read_text("utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def build_from(sources: Path, **options: Any) -> dict[str, Any]:
    out = sources.parent / "out"
    bsp.build(out, manifest_source=sources / "skill_manifest.yaml", icons_dir=sources / "icons",
              **options)  # fmt: skip
    manifest: dict[str, Any] = json.loads((out / "skill-package" / "skill.json").read_text())
    return manifest["manifest"]


def test_the_unbroken_copy_builds(sources: Path) -> None:
    manifest = build_from(sources)
    for info in manifest["publishingInformation"]["locales"].values():
        assert info["smallIconUri"] == "file://assets/images/small.png"
        assert info["largeIconUri"] == "file://assets/images/large.png"


# --- example phrases ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "phrase"),
    [
        ("en-US", "Alexa, ask care compass for help"),  # the built-in help: no sample
        ("en-GB", "Alexa, ask care compass to book me a doctor"),
        ("es-US", "Alexa, pregúntale a brújula de cuidado qué puedo decir"),
    ],
)
def test_an_example_phrase_that_is_no_sample_is_refused(
    sources: Path, locale: str, phrase: str
) -> None:
    edit_yaml(sources / "manifest_locales" / f"{locale}.yaml",
              lambda data: data["examplePhrases"].__setitem__(1, phrase))  # fmt: skip
    with pytest.raises(bsp.BuildError, match=rf"{locale} examplePhrases\[1\].*sample utterances"):
        build_from(sources)


def test_example_phrases_with_filled_slots_are_samples() -> None:
    from skill.simulator import is_sample_phrase

    model = json.loads((ROOT / "interaction_model" / "en-US.json").read_text("utf-8"))

    def is_sample(phrase: str) -> bool:
        return is_sample_phrase("en-US", phrase, model)

    assert is_sample("spotting after sex")  # "{amount} after sex"
    assert is_sample("is it normal to bleed after sex")
    assert not is_sample("help") and not is_sample("order a pizza")


# --- icons ----------------------------------------------------------------------------------------


def test_a_missing_icon_is_refused(sources: Path) -> None:
    (sources / "icons" / "large.png").unlink()
    with pytest.raises(bsp.BuildError, match=r"large\.png is missing"):
        build_from(sources)


def test_an_icon_of_the_wrong_size_is_refused(sources: Path) -> None:
    shutil.copy(sources / "icons" / "large.png", sources / "icons" / "small.png")
    with pytest.raises(bsp.BuildError, match=r"512 x 512: smallIconUri must be 108 x 108"):
        build_from(sources)


def test_an_icon_that_is_not_a_png_is_refused(sources: Path) -> None:
    (sources / "icons" / "small.png").write_bytes(b"GIF89a" + b"\0" * 40)
    with pytest.raises(bsp.BuildError, match="not a PNG"):
        build_from(sources)


def test_the_icons_are_the_plain_generated_ones() -> None:
    """tools/icons/ holds exactly what tools/make_icons.py writes: no words, no imagery."""
    import make_icons

    for name, size in make_icons.SIZES.items():
        path = TOOLS / "icons" / name
        assert bsp.png_size(path) == (size, size)
        assert path.read_bytes() == make_icons.png(size), "regenerate with tools/make_icons.py"
    assert {name: size for _, (name, size) in bsp.ICONS.items()} == make_icons.SIZES


# --- the health disclaimer ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "disclaimer", "lacking"),
    [
        ("en-US", "Care Compass gives general information only. It is not a diagnosis.",
         "not a substitute for professional medical"),
        ("en-GB", "Care Compass gives general information only. It is not a diagnosis and not a "
         "substitute for professional medical advice.", "emergency number 999"),
        ("es-US", "Brújula de Cuidado ofrece información general. Llame al {emergency_number}.",
         "no es un diagnóstico"),
    ],
)  # fmt: skip
def test_a_description_without_the_health_disclaimer_is_refused(
    sources: Path, locale: str, disclaimer: str, lacking: str
) -> None:
    edit_yaml(sources / "manifest_locales" / f"{locale}.yaml",
              lambda data: data.__setitem__("disclaimer", disclaimer))  # fmt: skip
    with pytest.raises(bsp.BuildError, match=f"{locale}: the description's health disclaimer"):
        try:
            build_from(sources)
        except bsp.BuildError as error:
            assert lacking in str(error)
            raise


def test_a_locale_without_a_disclaimer_is_refused(sources: Path) -> None:
    edit_yaml(sources / "manifest_locales" / "en-AU.yaml", lambda data: data.pop("disclaimer"))
    with pytest.raises(bsp.BuildError, match=r"en-AU: \['disclaimer'\] missing"):
        build_from(sources)


# --- the privacy policy ---------------------------------------------------------------------------


def test_certification_refuses_a_locale_without_a_privacy_policy(sources: Path) -> None:
    with pytest.raises(bsp.BuildError, match="no privacy policy URL"):
        build_from(sources, certification=True)
    # One locale with its own policy is not enough: the others still have none.
    edit_yaml(
        sources / "manifest_locales" / "en-GB.yaml",
        lambda data: data.__setitem__("privacyPolicyUrl", "https://uk.example/privacy"),
    )
    with pytest.raises(bsp.BuildError, match=r"en-AU: no privacy policy URL"):  # fmt: skip
        build_from(sources, certification=True)


@pytest.mark.parametrize(
    "options",
    [
        {"privacy_policy_url": "https://care-compass.example/privacy"},
        {"deployment": bsp.Deployment(endpoint=HTTPS)},
    ],
)
def test_certification_passes_with_a_privacy_policy(sources: Path, options: dict[str, Any]) -> None:
    manifest = build_from(sources, certification=True, **options)
    policies = manifest["privacyAndCompliance"]["locales"]
    assert sorted(policies) == sorted(manifest["publishingInformation"]["locales"])


def test_certification_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CERTIFICATION", "1")
    assert bsp.main(["--out", str(tmp_path)]) == 1
    assert "no privacy policy URL" in capsys.readouterr().err
    monkeypatch.setenv("PRIVACY_POLICY_URL", "https://care-compass.example/privacy")
    assert bsp.main(["--out", str(tmp_path)]) == 0


# --- privacy and compliance answers ---------------------------------------------------------------


def documented_answers() -> dict[str, bool]:
    """The `| `key` | answer | why |` rows of docs/publishing.md's privacy and compliance table."""
    rows = re.findall(r"^\| `(\w+)` \| (true|false) \|", PUBLISHING.read_text("utf-8"), re.M)
    return {key: value == "true" for key, value in rows}


def test_the_built_manifest_answers_as_docs_publishing_says(sources: Path) -> None:
    documented = documented_answers()
    assert set(documented) == {"allowsPurchases", "usesPersonalInfo", "isChildDirected",
                               "isExportCompliant", "containsAds", "usesHealthInfo"}  # fmt: skip
    privacy = build_from(sources)["privacyAndCompliance"]
    assert {key: privacy[key] for key in documented} == documented


def test_every_answer_has_its_reason_beside_it() -> None:
    text = (TOOLS / "skill_manifest.yaml").read_text("utf-8")
    block = text[text.index("privacyAndCompliance:") :].splitlines()[1:]
    for number, line in enumerate(block):
        if re.match(r"^  \w+: (true|false)$", line):
            assert block[number - 1].lstrip().startswith("#"), f"no reason above {line.strip()!r}"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda p: p.__setitem__("isChildDirected", True), "isChildDirected must be false"),
        (lambda p: p.__setitem__("usesHealthInfo", True), "distributed in the US only"),
        (lambda p: p.__setitem__("usesHealthInfo", "maybe"), "must be true or false"),
    ],
)
def test_answers_that_misstate_the_skill_are_refused(
    sources: Path, edit: Callable[[dict[str, Any]], None], message: str
) -> None:
    edit_yaml(sources / "skill_manifest.yaml", lambda data: edit(data["privacyAndCompliance"]))
    with pytest.raises(bsp.BuildError, match=message):
        build_from(sources, privacy_policy_url="https://care-compass.example/privacy")


def test_a_hipaa_eligible_build_is_us_only_with_a_privacy_policy(sources: Path) -> None:
    edit_yaml(
        sources / "skill_manifest.yaml",
        lambda data: data["privacyAndCompliance"].__setitem__("usesHealthInfo", True),
    )
    for locale in ("en-GB", "en-CA", "en-AU", "en-IN"):
        (sources / "manifest_locales" / f"{locale}.yaml").unlink()
    models = sources.parent / "models"
    models.mkdir()
    for locale in ("en-US", "es-US"):
        shutil.copy(ROOT / "interaction_model" / f"{locale}.json", models)
    out = sources.parent / "out"
    with pytest.raises(bsp.BuildError, match="needs a privacy policy URL"):
        bsp.build(out, manifest_source=sources / "skill_manifest.yaml", models_dir=models,
                  icons_dir=sources / "icons")  # fmt: skip
    bsp.build(
        out,
        manifest_source=sources / "skill_manifest.yaml",
        models_dir=models,
        icons_dir=sources / "icons",
        privacy_policy_url="https://clinic.example/privacy",
    )
    manifest = json.loads((out / "skill-package" / "skill.json").read_text())["manifest"]
    assert manifest["privacyAndCompliance"]["usesHealthInfo"] is True
    assert manifest["publishingInformation"]["distributionCountries"] == ["US"]


# --- the publishing guide -------------------------------------------------------------------------


def test_the_publishing_guide_names_its_sources_with_dates() -> None:
    text = PUBLISHING.read_text("utf-8")
    for page in (
        "policy-requirements-for-an-alexa-skill.html",
        "certification-requirements-for-custom-skills.html",
        "requirements-for-hipaa-eligible-skills.html",
        "skill-beta-tester-api.html",
    ):
        assert re.search(rf"https://developer\.amazon\.com/\S*{re.escape(page)}", text), page
    assert re.search(r"read on \d{4}-\d{2}-\d{2}", text)
    assert "ask deploy --target skill-metadata" in (ROOT / "docs" / "deployment.md").read_text()
