#!/usr/bin/env python3
"""Assemble the ASK CLI project: ask-resources.json and skill-package/ at the repository root.

    python tools/build_skill_package.py [--out .] [--endpoint ARN_OR_URL]
        [--region-endpoint EU=ARN_OR_URL ...] [--nearest-regions]
        [--ssl-certificate-type Trusted|Wildcard|SelfSigned]
        [--privacy-policy-url URL] [--skill-id amzn1.ask.skill.<uuid>] [--certification]

The endpoint decides the deployment path (docs/deployment.md), and ask-resources.json is built
for it, so that a plain `ask deploy` never replaces an endpoint deployed some other way:
- no endpoint: the ASK CLI's Lambda deployer creates and updates the function (python3.12, code
  from ./dist/lambda, which `make lambda` builds) and writes its ARN into the manifest. With
  --nearest-regions it deploys one function per Alexa region the skill is distributed in (North
  America us-east-1, Europe eu-west-1, Far East us-west-2) through regionalOverrides.
- a Lambda ARN (deployed with SAM, lambda/template.yaml): the manifest carries the ARN, and
  ask-resources.json has no code and no skillInfrastructure, so `ask deploy` (and `ask deploy
  --target skill-metadata`) only uploads the skill package and the models.
- an https:// URL (the Flask endpoint behind TLS): the same, with apis.custom.endpoint's
  sslCertificateType set by --ssl-certificate-type (Trusted by default).
--region-endpoint EU=... / FE=... / NA=... adds apis.custom.regions: each Alexa region's requests go
to the endpoint nearest to it (the SAM template deployed once per AWS region).

skill-package/skill.json comes from tools/skill_manifest.yaml and tools/manifest_locales/, for
every locale that has an interaction model, checked offline as certification would check it:
- the example phrases: the first opens the skill, the others ask it one of the locale model's
  sample utterances (slots filled with their values);
- every description ends with the health disclaimer (general information, not a diagnosis, not a
  substitute for professional advice, the locale's emergency number);
- the icons (tools/icons/small.png and large.png, PNG of 108 x 108 and 512 x 512 pixels), shipped
  as skill-package/assets/images/ and referenced as file:// URIs the ASK CLI uploads;
- privacyAndCompliance as tools/skill_manifest.yaml answers it (docs/publishing.md says why);
  usesHealthInfo may only be true for a HIPAA-eligible skill (US only, privacy policy, not
  child-directed);
- the privacy policy URL: <https endpoint>/privacy when the endpoint is HTTPS (the endpoint serves
  that page), else --privacy-policy-url, else a locale's own privacyPolicyUrl. With --certification
  (CERTIFICATION=1) a locale without one fails the build; without it the build says so.
skill-package/interactionModels/custom/<locale>.json are copies of interaction_model/<locale>.json.
An existing ask-resources.json keeps what the CLI recorded (skill id, hashes, deploy state of the
regions still deployed, other userConfig); only the fields above are set.

Options default to the environment: SKILL_ENDPOINT, SKILL_ENDPOINT_NA/_EU/_FE, NEAREST_REGIONS=1,
SSL_CERTIFICATE_TYPE, PRIVACY_POLICY_URL, ALEXA_SKILL_ID, CERTIFICATION=1.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import struct
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
MANIFEST_SOURCE = ROOT / "tools" / "skill_manifest.yaml"
MANIFEST_LOCALES = ROOT / "tools" / "manifest_locales"
MODELS_DIR = ROOT / "interaction_model"
CONTENT_DIR = ROOT / "skill" / "content"
ICONS_DIR = ROOT / "tools" / "icons"

LAMBDA_FOLDER = "./dist/lambda"
RUNTIME = "python3.12"
HANDLER = "lambda_function.lambda_handler"
LAMBDA_CONFIG = {"memorySize": 256, "timeout": 7}  # as in lambda/template.yaml; Alexa waits 8 s
LOG_LEVEL = "INFO"

SKILL_ID = re.compile(r"^amzn1\.ask\.skill\.[0-9a-fA-F-]{36}$")
LAMBDA_ARN = re.compile(
    r"^arn:aws[a-z-]*:lambda:(?P<region>[a-z0-9-]+):\d{12}:function:[\w-]+(:[\w$-]+)?$"
)

# Deployment paths, named after who deploys the code.
ASK_CLI_LAMBDA, LAMBDA_ARN_PATH, HTTPS_PATH = "ask-cli-lambda", "lambda-arn", "https"
SSL_CERTIFICATE_TYPES = ("Trusted", "Wildcard", "SelfSigned")

# Alexa's three service regions and the AWS region nearest each (the ASK CLI's own defaults,
# lib/controllers/skill-infrastructure-controller: NA us-east-1, EU eu-west-1, FE us-west-2), and
# the region that serves each country this skill is distributed in (docs/deployment.md).
ALEXA_REGIONS = {"NA": "us-east-1", "EU": "eu-west-1", "FE": "us-west-2"}
COUNTRY_REGION = {"US": "NA", "CA": "NA", "MX": "NA", "BR": "NA", "GB": "EU", "IE": "EU",
                  "DE": "EU", "FR": "EU", "ES": "EU", "IT": "EU", "IN": "EU", "JP": "FE",
                  "AU": "FE", "NZ": "FE"}  # fmt: skip

# The icons certification asks for: PNG, exactly these sizes.
ICONS = {"smallIconUri": ("small.png", 108), "largeIconUri": ("large.png", 512)}
ICON_ASSETS = "assets/images"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# What every description's disclaimer must say, per language (compared in lower case), besides
# the locale's emergency number: information only, not a diagnosis, not professional advice.
DISCLAIMER_MARKERS = {
    "en": ("general information", "not a diagnosis", "not a substitute for professional medical"),
    "es": ("información general", "no es un diagnóstico", "sustituye el consejo de un profesional"),
}
DESCRIPTION_LIMIT = 4000
PRIVACY_PAGE = "privacy"  # the endpoint serves its privacy policy at <endpoint>/privacy


# How example phrases open the skill, per language (the locale's first part): the phrase that
# opens it, the phrases that ask it something, and the words that may join the invocation name
# and the utterance. Everything after those must be one of the model's sample utterances:
# certification wants example phrases "directly from your sample utterances", built-ins included.
@dataclass(frozen=True)
class Openers:
    open: tuple[str, ...]
    ask: tuple[str, ...]
    connecting: tuple[str, ...]


OPENERS = {
    "en": Openers(("open",), ("ask", "tell"), ("to", "for", "about", "if", "whether", "that")),
    "es": Openers(("abre",), ("pregúntale a", "pídele a", "dile a"), ("que", "si", "sobre")),
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
        rf"(?P<utterance>.+?)[.?]?$"
    )
    for index, phrase in enumerate(phrases[1:], start=1):
        match = lead.match(phrase.lower())
        if not match:
            raise BuildError(f"{where}[{index}] must start 'Alexa, {openers.ask[0]} {invocation}'")
        said = match["utterance"]
        first, _, rest = said.partition(" ")
        candidates = [said, rest] if first in openers.connecting else [said]
        if not any(is_sample_phrase(locale, utterance, model) for utterance in candidates):
            raise BuildError(
                f"{where}[{index}]: {said!r} is not among {locale}'s sample utterances "
                "(certification wants example phrases taken from them)"
            )


def check_disclaimer(locale: str, disclaimer: str, emergency_number: str) -> None:
    """The health disclaimer says what certification asks of a health skill's description."""
    markers = DISCLAIMER_MARKERS.get(locale.split("-")[0])
    if markers is None:
        raise BuildError(f"{locale}: no disclaimer wording known for its language")
    text = " ".join(disclaimer.lower().split())
    missing = [marker for marker in markers if marker not in text]
    if emergency_number not in text:
        missing.append(f"the emergency number {emergency_number}")
    if missing:
        raise BuildError(f"{locale}: the description's health disclaimer lacks {missing}")


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) of a PNG file, read from its header; BuildError if it is not one."""
    try:
        head = path.read_bytes()[:24]
    except OSError:
        raise BuildError(
            f"icon {path} is missing (python tools/make_icons.py writes one)"
        ) from None
    if len(head) < 24 or not head.startswith(PNG_SIGNATURE) or head[12:16] != b"IHDR":
        raise BuildError(f"icon {path} is not a PNG file")
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def check_icons(icons_dir: Path) -> dict[str, Path]:
    """manifest key -> icon file, each a PNG of exactly the size certification asks for."""
    found = {}
    for key, (name, size) in ICONS.items():
        path = icons_dir / name
        width, height = png_size(path)
        if (width, height) != (size, size):
            raise BuildError(f"icon {path} is {width} x {height}: {key} must be {size} x {size}")
        found[key] = path
    return found


@dataclass(frozen=True)
class Deployment:
    """Where Alexa sends requests, and so what `ask deploy` may deploy (docs/deployment.md)."""

    endpoint: str | None = None  # default endpoint: NA, and any region without its own
    regional: Mapping[str, str] = field(default_factory=dict)  # Alexa region -> its endpoint
    ssl_certificate_type: str | None = None  # HTTPS only; Trusted when not given
    nearest_regions: bool = False  # the ASK CLI's deployer: a function per region served

    @property
    def path(self) -> str:
        if not self.endpoint:
            return ASK_CLI_LAMBDA
        return HTTPS_PATH if self.endpoint.startswith("https://") else LAMBDA_ARN_PATH

    def check(self) -> None:
        unknown = sorted(set(self.regional) - set(ALEXA_REGIONS))
        if unknown:
            raise BuildError(f"unknown Alexa regions {unknown}: use {sorted(ALEXA_REGIONS)}")
        if self.path == ASK_CLI_LAMBDA:
            if self.regional:
                raise BuildError("regional endpoints need a default endpoint (--endpoint) too")
            if self.ssl_certificate_type:
                raise BuildError("an SSL certificate type goes with an https:// endpoint only")
            return
        if self.nearest_regions:
            raise BuildError(
                "--nearest-regions deploys with the ASK CLI's Lambda deployer: with an endpoint "
                "of your own, give each region's with --region-endpoint instead"
            )
        for uri in [self.endpoint or "", *self.regional.values()]:
            self.endpoint_json(uri)
            if uri.startswith("https://") != (self.path == HTTPS_PATH):
                raise BuildError(f"mixed endpoint kinds: {uri!r} next to {self.endpoint!r}")
        if self.path == LAMBDA_ARN_PATH and self.ssl_certificate_type:
            raise BuildError("an SSL certificate type goes with an https:// endpoint only")

    def endpoint_json(self, uri: str) -> dict[str, str]:
        if uri.startswith("https://"):
            kind = self.ssl_certificate_type or "Trusted"
            if kind not in SSL_CERTIFICATE_TYPES:
                raise BuildError(f"SSL certificate type {kind!r}: one of {SSL_CERTIFICATE_TYPES}")
            return {"uri": uri, "sslCertificateType": kind}
        if LAMBDA_ARN.match(uri):
            return {"uri": uri}
        raise BuildError(f"the endpoint must be a Lambda function ARN or an https:// URL: {uri!r}")

    def custom_api(self) -> dict[str, Any]:
        custom: dict[str, Any] = {}
        if self.endpoint:
            custom["endpoint"] = self.endpoint_json(self.endpoint)
        if self.regional:
            custom["regions"] = {
                region: {"endpoint": self.endpoint_json(uri)}
                for region, uri in sorted(self.regional.items())
            }
        return custom

    def privacy_policy_url(self) -> str | None:
        """<https endpoint>/privacy, the page the endpoint serves; None for other paths."""
        if self.path != HTTPS_PATH or not self.endpoint:
            return None
        return f"{self.endpoint.rstrip('/')}/{PRIVACY_PAGE}"

    def notes(self, served_regions: Iterable[str]) -> list[str]:
        """What the operator should know about this path (latency, certificates)."""
        notes = []
        for region, uri in sorted({"NA": self.endpoint or "", **self.regional}.items()):
            match = LAMBDA_ARN.match(uri)
            if match and match["region"] != ALEXA_REGIONS[region] and region in served_regions:
                notes.append(
                    f"note: the {region} endpoint runs in {match['region']}; "
                    f"{ALEXA_REGIONS[region]} is nearest to Alexa's {region} region"
                )
        if self.ssl_certificate_type == "SelfSigned":
            notes.append(
                "note: a self-signed certificate is for testing only: upload it in the developer "
                "console; certification needs a Trusted or Wildcard certificate"
            )
        return notes


def served_regions(countries: Iterable[str]) -> list[str]:
    """The Alexa regions that serve these distribution countries (NA first)."""
    regions = {COUNTRY_REGION.get(country, "NA") for country in countries}
    return [region for region in ALEXA_REGIONS if region in regions]


def check_privacy(
    privacy: Mapping[str, Any], countries: Sequence[str], locales: Iterable[str]
) -> None:
    """The answers must be what the skill is (tools/skill_manifest.yaml, docs/publishing.md)."""
    if privacy.get("isChildDirected") is not False:
        raise BuildError(
            "privacyAndCompliance.isChildDirected must be false: an adult health topic"
        )
    if privacy.get("usesHealthInfo") is True:
        # Amazon's HIPAA-eligible skill requirements: US only, a privacy policy, not child-directed
        # (and a covered entity's account, the BAA, account linking and PIN: not checkable here).
        if list(countries) != ["US"]:
            raise BuildError(
                f"usesHealthInfo: true is for HIPAA-eligible skills, distributed in the US only, "
                f"not {list(countries)}"
            )
        without = [loc for loc in locales if not privacy.get("locales", {}).get(loc)]
        if without:
            raise BuildError(f"usesHealthInfo: true needs a privacy policy URL for {without}")
    elif privacy.get("usesHealthInfo") is not False:
        raise BuildError("privacyAndCompliance.usesHealthInfo must be true or false")


def build_manifest(
    source: Mapping[str, Any],
    models: Mapping[str, Mapping[str, Any]],
    *,
    deployment: Deployment | None = None,
    privacy_policy_url: str | None = None,
    content_dir: Path = CONTENT_DIR,
    icons: Mapping[str, str] | None = None,
    certification: bool = False,
) -> dict[str, Any]:
    """skill.json's content, for the locales in `models`."""
    deployment = deployment or Deployment()
    deployment.check()
    sources = source.get("locales") or {}
    missing = sorted(set(models) - set(sources))
    if missing:
        raise BuildError(f"interaction models without publishing information: {missing}")
    if privacy_policy_url and not privacy_policy_url.startswith("https://"):
        raise BuildError(f"the privacy policy URL must be https://: {privacy_policy_url!r}")
    locales: dict[str, Any] = {}
    countries: list[str] = []
    policy_urls: dict[str, str] = {}
    for locale in sorted(models):
        entry = sources[locale]
        absent = [
            key for key in (*PUBLISHING_KEYS, "description", "disclaimer") if not entry.get(key)
        ]
        if absent:
            raise BuildError(f"{locale}: {absent} missing in the manifest source")
        check_example_phrases(locale, entry["examplePhrases"], models[locale])
        numbers = services(locale, content_dir)
        try:
            disclaimer = " ".join(entry["disclaimer"].split()).format_map(numbers)
        except KeyError as error:
            raise BuildError(f"{locale} disclaimer: unknown placeholder {error}") from error
        check_disclaimer(locale, disclaimer, numbers["emergency_number"])
        description = entry["description"].rstrip()
        if disclaimer not in description:
            description = f"{description}\n\n{disclaimer}"
        if len(description) > DESCRIPTION_LIMIT:
            raise BuildError(f"{locale}: the description is over {DESCRIPTION_LIMIT} characters")
        locales[locale] = {key: entry[key] for key in ("name", "summary")}
        locales[locale]["description"] = description
        locales[locale].update({key: list(entry[key]) for key in ("examplePhrases", "keywords")})
        locales[locale].update(icons or {})
        countries += [c for c in entry.get("distributionCountries", []) if c not in countries]
        url = deployment.privacy_policy_url() or privacy_policy_url or entry.get("privacyPolicyUrl")
        if url:
            if not str(url).startswith("https://"):
                raise BuildError(f"{locale}: the privacy policy URL must be https://: {url!r}")
            policy_urls[locale] = str(url)
        elif certification:
            raise BuildError(
                f"{locale}: no privacy policy URL, which certification needs for a health skill "
                "(an HTTPS endpoint serves one at /privacy; else set PRIVACY_POLICY_URL)"
            )
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
    if policy_urls:
        privacy["locales"] = {loc: {"privacyPolicyUrl": url} for loc, url in policy_urls.items()}
    check_privacy(privacy, countries, locales)
    return {
        "manifest": {
            "manifestVersion": str(source.get("manifestVersion", "1.0")),
            "publishingInformation": publishing,
            "privacyAndCompliance": privacy,
            "apis": {"custom": deployment.custom_api()},
        }
    }


def ask_resources(
    existing: Mapping[str, Any] | None,
    skill_id: str | None,
    deployment: Deployment | None = None,
    regions: Sequence[str] = ("NA",),
) -> dict[str, Any]:
    """ask-resources.json for the deployment path: our fields set, what the ASK CLI recorded kept.

    Only the ASK CLI's own Lambda path has `code` and `skillInfrastructure`: with an endpoint of
    your own there is nothing for `ask deploy` to deploy but the skill package.
    """
    deployment = deployment or Deployment()
    resources: dict[str, Any] = json.loads(json.dumps(existing or {}))  # a deep copy
    resources["askcliResourcesVersion"] = "2020-03-31"
    profile = resources.setdefault("profiles", {}).setdefault("default", {})
    profile.setdefault("skillMetadata", {})["src"] = "./skill-package"
    if deployment.path != ASK_CLI_LAMBDA:
        profile.pop("code", None)
        profile.pop("skillInfrastructure", None)
        return resources
    wanted = ["default"] + [
        region for region in regions if deployment.nearest_regions and region != "NA"
    ]
    code = profile.setdefault("code", {})
    for region in list(code):
        if region not in wanted:
            del code[region]
    for region in wanted:
        code.setdefault(region, {})["src"] = LAMBDA_FOLDER
    infrastructure = profile.setdefault("skillInfrastructure", {})
    infrastructure["type"] = "@ask-cli/lambda-deployer"
    user_config = infrastructure.setdefault("userConfig", {})
    user_config.update({"runtime": RUNTIME, "handler": HANDLER})
    if deployment.nearest_regions:
        user_config.setdefault("awsRegion", ALEXA_REGIONS["NA"])
        user_config["regionalOverrides"] = {
            region: {"awsRegion": ALEXA_REGIONS[region]} for region in wanted if region != "default"
        }
    else:
        user_config.pop("regionalOverrides", None)
    state = infrastructure.get("deployState")
    if isinstance(state, dict):
        for region in list(state):
            if region not in wanted:
                del state[region]
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
    deployment: Deployment | None = None,
    certification: bool = False,
    manifest_source: Path = MANIFEST_SOURCE,
    models_dir: Path = MODELS_DIR,
    content_dir: Path = CONTENT_DIR,
    icons_dir: Path = ICONS_DIR,
) -> list[Path]:
    """Write the ASK CLI project files under `out`; return them."""
    if skill_id and not SKILL_ID.match(skill_id):
        raise BuildError(f"not an Alexa skill id: {skill_id!r}")
    deployment = deployment or Deployment(endpoint=endpoint)
    icons = check_icons(icons_dir)
    model_files = model_locales(models_dir)
    models = {locale: read_model(path) for locale, path in model_files.items()}
    source = load_manifest_source(manifest_source)
    icon_uris = {key: f"file://{ICON_ASSETS}/{path.name}" for key, path in icons.items()}
    manifest = build_manifest(
        source,
        models,
        deployment=deployment,
        privacy_policy_url=privacy_policy_url,
        content_dir=content_dir,
        icons=icon_uris,
        certification=certification,
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
    assets = package / ICON_ASSETS
    assets.mkdir(parents=True, exist_ok=True)
    for path in icons.values():
        shutil.copyfile(path, assets / path.name)
        written.append(assets / path.name)
    resources_path = out / "ask-resources.json"
    existing = json.loads(resources_path.read_text("utf-8")) if resources_path.exists() else None
    regions = served_regions(
        manifest["manifest"]["publishingInformation"].get("distributionCountries", [])
    )
    _write_json(resources_path, ask_resources(existing, skill_id, deployment, regions))
    written.append(resources_path)
    return written


def _region_endpoints(texts: Iterable[str]) -> dict[str, str]:
    regional = {}
    for text in texts:
        region, equals, uri = text.partition("=")
        if not equals or not uri:
            raise BuildError(
                f"--region-endpoint takes REGION=ENDPOINT (e.g. EU=arn:...), not {text!r}"
            )
        regional[region.strip().upper()] = uri.strip()
    return regional


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes")


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    env = os.environ.get
    parser.add_argument("--out", type=Path, default=ROOT, help="project root (the repository)")
    parser.add_argument(
        "--endpoint",
        default=env("SKILL_ENDPOINT") or None,
        help="Lambda ARN or https:// URL for apis.custom.endpoint; none: the ASK CLI deploys the "
        "Lambda function (env SKILL_ENDPOINT)",
    )
    parser.add_argument(
        "--region-endpoint",
        action="append",
        default=[
            f"{r}={env(f'SKILL_ENDPOINT_{r}')}" for r in ALEXA_REGIONS if env(f"SKILL_ENDPOINT_{r}")
        ],
        metavar="REGION=ENDPOINT",
        help="an Alexa region's own endpoint; REGION: NA, EU or FE (env SKILL_ENDPOINT_EU, ...)",
    )
    parser.add_argument(
        "--nearest-regions",
        action="store_true",
        default=_flag("NEAREST_REGIONS"),
        help="without an endpoint: the ASK CLI deploys a function in each Alexa region the skill "
        "is distributed in (env NEAREST_REGIONS=1)",
    )
    parser.add_argument(
        "--ssl-certificate-type",
        choices=SSL_CERTIFICATE_TYPES,
        type=lambda text: next(
            (t for t in SSL_CERTIFICATE_TYPES if t.lower() == text.lower()), text
        ),
        default=env("SSL_CERTIFICATE_TYPE") or None,
        help="the HTTPS endpoint's certificate: Trusted (default), Wildcard (a sub-domain of a "
        "wildcard certificate's domain), SelfSigned (testing only) (env SSL_CERTIFICATE_TYPE)",
    )
    parser.add_argument(
        "--privacy-policy-url",
        default=env("PRIVACY_POLICY_URL") or None,
        help="https:// URL of the privacy policy for every locale, when the endpoint is not "
        "HTTPS (which serves its own at /privacy) (env PRIVACY_POLICY_URL)",
    )
    parser.add_argument(
        "--skill-id",
        default=env("ALEXA_SKILL_ID") or None,
        help="the skill id, set as ALEXA_SKILL_ID on the Lambda function (env ALEXA_SKILL_ID)",
    )
    parser.add_argument(
        "--certification",
        action="store_true",
        default=_flag("CERTIFICATION"),
        help="refuse what certification would refuse, a missing privacy policy URL included "
        "(env CERTIFICATION=1)",
    )
    args = parser.parse_args(None if argv is None else list(argv))
    try:
        ssl_type = args.ssl_certificate_type
        if ssl_type is not None and ssl_type not in SSL_CERTIFICATE_TYPES:
            raise BuildError(f"SSL certificate type {ssl_type!r}: one of {SSL_CERTIFICATE_TYPES}")
        deployment = Deployment(
            endpoint=args.endpoint,
            regional=_region_endpoints(args.region_endpoint),
            ssl_certificate_type=ssl_type,
            nearest_regions=args.nearest_regions,
        )
        written = build(
            args.out,
            deployment=deployment,
            privacy_policy_url=args.privacy_policy_url,
            skill_id=args.skill_id,
            certification=args.certification,
        )
    except BuildError as error:
        print(f"build_skill_package: {error}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path}")
    manifest = json.loads((args.out / "skill-package" / "skill.json").read_text("utf-8"))[
        "manifest"
    ]
    countries = manifest["publishingInformation"].get("distributionCountries", [])
    regions = served_regions(countries)
    print(f"deployment path: {deployment.path} (Alexa regions served: {', '.join(regions)})")
    if deployment.path == ASK_CLI_LAMBDA:
        print("`ask deploy` deploys the Lambda function and sets apis.custom.endpoint")
        if not (args.out / LAMBDA_FOLDER).is_dir():
            print(f"note: {LAMBDA_FOLDER} does not exist yet; `make lambda` builds it")
    else:
        print(
            "`ask deploy` (or `ask deploy --target skill-metadata`) uploads the skill package "
            "only; the endpoint stays as you deployed it"
        )
    for note in deployment.notes(regions):
        print(note)
    if "locales" not in manifest["privacyAndCompliance"]:
        print("no privacy policy URL: certification needs one (CERTIFICATION=1 refuses the build)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
