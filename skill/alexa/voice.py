"""The Alexa skill's words per locale (voice.yaml beside triage.yaml), checked at load.

Like triage.yaml, voice.yaml is written once per language (skill/content/en/voice.yaml) and
overridden per locale key by key (skill/content/en-GB/voice.yaml): see skill.core.content.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skill.core import Knowledge, Level, LocaleContent, load_content
from skill.core.content import check_keys, iter_strings, load_services, load_words, lookup
from skill.core.loader import CONTENT_DIR, display_path, read_yaml
from skill.core.model import KnowledgeError

REQUIRED_VOICE_KEYS: list[tuple[str, ...]] = [
    ("welcome", "say"),
    ("welcome", "reprompt"),
    ("help", "say"),
    ("help", "question"),
    ("help", "offer"),
    ("examples",),
    ("guided_start",),
    ("choices", "yes_no"),
    ("not_safe_answer",),
    ("support_line",),
    ("safest_lead",),
    ("not_understood",),
    ("whisper_on",),
    ("start_over",),
    ("goodbye_with_net",),
    ("card_offer",),
    ("card_offer_reprompt",),
    ("card_sent",),
    ("card_declined",),
    ("error",),
    *[("answer_intro", level.id) for level in Level],
    ("card", "title"),
    *[("card", "summary", level.id) for level in Level],
    ("card", "todo_heading"),
    ("card", "clinician_heading"),
    ("card", "sooner_heading"),
    ("card", "mention_heading"),
    ("card", "causes_heading"),
    ("card", "reading_heading"),
    ("card", "clinician", "urgent"),
    ("card", "clinician", "soon"),
    ("card", "mention"),
    ("screen", "title"),
]
# Keys whose value may be empty (an optional sentence).
MAY_BE_EMPTY = {("answer_intro", level.id) for level in Level}


@dataclass(frozen=True)
class Voice:
    """Everything one locale needs to speak: the core's words and the skill's own, and the
    knowledge they were checked against."""

    locale: str
    triage: LocaleContent
    texts: Mapping[str, Any]
    services: Mapping[str, str]
    never_say: tuple[str, ...]
    knowledge: Knowledge = field(compare=False, repr=False)
    # Phone numbers the words contain -> how Alexa reads them: None digit by digit (SSML say-as
    # telephone), or the name people say ("triple zero").
    phones: Mapping[str, str | None] = field(default_factory=dict)
    # Each text's dotted key -> the file it comes from (the language's or the locale's).
    origins: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def say(self, *path: str) -> str:
        return lookup(self.texts, path, self.services)

    def is_discreet(self, speech: str) -> bool:
        return not self.explicit_words_in(speech)

    def explicit_words_in(self, speech: str) -> list[str]:
        lowered = speech.lower()
        # A whole word is first of all a substring: the regex runs (and is compiled) only for the
        # rare text that contains one, not for every word of every text at start-up.
        return [
            w for w in self.never_say if w in lowered and re.search(rf"\b{re.escape(w)}\b", lowered)
        ]


def load_voice(locale: str, knowledge: Knowledge, content_dir: Path = CONTENT_DIR) -> Voice:
    """A locale's words, the core's (triage.yaml) and the skill's (voice.yaml), checked against
    `knowledge`: every text present, every placeholder a service, every spoken word discreet."""
    triage = load_content(locale, knowledge, content_dir)
    services = load_services(content_dir / locale)
    words = load_words(locale, "voice.yaml", services, content_dir)
    texts, name = words.texts, words.file
    checked = [k for k in REQUIRED_VOICE_KEYS if k not in MAY_BE_EMPTY]
    # A question a plain yes or no cannot answer needs its choices in plain words.
    checked += [("choices", q.id) for q in knowledge.questions if q.yes is None or q.no is None]
    check_keys(texts, checked, name, words.origins)
    for key in sorted(MAY_BE_EMPTY):
        if not isinstance(_section(texts, key[0], name).get(key[1]), str):
            raise KnowledgeError(name, ".".join(key), "text is missing")
    discretion = _section(texts, "discretion", name)
    never_say = discretion.get("never_say")
    if not isinstance(never_say, list) or not never_say:
        raise KnowledgeError(name, "discretion.never_say", "needs a list of words")
    # A locale adds its market's words to the language's list instead of repeating it.
    also = discretion.get("also_never_say", [])
    if not isinstance(also, list):
        raise KnowledgeError(name, "discretion.also_never_say", "needs a list of words")
    never_say = list(dict.fromkeys([*never_say, *also]))
    phones = load_phones(content_dir / locale, services)
    voice = Voice(
        locale,
        triage,
        texts,
        services,
        tuple(map(str, never_say)),
        knowledge,
        phones,
        words.origins,
    )
    _check_spoken_words_are_discreet(voice)
    return voice


PHONE_NUMBER = re.compile(r"\d[\d -]*\d")


def load_phones(locale_dir: Path, services: Mapping[str, str]) -> dict[str, str | None]:
    """locale.yaml `phones`: each phone number the services contain, and how it is said.

    Every number must appear in a service, so a number cannot be marked up that the words never
    say; a spoken name must be a non-empty text."""
    path = locale_dir / "locale.yaml"
    name = display_path(path)
    data = read_yaml(path)
    raw = data.get("phones") if isinstance(data, Mapping) else None
    if not isinstance(raw, Mapping) or not raw:
        raise KnowledgeError(name, "phones", "needs phone numbers and how they are said")
    phones: dict[str, str | None] = {}
    for number, how in raw.items():
        entry = f"phones.{number}"
        if not isinstance(number, str) or not PHONE_NUMBER.fullmatch(number):
            raise KnowledgeError(name, entry, "a phone number is digits, spaces and hyphens")
        if not any(number in value for value in services.values()):
            raise KnowledgeError(name, entry, "no service holds this number")
        spoken = how.get("spoken") if isinstance(how, Mapping) else None
        if how is not None and (not isinstance(spoken, str) or not spoken.strip()):
            raise KnowledgeError(name, entry, "give nothing, or `spoken:` with the words said")
        phones[number] = spoken
    return phones


def _section(texts: Mapping[str, Any], key: str, file: str) -> Mapping[str, Any]:
    """texts[key] when it is a mapping of texts ({} when absent): a plain text there is an error
    naming the file and the key, not an AttributeError at start-up."""
    section = texts.get(key, {})
    if not isinstance(section, Mapping):
        raise KnowledgeError(file, key, "needs keys with a text each, not one text")
    return section


def _check_spoken_words_are_discreet(voice: Voice) -> None:
    """Every spoken text of both files must pass the locale's own discretion list."""
    spoken: list[tuple[str, str, str]] = [
        (voice.origins.get(key, ""), key, text)
        for key, text in iter_strings(voice.texts)
        if not key.startswith(("card.", "discretion."))
    ]
    spoken += [
        (voice.triage.origin(key), key, text)
        for key, text in iter_strings(voice.triage.texts)
        if key.endswith((".say", ".reprompt"))
    ]
    for where, key, text in spoken:
        found = voice.explicit_words_in(text.format_map(voice.services))
        if found:
            raise KnowledgeError(where, key, f"spoken text uses an explicit word '{found[0]}'")


def load_voices(knowledge: Knowledge, content_dir: Path = CONTENT_DIR) -> dict[str, Voice]:
    """Every locale's voice, loaded and checked at start-up, so nothing is discovered
    mid-conversation."""
    from skill.core import available_locales

    locales = available_locales(content_dir)
    return {locale: load_voice(locale, knowledge, content_dir) for locale in locales}


def voice_for(locale: str) -> Voice:
    """The shipped voice of a locale: a view of skill.alexa.data.default_data(), for tests and
    development tools (the skill hands each turn its voice)."""
    from skill.alexa.data import default_data

    return default_data().voices[locale]
