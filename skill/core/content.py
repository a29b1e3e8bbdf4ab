"""The core's words, per locale, checked against the knowledge.

Words are written once per language and overridden per locale, key by key, as the ASK SDK's
locale -> language fallback does: a locale's texts are skill/content/<language>/<file> (say
`en/triage.yaml`, the English every English locale shares) with skill/content/<locale>/<file>
(say `en-GB/triage.yaml`, only what en-GB says differently) laid over it. Either file may be
absent; a locale's own folder always holds its locale.yaml (numbers, services, phones, policy).

Loading fails, naming the file and the key, when a text is missing from both files for any
question, cause, sign, advice or safety-net id, or when a text uses a placeholder the locale does
not define. No key is ever shown or spoken in place of words, and nothing falls back silently:
a locale of a language with no folder must hold every text itself.
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from skill.core.loader import CONTENT_DIR, LOCALE_PATTERN, data_file_exists, display_path, read_yaml
from skill.core.model import Assessment, Knowledge, KnowledgeError, Level

DEFAULT_LOCALE = "en-US"
# The files of words, each written once per language and overridden per locale.
WORD_FILES = ("triage.yaml", "voice.yaml")
# Keys only a locale has: what it adds to its language's list (its market's explicit words).
LOCALE_ADDITIONS = frozenset({"discretion.also_never_say"})


def available_locales(content_dir: Path = CONTENT_DIR) -> list[str]:
    """The locales with a folder in content_dir (`en-GB`; a language's folder, `en`, is none)."""
    return sorted(
        p.name for p in content_dir.iterdir() if p.is_dir() and LOCALE_PATTERN.match(p.name)
    )


def language_of(locale: str) -> str:
    """The language whose words a locale shares: `en` for `en-GB`."""
    return locale.split("-", 1)[0]


def lookup(texts: Mapping[str, Any], path: tuple[str, ...], services: Mapping[str, str]) -> str:
    """The text at a path of keys, with the locale's placeholders filled in."""
    node: Any = texts
    for key in path:
        node = node[key]
    return str(node).format_map(services)


@dataclass(frozen=True)
class Words:
    """One file's texts for one locale: the language's file with the locale's laid over it."""

    texts: Mapping[str, Any]
    # Each text's dotted key -> the file it comes from (for errors that name the right file).
    origins: Mapping[str, str]
    # Where a text missing from both files belongs: the language's file, else the locale's.
    file: str


@dataclass(frozen=True)
class LocaleContent:
    """One locale's texts (a nested mapping) and the values of its placeholders."""

    locale: str
    texts: Mapping[str, Any]
    services: Mapping[str, str]
    file: str
    # The sources of this locale's numbers and services (locale.yaml services.sources).
    service_sources: tuple[str, ...] = ()
    origins: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def text(self, *path: str) -> str:
        """The text at a dotted path, with placeholders filled in."""
        return lookup(self.texts, path, self.services)

    def origin(self, key: str) -> str:
        """The file the text at a dotted key comes from."""
        return self.origins.get(key, self.file)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def iter_strings(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string leaf of a nested mapping, with its dotted path."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            yield from iter_strings(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, str):
        yield path, node


def word_files(locale: str, name: str, content_dir: Path = CONTENT_DIR) -> list[Path]:
    """The files a locale's `name` (triage.yaml, voice.yaml) may come from, the language's first."""
    return [content_dir / language_of(locale) / name, content_dir / locale / name]


def merge_words(locale: str, name: str, content_dir: Path = CONTENT_DIR) -> Words:
    """A locale's texts of one file (triage.yaml, voice.yaml): the language's file with the
    locale's laid over it, key by key. Raises when neither file exists."""
    language_path, locale_path = word_files(locale, name, content_dir)
    paths = [path for path in (language_path, locale_path) if data_file_exists(path)]
    if not paths:
        message = f"file is missing (and so is {display_path(language_path)})"
        raise KnowledgeError(display_path(locale_path), "-", message)
    texts: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for path in paths:
        data = read_yaml(path)
        if not isinstance(data, Mapping):
            raise KnowledgeError(display_path(path), "-", "expected a mapping of texts")
        _lay_over(texts, data, origins, display_path(path), "")
    return Words(texts, origins, display_path(paths[0]))


def load_words(
    locale: str, name: str, services: Mapping[str, str], content_dir: Path = CONTENT_DIR
) -> Words:
    """merge_words(), each placeholder checked against the locale's services."""
    words = merge_words(locale, name, content_dir)
    locale_file = display_path(content_dir / locale / name)
    for key, text in iter_strings(words.texts):
        origin = words.origins[key]
        for placeholder in placeholders(text):
            if placeholder not in services:
                raise KnowledgeError(
                    origin, key, _undefined(placeholder, origin, locale_file, locale)
                )
    return words


def _undefined(placeholder: str, origin: str, locale_file: str, locale: str) -> str:
    message = f"uses an undefined placeholder {{{placeholder}}}"
    return message if origin == locale_file else f"{message} (not a service of {locale})"


def _lay_over(
    base: dict[str, Any], over: Mapping[str, Any], origins: dict[str, str], file: str, at: str
) -> None:
    """Lay `over` onto `base` key by key: mappings merge, anything else replaces."""
    for raw_key, value in over.items():
        key = str(raw_key)
        path = f"{at}.{key}" if at else key
        if isinstance(value, Mapping):
            below = base.get(key)
            if below is not None and not isinstance(below, dict):
                raise KnowledgeError(file, path, "a group of texts where the language has one text")
            if below is None:
                below = base[key] = {}
            _lay_over(below, value, origins, file, path)
            continue
        if isinstance(base.get(key), dict):
            raise KnowledgeError(file, path, "one text where the language has a group of texts")
        base[key] = value
        origins[path] = file


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


def check_keys(
    texts: Mapping[str, Any],
    keys: list[tuple[str, ...]],
    file: str,
    origins: Mapping[str, str] | None = None,
) -> None:
    """Every key has a non-empty text. A missing text is named in `file` (where it belongs), a
    bad one in the file it comes from (`origins`, by dotted key)."""
    for key in keys:
        node: Any = texts
        for part in key:
            if not isinstance(node, Mapping) or part not in node:
                raise KnowledgeError(file, ".".join(key), "text is missing")
            node = node[part]
        if not isinstance(node, str) or not node.strip():
            where = (origins or {}).get(".".join(key), file)
            raise KnowledgeError(where, ".".join(key), "text must be a non-empty string")


def load_content(
    locale: str, knowledge: Knowledge, content_dir: Path = CONTENT_DIR
) -> LocaleContent:
    locale_dir = content_dir / locale
    if not LOCALE_PATTERN.match(locale) or not locale_dir.is_dir():
        raise KnowledgeError(display_path(content_dir), locale, "no such locale")
    services = load_services(locale_dir)
    words = load_words(locale, "triage.yaml", services, content_dir)
    check_keys(words.texts, required_keys(knowledge), words.file, words.origins)
    sources = load_service_sources(locale_dir, knowledge)
    return LocaleContent(locale, words.texts, services, words.file, sources, words.origins)


@lru_cache(maxsize=16)
def default_content(locale: str = DEFAULT_LOCALE) -> LocaleContent:
    """The shipped words of a locale against the shipped knowledge, loaded once: a convenience
    for the `triage` command's callers and tests. The skill itself loads its words once, in
    skill.alexa.data.load_skill_data."""
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
