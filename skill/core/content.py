"""The core's words, per locale: loaded from skill/content/<locale>/, checked against the knowledge.

A locale is added by adding its folder. Loading fails, naming the file and the key, when a text is
missing for any question, cause, sign, advice or safety-net id, or when a text uses a placeholder
the locale does not define. No key is ever shown or spoken in place of words.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from skill.core.loader import CONTENT_DIR, display_path, read_yaml
from skill.core.model import Assessment, Knowledge, KnowledgeError, Level

DEFAULT_LOCALE = "en-US"
LOCALE_PATTERN = re.compile(r"^[a-z]{2}-[A-Z]{2}$")


def available_locales(content_dir: Path = CONTENT_DIR) -> list[str]:
    """The locales with a folder in content_dir (the shipped ones listed once per process)."""
    if content_dir == CONTENT_DIR:
        return list(_shipped_locales())
    return _list_locales(content_dir)


@lru_cache(maxsize=1)
def _shipped_locales() -> tuple[str, ...]:
    return tuple(_list_locales(CONTENT_DIR))


def _list_locales(content_dir: Path) -> list[str]:
    return sorted(
        p.name for p in content_dir.iterdir() if p.is_dir() and LOCALE_PATTERN.match(p.name)
    )


@dataclass(frozen=True)
class LocaleContent:
    """One locale's texts (a nested mapping) and the values of its placeholders."""

    locale: str
    texts: Mapping[str, Any]
    services: Mapping[str, str]
    file: str
    # The sources of this locale's numbers and services (locale.yaml services.sources).
    service_sources: tuple[str, ...] = ()

    def text(self, *path: str) -> str:
        """The text at a dotted path, with placeholders filled in."""
        node: Any = self.texts
        for key in path:
            node = node[key]
        return str(node).format_map(self.services)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def iter_strings(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string leaf of a nested mapping, with its dotted path."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            yield from iter_strings(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, str):
        yield path, node


def load_locale_file(path: Path, services: Mapping[str, str]) -> Mapping[str, Any]:
    """Read a content file and check that its placeholders are all defined by the locale."""
    data = read_yaml(path)
    name = display_path(path)
    if not isinstance(data, Mapping):
        raise KnowledgeError(name, "-", "expected a mapping of texts")
    for key, text in iter_strings(data):
        for placeholder in placeholders(text):
            if placeholder not in services:
                raise KnowledgeError(name, key, f"uses an undefined placeholder {{{placeholder}}}")
    return data


def load_services(locale_dir: Path) -> dict[str, str]:
    path = locale_dir / "locale.yaml"
    data = read_yaml(path)
    services = data.get("services") if isinstance(data, Mapping) else None
    if not isinstance(services, Mapping):
        raise KnowledgeError(display_path(path), "services", "expected a mapping of services")
    return {str(k): str(v) for k, v in services.items() if k != "sources"}


def load_service_sources(locale_dir: Path, knowledge: Knowledge) -> tuple[str, ...]:
    path = locale_dir / "locale.yaml"
    data = read_yaml(path)
    ids = data.get("services", {}).get("sources") if isinstance(data, Mapping) else None
    if not isinstance(ids, list) or not ids:
        raise KnowledgeError(
            display_path(path), "services.sources", "must name at least one source"
        )
    for source_id in ids:
        if source_id not in knowledge.sources:
            raise KnowledgeError(
                display_path(path), "services.sources", f"names a missing source '{source_id}'"
            )
    return tuple(str(source_id) for source_id in ids)


def required_keys(knowledge: Knowledge) -> list[tuple[str, ...]]:
    """Every text path the core's knowledge needs in each locale."""
    keys: list[tuple[str, ...]] = [("disclaimer",)]
    for level in Level:
        keys += [("levels", level.id, "say"), ("levels", level.id, "text")]
    for question in knowledge.questions:
        keys += [("questions", question.id, "say"), ("questions", question.id, "reprompt")]
    for advice_id in knowledge.advice:
        keys += [("advice", advice_id, "say"), ("advice", advice_id, "text")]
    for item in knowledge.safety_net:
        keys += [("safety_net", item.id, "say"), ("safety_net", item.id, "text")]
    for cause in knowledge.causes.values():
        keys.append(("causes", cause.id, "name"))
        keys += [("causes", cause.id, "why", pointer.id) for pointer in cause.points_to]
    # The title a person reads for each page a rule or advice item may show (further_reading).
    keys += [("reading", source_id) for source_id in shown_sources(knowledge)]
    return keys


def shown_sources(knowledge: Knowledge) -> list[str]:
    """Every source some rule or advice item lets a person see, in file order."""
    ids = [s for rule in knowledge.rules for s in rule.show]
    ids += [s for item in knowledge.advice.values() for s in item.show]
    return list(dict.fromkeys(ids))


def check_keys(texts: Mapping[str, Any], keys: list[tuple[str, ...]], file: str) -> None:
    for key in keys:
        node: Any = texts
        for part in key:
            if not isinstance(node, Mapping) or part not in node:
                raise KnowledgeError(file, ".".join(key), "text is missing")
            node = node[part]
        if not isinstance(node, str) or not node.strip():
            raise KnowledgeError(file, ".".join(key), "text must be a non-empty string")


def load_content(
    locale: str, knowledge: Knowledge, content_dir: Path = CONTENT_DIR
) -> LocaleContent:
    locale_dir = content_dir / locale
    if not LOCALE_PATTERN.match(locale) or not locale_dir.is_dir():
        raise KnowledgeError(display_path(content_dir), locale, "no such locale")
    services = load_services(locale_dir)
    path = locale_dir / "triage.yaml"
    texts = load_locale_file(path, services)
    check_keys(texts, required_keys(knowledge), display_path(path))
    sources = load_service_sources(locale_dir, knowledge)
    return LocaleContent(locale, texts, services, display_path(path), sources)


@lru_cache(maxsize=16)
def default_content(locale: str = DEFAULT_LOCALE) -> LocaleContent:
    from skill.core.engine import default_knowledge

    return load_content(locale, default_knowledge())


def render(assessment: Assessment, content: LocaleContent) -> dict[str, Any]:
    """The assessment in words, shaped as the contract's `triage` command prints it."""
    causes = []
    for cause in assessment.causes:
        name = content.text("causes", cause.id, "name")
        why = [content.text("causes", cause.id, "why", sign) for sign in cause.why]
        causes.append({"id": cause.id, "text": f"{name}: {'; '.join(why)}." if why else f"{name}."})
    return {
        "level": assessment.level.id,
        "rules": list(assessment.rules),
        "causes": causes,
        "advice": [content.text("advice", advice_id, "text") for advice_id in assessment.advice],
        "safety_net": [content.text("safety_net", item, "text") for item in assessment.safety_net],
        "sources": [{"title": s.title, "url": s.url} for s in assessment.sources],
        # Addition to the contract: canonical pages a person may read (at most three), titled in
        # the locale's words.
        "further_reading": [
            {"title": content.text("reading", s.id), "url": s.url}
            for s in assessment.further_reading
        ],
    }
