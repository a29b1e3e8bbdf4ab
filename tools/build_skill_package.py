#!/usr/bin/env python3
"""Assemble the ASK CLI project: ask-resources.json and skill-package/ at the repository root.

    python tools/build_skill_package.py [--out .] [--endpoint ARN_OR_URL]
        [--privacy-policy-url URL] [--skill-id amzn1.ask.skill.<uuid>]

- skill-package/skill.json from tools/skill_manifest.yaml: publishing information for every locale
  that has an interaction model (each description ends with the health disclaimer), privacy and
  compliance, and apis.custom. With an endpoint (a Lambda ARN, or an HTTPS URL served with a
  trusted certificate) it goes into apis.custom.endpoint; without one apis.custom has no endpoint
  and the ASK CLI's Lambda deployer fills it in when it deploys.
- skill-package/interactionModels/custom/<locale>.json: copies of interaction_model/<locale>.json.
- ask-resources.json: skill metadata from ./skill-package, code from ./dist/lambda (the folder
  `make lambda` builds: the skill package and its dependencies, already vendored), deployed with
  @ask-cli/lambda-deployer (python3.12). An existing ask-resources.json keeps what the CLI recorded
  (skill id, deploy state, hashes, and any other userConfig); only the fields above are set.

Options default to the environment: SKILL_ENDPOINT, PRIVACY_POLICY_URL, ALEXA_SKILL_ID. Nothing is
invented: without a privacy policy URL the manifest has none (fine for development; certification
needs a real one).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
MANIFEST_SOURCE = ROOT / "tools" / "skill_manifest.yaml"
MANIFEST_LOCALES = ROOT / "tools" / "manifest_locales"
MODELS_DIR = ROOT / "interaction_model"
CONTENT_DIR = ROOT / "skill" / "content"

LAMBDA_FOLDER = "./dist/lambda"
RUNTIME = "python3.12"
HANDLER = "lambda_function.lambda_handler"
LAMBDA_CONFIG = {"memorySize": 256, "timeout": 7}  # as in lambda/template.yaml; Alexa waits 8 s
LOG_LEVEL = "INFO"

SKILL_ID = re.compile(r"^amzn1\.ask\.skill\.[0-9a-fA-F-]{36}$")
LAMBDA_ARN = re.compile(r"^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[\w-]+(:[\w$-]+)?$")


# How example phrases open the skill, per language (the locale's first part): the phrase that
# opens it, the phrases that ask it something, the words that may join the invocation name and
# the utterance, and built-in phrases a second example may use instead of a sample.
@dataclass(frozen=True)
class Openers:
    open: tuple[str, ...]
    ask: tuple[str, ...]
    connecting: tuple[str, ...]
    built_in: tuple[str, ...]


OPENERS = {
    "en": Openers(
        ("open",), ("ask", "tell"), ("to", "for", "about", "if", "whether", "that"), ("help",)
    ),
    "es": Openers(
        ("abre",),
        ("pregúntale a", "pídele a", "dile a"),
        ("que", "si", "sobre"),
        ("ayuda", "qué puedo decir"),
    ),
}
PUBLISHING_KEYS = ("name", "summary", "examplePhrases", "keywords")


class BuildError(RuntimeError):
    """The skill package would be wrong; the message says why."""


def load_manifest_source(path: Path = MANIFEST_SOURCE) -> dict[str, Any]:
    """The shared manifest source, with each locale's publishing information from its own file
    in manifest_locales/ beside it."""
    source = yaml.safe_load(path.read_text("utf-8")) or {}
    locales = dict(source.get("locales") or {})
    for locale_file in sorted((path.parent / MANIFEST_LOCALES.name).glob("*.yaml")):
        locales[locale_file.stem] = yaml.safe_load(locale_file.read_text("utf-8"))
    source["locales"] = locales
    return dict(source)


def model_locales(models_dir: Path = MODELS_DIR) -> dict[str, Path]:
    """locale -> interaction model file, for every interaction_model/<locale>.json."""
    models = {path.stem: path for path in sorted(models_dir.glob("*.json"))}
    if not models:
        raise BuildError(f"no interaction model in {models_dir}")
    return models


def read_model(path: Path) -> dict[str, Any]:
    try:
        model: dict[str, Any] = json.loads(path.read_text("utf-8"))
        invocation = model["interactionModel"]["languageModel"]["invocationName"]
    except (ValueError, KeyError, TypeError) as error:
        raise BuildError(f"{path}: not an interaction model ({error!r})") from error
    if not isinstance(invocation, str) or not invocation:
        raise BuildError(f"{path}: no invocationName")
    return model


def services(locale: str, content_dir: Path = CONTENT_DIR) -> dict[str, str]:
    """The locale's services (emergency number, ...), as the skill's own words use them."""
    path = content_dir / locale / "locale.yaml"
    if not path.exists():
        raise BuildError(f"{locale} has an interaction model but the skill has no {path}")
    data = yaml.safe_load(path.read_text("utf-8")) or {}
    found = data.get("services") or {}
    if "emergency_number" not in found:
        raise BuildError(f"{path}: services.emergency_number is missing")
    return {str(key): str(value) for key, value in found.items() if not isinstance(value, list)}


def check_example_phrases(locale: str, phrases: Sequence[str], model: Mapping[str, Any]) -> None:
    """Alexa's rules: 1 to 3 phrases; the first opens the skill; the others use a sample."""
    from skill.simulator import is_sample_phrase

    language_model = model["interactionModel"]["languageModel"]
    invocation = language_model["invocationName"].lower()
    where = f"{locale} examplePhrases"
    if not 1 <= len(phrases) <= 3:
        raise BuildError(f"{where}: 1 to 3 phrases, not {len(phrases)}")
    openers = OPENERS.get(locale.split("-")[0])
    if openers is None:
        raise BuildError(f"{where}: no launch phrases known for {locale}'s language")
    opening = {f"alexa, {word} {invocation}" for word in openers.open}
    if phrases[0].lower().rstrip(".") not in opening:
        raise BuildError(f"{where}[0] must be one of {sorted(opening)}, not {phrases[0]!r}")
    lead = re.compile(
        rf"^alexa, (?:{'|'.join(map(re.escape, openers.ask))}) {re.escape(invocation)} "
        rf"(?P<utterance>.+?)\.?$"
    )
    for index, phrase in enumerate(phrases[1:], start=1):
        match = lead.match(phrase.lower())
        if not match:
            raise BuildError(f"{where}[{index}] must start 'Alexa, {openers.ask[0]} {invocation}'")
        said = match["utterance"]
        first, _, rest = said.partition(" ")
        candidates = [said, rest] if first in openers.connecting else [said]
        if not any(
            utterance in openers.built_in or is_sample_phrase(locale, utterance, model)
            for utterance in candidates
        ):
            raise BuildError(f"{where}[{index}]: {said!r} is none of the model's samples")


def check_endpoint(endpoint: str) -> dict[str, str]:
    if endpoint.startswith("https://"):
        return {"uri": endpoint, "sslCertificateType": "Trusted"}
    if LAMBDA_ARN.match(endpoint):
        return {"uri": endpoint}
    raise BuildError(f"the endpoint must be a Lambda function ARN or an https:// URL: {endpoint!r}")


def build_manifest(
    source: Mapping[str, Any],
    models: Mapping[str, Mapping[str, Any]],
    *,
    endpoint: str | None = None,
    privacy_policy_url: str | None = None,
    content_dir: Path = CONTENT_DIR,
) -> dict[str, Any]:
    """skill.json's content, for the locales in `models`."""
    sources = source.get("locales") or {}
    missing = sorted(set(models) - set(sources))
    if missing:
        raise BuildError(f"interaction models without publishing information: {missing}")
    locales: dict[str, Any] = {}
    countries: list[str] = []
    for locale in sorted(models):
        entry = sources[locale]
        absent = [
            key for key in (*PUBLISHING_KEYS, "description", "disclaimer") if not entry.get(key)
        ]
        if absent:
            raise BuildError(f"{locale}: {absent} missing in the manifest source")
        check_example_phrases(locale, entry["examplePhrases"], models[locale])
        try:
            disclaimer = " ".join(entry["disclaimer"].split()).format_map(
                services(locale, content_dir)
            )
        except KeyError as error:
            raise BuildError(f"{locale} disclaimer: unknown placeholder {error}") from error
        description = entry["description"].rstrip()
        if disclaimer not in description:
            description = f"{description}\n\n{disclaimer}"
        locales[locale] = {key: entry[key] for key in ("name", "summary")}
        locales[locale]["description"] = description
        locales[locale].update({key: list(entry[key]) for key in ("examplePhrases", "keywords")})
        countries += [c for c in entry.get("distributionCountries", []) if c not in countries]
    publishing: dict[str, Any] = {
        "locales": locales,
        "isAvailableWorldwide": not countries,
        "category": source["category"],
    }
    if countries:
        publishing["distributionCountries"] = countries
    if source.get("testingInstructions"):
        publishing["testingInstructions"] = " ".join(source["testingInstructions"].split())
    privacy = dict(source["privacyAndCompliance"])
    if privacy.get("usesHealthInfo") is not False:
        raise BuildError("privacyAndCompliance.usesHealthInfo must be false: nothing is stored")
    if privacy_policy_url:
        if not privacy_policy_url.startswith("https://"):
            raise BuildError(f"the privacy policy URL must be https://: {privacy_policy_url!r}")
        privacy["locales"] = {loc: {"privacyPolicyUrl": privacy_policy_url} for loc in locales}
    custom: dict[str, Any] = {}
    if endpoint:
        custom["endpoint"] = check_endpoint(endpoint)
    return {
        "manifest": {
            "manifestVersion": str(source.get("manifestVersion", "1.0")),
            "publishingInformation": publishing,
            "privacyAndCompliance": privacy,
            "apis": {"custom": custom},
        }
    }


def ask_resources(existing: Mapping[str, Any] | None, skill_id: str | None) -> dict[str, Any]:
    """ask-resources.json: our fields set, everything the ASK CLI recorded kept."""
    resources = json.loads(json.dumps(existing or {}))  # a deep copy
    resources["askcliResourcesVersion"] = "2020-03-31"
    profile = resources.setdefault("profiles", {}).setdefault("default", {})
    profile.setdefault("skillMetadata", {})["src"] = "./skill-package"
    profile.setdefault("code", {}).setdefault("default", {})["src"] = LAMBDA_FOLDER
    infrastructure = profile.setdefault("skillInfrastructure", {})
    infrastructure["type"] = "@ask-cli/lambda-deployer"
    user_config = infrastructure.setdefault("userConfig", {})
    user_config.update({"runtime": RUNTIME, "handler": HANDLER})
    lambda_config = user_config.setdefault("lambda", {})
    lambda_config.update(LAMBDA_CONFIG)
    variables = lambda_config.setdefault("environmentVariables", {})
    variables["LOG_LEVEL"] = LOG_LEVEL
    if skill_id:
        variables["ALEXA_SKILL_ID"] = skill_id
    return resources


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")


def build(
    out: Path = ROOT,
    *,
    endpoint: str | None = None,
    privacy_policy_url: str | None = None,
    skill_id: str | None = None,
    manifest_source: Path = MANIFEST_SOURCE,
    models_dir: Path = MODELS_DIR,
    content_dir: Path = CONTENT_DIR,
) -> list[Path]:
    """Write the ASK CLI project files under `out`; return them."""
    if skill_id and not SKILL_ID.match(skill_id):
        raise BuildError(f"not an Alexa skill id: {skill_id!r}")
    model_files = model_locales(models_dir)
    models = {locale: read_model(path) for locale, path in model_files.items()}
    source = load_manifest_source(manifest_source)
    manifest = build_manifest(
        source,
        models,
        endpoint=endpoint,
        privacy_policy_url=privacy_policy_url,
        content_dir=content_dir,
    )
    package = out / "skill-package"
    custom_dir = package / "interactionModels" / "custom"
    custom_dir.mkdir(parents=True, exist_ok=True)
    for stale in sorted(custom_dir.glob("*.json")):  # a model removed from interaction_model/
        stale.unlink()
    written = [package / "skill.json"]
    _write_json(written[0], manifest)
    for locale, path in model_files.items():
        target = custom_dir / f"{locale}.json"
        target.write_bytes(path.read_bytes())
        written.append(target)
    resources_path = out / "ask-resources.json"
    existing = json.loads(resources_path.read_text("utf-8")) if resources_path.exists() else None
    _write_json(resources_path, ask_resources(existing, skill_id))
    written.append(resources_path)
    return written


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--out", type=Path, default=ROOT, help="project root (the repository)")
    parser.add_argument(
        "--endpoint",
        default=os.environ.get("SKILL_ENDPOINT") or None,
        help="Lambda ARN or https:// URL for apis.custom.endpoint (env SKILL_ENDPOINT)",
    )
    parser.add_argument(
        "--privacy-policy-url",
        default=os.environ.get("PRIVACY_POLICY_URL") or None,
        help="https:// URL of the privacy policy, for every locale (env PRIVACY_POLICY_URL)",
    )
    parser.add_argument(
        "--skill-id",
        default=os.environ.get("ALEXA_SKILL_ID") or None,
        help="the skill id, set as ALEXA_SKILL_ID on the Lambda function (env ALEXA_SKILL_ID)",
    )
    args = parser.parse_args(None if argv is None else list(argv))
    try:
        written = build(
            args.out,
            endpoint=args.endpoint,
            privacy_policy_url=args.privacy_policy_url,
            skill_id=args.skill_id,
        )
    except BuildError as error:
        print(f"build_skill_package: {error}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path}")
    if not args.endpoint:
        print("no endpoint: the ASK CLI's Lambda deployer sets apis.custom.endpoint on deploy")
    if not args.privacy_policy_url:
        print("no privacy policy URL: set PRIVACY_POLICY_URL before submitting for certification")
    if not (args.out / LAMBDA_FOLDER).is_dir():
        print(f"note: {LAMBDA_FOLDER} does not exist yet; `make lambda` builds it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
