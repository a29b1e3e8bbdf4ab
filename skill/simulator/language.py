"""One language's words, read from `interaction_model/sentences/<language>/_language.yaml`.

Everything the tools need to know about a language beyond its sentence templates lives in that one
file: how typed words become the words Alexa transcribes (fillers, contractions, accents), number
words, negations, the phrases the built-in intents catch, how a person opens the skill, and the
words an invocation name may not hold. `make models`, `check-model`, `chat` and the manifest
builder all read it through `language_for`. A locale whose language has no file is an error,
never a silent fallback to English.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from skill.core.loader import ROOT

__all__ = [
    "DEFAULT_SENTENCES_DIR",
    "LANGUAGE_FILE",
    "Language",
    "LanguageError",
    "language_code",
    "language_for",
    "load_language",
]

DEFAULT_SENTENCES_DIR = ROOT / "interaction_model" / "sentences"
LANGUAGE_FILE = "_language.yaml"

_WORD_LISTS = (
    "fillers",
    "edge_fillers",
    "negations",
    "joining_words",
    "launch_verbs",
    "one_shot_verbs",
    "openers",
    "articles",
    "connectives",
    "launch_words",
    "topic_words",
    "hollow_words",
)
_REQUIRED = ("language", "letters", "numbers", "builtin_phrases", *_WORD_LISTS)


class LanguageError(Exception):
    """A language file is missing or malformed; the message names the file and the key."""


@dataclass(frozen=True)
class Language:
    """How one language is spoken to Alexa. Word lists hold words as typed (accents kept)."""

    code: str
    path: Path
    letters: str
    fillers: frozenset[str]
    edge_fillers: frozenset[str]
    contractions: Mapping[str, str]
    keep: str
    units: Mapping[str, int]
    multipliers: Mapping[str, int]
    joiners: frozenset[str]
    negations: frozenset[str]
    joining_words: frozenset[str]
    builtin_phrases: Mapping[str, tuple[str, ...]]
    launch_verbs: frozenset[str]
    one_shot_verbs: frozenset[str]
    openers: tuple[tuple[str, ...], ...]
    articles: tuple[tuple[str, ...], ...]
    connectives: tuple[tuple[str, ...], ...]
    launch_words: frozenset[str]
    topic_words: frozenset[str]
    hollow_words: frozenset[str]
    # "i'm" and "i am" are one: contractions' endings written out ("'m" -> "am"); "'s" only
    # after the words in `is_after` ("it's" -> "it is", but "partner's" stays).
    suffixes: Mapping[str, str] = field(default_factory=dict)
    is_after: frozenset[str] = frozenset()

    @property
    def number_words(self) -> frozenset[str]:
        return frozenset({*self.units, *self.multipliers})

    def fold(self, word: str) -> str:
        """The word without accents, except on the letters the language keeps ("ñ")."""
        if word.isascii():
            return word
        return "".join(char if char in self.keep else _base(char) for char in word)

    def is_negation(self, word: str) -> bool:
        return word in self.negations or word.endswith("n't")

    def word_re(self) -> re.Pattern[str]:
        """A spoken-form word: letters with apostrophes inside or at the start ("'cause")."""
        letters = self.letters
        return re.compile(rf"[{letters}]+(?:'[{letters}]*)*|'[{letters}]+")

    def invocation_re(self) -> re.Pattern[str]:
        letters = self.letters
        return re.compile(rf"[{letters}][{letters}'. ]*[{letters}.]")


def _base(char: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))


def language_code(locale: str) -> str:
    """ "es-US" -> "es"."""
    return locale.split("-")[0].split("_")[0].lower()


def _words(path: Path, key: str, raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(word, str) and word for word in raw):
        raise LanguageError(f"{path}: '{key}' needs a list of words")
    return tuple(raw)


def _mapping(path: Path, key: str, raw: Any) -> dict[str, str]:
    if not isinstance(raw, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in raw.items()
    ):
        raise LanguageError(f"{path}: '{key}' needs words mapped to words")
    return dict(raw)


def _numbers(path: Path, raw: Any) -> tuple[dict[str, int], dict[str, int], tuple[str, ...]]:
    if not isinstance(raw, Mapping):
        raise LanguageError(f"{path}: 'numbers' needs units, multipliers and joiners")
    tables: list[dict[str, int]] = []
    for key in ("units", "multipliers"):
        table = raw.get(key) or {}
        if not isinstance(table, Mapping) or not all(
            isinstance(word, str) and isinstance(value, int) and not isinstance(value, bool)
            for word, value in table.items()
        ):
            raise LanguageError(f"{path}: 'numbers.{key}' needs words mapped to whole numbers")
        tables.append(dict(table))
    if not tables[0]:
        raise LanguageError(f"{path}: 'numbers.units' is empty")
    return tables[0], tables[1], _words(path, "numbers.joiners", raw.get("joiners") or [])


def _builtins(path: Path, raw: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(raw, Mapping) or not raw:
        raise LanguageError(f"{path}: 'builtin_phrases' needs intents mapped to phrases")
    phrases: dict[str, tuple[str, ...]] = {}
    for name, listed in raw.items():
        if not isinstance(name, str) or not name.startswith("AMAZON."):
            raise LanguageError(f"{path}: builtin_phrases: {name!r} is not an AMAZON.* intent")
        phrases[name] = _words(path, f"builtin_phrases.{name}", listed)
    return phrases


def load_language(path: Path) -> Language:
    """Read and check one `_language.yaml`."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LanguageError(f"{path}: no such language file") from None
    except yaml.YAMLError as error:
        raise LanguageError(f"{path}: not valid YAML ({error})") from None
    if not isinstance(raw, Mapping):
        raise LanguageError(f"{path}: needs a mapping")
    missing = [key for key in _REQUIRED if key not in raw]
    if missing:
        raise LanguageError(f"{path}: missing {', '.join(missing)}")
    unknown = set(raw) - {*_REQUIRED, "contractions", "keep", "suffixes", "is_after"}
    if unknown:
        raise LanguageError(f"{path}: unknown keys {', '.join(sorted(map(str, unknown)))}")
    code = raw["language"]
    if not isinstance(code, str) or code != path.parent.name:
        raise LanguageError(f"{path}: 'language' must be {path.parent.name!r}, the folder's name")
    lists = {key: _words(path, key, raw[key]) for key in _WORD_LISTS}
    contractions = raw.get("contractions") or {}
    if not isinstance(contractions, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in contractions.items()
    ):
        raise LanguageError(f"{path}: 'contractions' needs words mapped to words")
    letters, keep = raw["letters"], raw.get("keep") or ""
    if not isinstance(letters, str) or not letters or not isinstance(keep, str):
        raise LanguageError(f"{path}: 'letters' and 'keep' must be text")
    units, multipliers, joiners = _numbers(path, raw["numbers"])
    language = Language(
        code=code,
        path=path,
        letters=letters,
        fillers=frozenset(lists["fillers"]),
        edge_fillers=frozenset(lists["edge_fillers"]),
        contractions=MappingProxyType(dict(contractions)),
        keep=keep,
        units=MappingProxyType({}),
        multipliers=MappingProxyType({}),
        joiners=frozenset(),
        negations=frozenset(lists["negations"]),
        joining_words=frozenset(lists["joining_words"]),
        builtin_phrases=MappingProxyType(_builtins(path, raw["builtin_phrases"])),
        launch_verbs=frozenset(lists["launch_verbs"]),
        one_shot_verbs=frozenset(lists["one_shot_verbs"]),
        openers=tuple(tuple(o.split()) for o in lists["openers"]),
        articles=tuple(tuple(a.split()) for a in lists["articles"]),
        connectives=tuple(tuple(c.split()) for c in lists["connectives"]),
        launch_words=frozenset(lists["launch_words"]),
        topic_words=frozenset(lists["topic_words"]),
        hollow_words=frozenset(lists["hollow_words"]),
        suffixes=MappingProxyType(_mapping(path, "suffixes", raw.get("suffixes") or {})),
        is_after=frozenset(_words(path, "is_after", raw.get("is_after") or [])),
    )
    # Number words are compared folded (accents off), like everything typed.
    return _with_numbers(language, units, multipliers, joiners)


def _with_numbers(
    language: Language, units: dict[str, int], multipliers: dict[str, int], joiners: tuple[str, ...]
) -> Language:
    from dataclasses import replace

    return replace(
        language,
        units=MappingProxyType({language.fold(w): v for w, v in units.items()}),
        multipliers=MappingProxyType({language.fold(w): v for w, v in multipliers.items()}),
        joiners=frozenset(language.fold(w) for w in joiners),
    )


@lru_cache(maxsize=16)
def _cached(path: str, _mtime_ns: int) -> Language:
    return load_language(Path(path))


def language_for(locale_or_code: str, sentences_dir: Path | None = None) -> Language:
    """The language of a locale ("es-US" -> es/_language.yaml). Raises LanguageError when the
    language has no file: there is no fallback."""
    code = language_code(locale_or_code)
    path = (sentences_dir or DEFAULT_SENTENCES_DIR) / code / LANGUAGE_FILE
    if not path.is_file():
        raise LanguageError(f"{path}: no language file for {locale_or_code!r}")
    return _cached(str(path.resolve()), path.stat().st_mtime_ns)
