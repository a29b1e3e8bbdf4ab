"""What Alexa would make of a typed utterance, resolved against one interaction model.

Design: every sample is compiled (lazily, once per model file) into two regular expressions over
the normalised text (see `text.utterance`):

- strict: the sample's words, each slot an alternation of its type's values and synonyms (longest
  first), AMAZON.NUMBER as digits or spelled-out numbers; up to three extra words may stand before
  or after the sample, unless one of them is a negation ("i'm not dizzy" is not "dizzy");
- free: the same words with each slot a run of one to five arbitrary words and no extra words: a
  slot position filled by words outside the catalogue gets ER_SUCCESS_NO_MATCH. Only samples with
  at least two written words besides their slots get one, so "{amount}" alone never catches all.

A cheap word-set test skips samples whose words are absent. Candidates are ranked by (strict before
free, fewest extra words, most words covered, model order); filler words are tried both kept and
dropped. Built-in intents carry no samples in the model, so common phrases for them are added.
When nothing fits: AMAZON.FallbackIntent, as Alexa does.

What depends on the language (the language part of the model's locale, see `text.language_for`):
normalising (fillers, contractions, accents, number words), the negations that are never ignored,
the built-in intents' phrases, and how a person opens the skill or asks it something in one go.
Each is a `Speech` in SPEECH; a language without one is matched as English.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from skill.alexa.model_checks import BUILTIN_PHRASES
from skill.simulator.model import Intent, InteractionModel, TypeValue, load_model, model_path
from skill.simulator.text import (
    ENGLISH,
    SPANISH,
    Language,
    Utterance,
    is_filler,
    language_for,
    number_value,
    utterance,
)

__all__ = [
    "ENGLISH_SPEECH",
    "FALLBACK",
    "INTENT",
    "LAUNCH",
    "MATCH",
    "NO_MATCH",
    "SPANISH_SPEECH",
    "SPEECH",
    "Matcher",
    "SlotFill",
    "Speech",
    "Understood",
    "builtin_phrases",
    "matcher_for",
    "speech_for",
]

MATCH, NO_MATCH = "ER_SUCCESS_MATCH", "ER_SUCCESS_NO_MATCH"
FALLBACK = "AMAZON.FallbackIntent"
LAUNCH, INTENT = "LaunchRequest", "IntentRequest"
NUMBER_TYPE = "AMAZON.NUMBER"

MAX_EXTRA_WORDS = 3  # words around a sample that are not fillers
MAX_FREE_WORDS = 5  # words a slot position outside the catalogue may hold
FREE_MIN_WORDS = 2  # written words (besides slots) a sample needs before a free slot is believed


@dataclass(frozen=True)
class Speech:
    """What the matcher needs to know about one language beyond its words (text.Language).

    `negations`: an extra word that turns the sample around ("i'm not dizzy" is not "dizzy") is
    never ignored. `builtin_phrases`: what the built-in intents catch, as the model has no samples
    for them. Opening the skill: "<launch verb> [<article>] <name> [<and> <utterance>]", or
    "<one-shot verb> [<article>] <name> [<connective>] <utterance>"; `openers` are the two-word
    verbs ("talk to"); `articles` the word sequences that may stand before the name.
    """

    language: Language
    negations: frozenset[str]
    builtin_phrases: Mapping[str, tuple[str, ...]]
    launch_verbs: frozenset[str]
    one_shot_verbs: frozenset[str]
    openers: frozenset[tuple[str, str]]
    articles: tuple[tuple[str, ...], ...]
    connectives: tuple[tuple[str, ...], ...]
    and_words: frozenset[str]


# Phrases for English built-in intents beyond model_checks.BUILTIN_PHRASES.
EXTRA_BUILTIN_PHRASES: Mapping[str, tuple[str, ...]] = {
    "AMAZON.YesIntent": ("yup", "sure", "yes i am", "yes it is", "yes i do", "yes it was"),
    "AMAZON.NoIntent": ("nah", "no i'm not", "no it's not", "no i don't", "no it wasn't"),
    "AMAZON.HelpIntent": ("i need help", "can you help me", "what do i do", "what can you do"),
    "AMAZON.RepeatIntent": ("can you repeat that", "what did you say", "pardon", "come again"),
    "AMAZON.StartOverIntent": ("let's start over", "start from the beginning"),
    "AMAZON.StopIntent": ("stop it", "goodbye", "bye", "that's all", "i'm done"),
    "AMAZON.CancelIntent": ("cancel that", "nevermind"),
    "AMAZON.NavigateHomeIntent": ("go back home", "go to the home screen"),
}

ENGLISH_SPEECH = Speech(
    language=ENGLISH,
    negations=frozenset({"not", "never", "no", "without"}),
    builtin_phrases={
        name: tuple(
            dict.fromkeys((*BUILTIN_PHRASES.get(name, ()), *EXTRA_BUILTIN_PHRASES.get(name, ())))
        )
        for name in (*BUILTIN_PHRASES, *EXTRA_BUILTIN_PHRASES)
    },
    launch_verbs=frozenset({"open", "launch", "start", "begin", "load", "run", "use", "play"}),
    one_shot_verbs=frozenset({"ask", "tell"}),
    openers=frozenset({("talk", "to"), ("speak", "to")}),
    articles=(("the",),),
    connectives=(("to",), ("that",), ("about",), ("for",), ("whether",)),
    and_words=frozenset({"and"}),
)

# What Spanish speakers in the US say to Alexa's built-in intents. Written as said, accents
# included: both sides are normalised, so "si" and "sí", "ayudame" and "ayúdame" match alike.
SPANISH_BUILTIN_PHRASES: Mapping[str, tuple[str, ...]] = {
    "AMAZON.YesIntent": (
        "sí", "claro", "claro que sí", "sí por favor", "sí claro", "sip", "ajá", "así es",
        "correcto", "por supuesto", "exacto", "eso es", "cierto", "de acuerdo", "sí señora",
        "sí es así", "dale", "órale", "simón", "afirmativo", "sí sí",
    ),
    "AMAZON.NoIntent": (
        "no", "nop", "nel", "no gracias", "para nada", "claro que no", "no no", "negativo",
        "nada", "no nada", "de ninguna manera",
    ),
    "AMAZON.HelpIntent": (
        "ayuda", "ayúdame", "ayúdeme", "necesito ayuda", "qué puedo decir", "qué digo",
        "qué hago", "cómo funciona", "me puedes ayudar", "me puede ayudar", "qué puedes hacer",
        "ayuda por favor",
    ),
    "AMAZON.RepeatIntent": (
        "repite", "repítelo", "repite eso", "repítemelo", "otra vez", "dilo otra vez",
        "dímelo otra vez", "puedes repetir", "puede repetir", "repite por favor", "cómo",
        "qué dijiste", "perdón", "mande", "no te entendí", "no entendí", "repite la pregunta",
    ),
    "AMAZON.StartOverIntent": (
        "empezar de nuevo", "empieza de nuevo", "empecemos de nuevo", "volver a empezar",
        "vuelve a empezar", "comenzar de nuevo", "comienza de nuevo", "empezar otra vez",
        "desde el principio", "reinicia", "reiniciar",
    ),
    "AMAZON.StopIntent": (
        "para", "detente", "alto", "basta", "ya basta", "cállate", "adiós", "apágate", "salir",
        "sal", "termina", "terminar", "eso es todo", "ya terminé", "stop", "chao", "hasta luego",
        "para ya",
    ),
    "AMAZON.CancelIntent": (
        "cancela", "cancelar", "cancela eso", "olvídalo", "no importa", "déjalo", "olvídalo ya",
    ),
    "AMAZON.NavigateHomeIntent": (
        "ir al inicio", "ve al inicio", "vete al inicio", "inicio", "ir a inicio", "ve a inicio",
        "volver al inicio", "regresa al inicio", "pantalla de inicio",
        "ir a la pantalla de inicio",
    ),
}  # fmt: skip

SPANISH_SPEECH = Speech(
    language=SPANISH,
    negations=frozenset({"no", "nunca", "jamas", "sin", "ni", "tampoco", "nada", "nadie"})
    | frozenset({"ningun", "ninguno", "ninguna"}),
    builtin_phrases=SPANISH_BUILTIN_PHRASES,
    launch_verbs=frozenset({"abre", "abrir", "inicia", "iniciar", "empieza", "comienza"})
    | frozenset({"lanza", "ejecuta", "usa", "activa", "carga", "pon", "juega"}),
    one_shot_verbs=frozenset({"pide", "pidele", "pregunta", "preguntale", "dile", "di"}),
    openers=frozenset({("habla", "con"), ("hablar", "con"), ("hable", "con")}),
    articles=(("a", "la"), ("a", "el"), ("al",), ("a",), ("la",), ("el",)),
    connectives=(("que",), ("si",), ("sobre",), ("acerca", "de"), ("por",), ("para",)),
    and_words=frozenset({"y"}),
)

SPEECH: Mapping[str, Speech] = {"en": ENGLISH_SPEECH, "es": SPANISH_SPEECH}

# Yes and no are often followed by a few words ("yes, a little"); the others must stand alone.
BUILTINS_WITH_EXTRA_WORDS = frozenset({"AMAZON.YesIntent", "AMAZON.NoIntent"})

_SLOT_SPLIT = re.compile(r"\{([^{}]*)\}")
_FREE = rf"[^ ]+(?: [^ ]+){{0,{MAX_FREE_WORDS - 1}}}?"


def speech_for(locale: str | None) -> Speech:
    """The matcher's language rules for a locale ("es-US" -> Spanish); English when unknown."""
    return SPEECH.get(language_for(locale).code, ENGLISH_SPEECH)


def _number_pattern(language: Language) -> str:
    """AMAZON.NUMBER as digits or number words ("treinta y cinco": joiners only between two)."""
    words = "|".join(sorted(language.number_words, key=lambda word: (-len(word), word)))
    joiners = "".join(f"(?:{re.escape(j)} )?" for j in sorted(language.joiners))
    return rf"\d+|(?:{words})(?: {joiners}(?:{words}))*"


Rank = tuple[int, int, int, int]


@dataclass(frozen=True)
class SlotFill:
    """One declared slot of the intent: filled (value) or not (value None)."""

    name: str
    type: str
    value: str | None = None  # the words as spoken, or digits for AMAZON.NUMBER
    value_id: str | None = None  # the catalogue id when ER_SUCCESS_MATCH
    canonical: str | None = None  # the value's name when ER_SUCCESS_MATCH

    @property
    def status(self) -> str | None:
        """Entity-resolution status; None for an empty slot or a built-in type."""
        if self.value is None or self.type.startswith("AMAZON."):
            return None
        return MATCH if self.value_id is not None else NO_MATCH

    @property
    def label(self) -> str | None:
        """What --json shows: the id when resolved, else the spoken value."""
        return self.value_id if self.value_id is not None else self.value


@dataclass(frozen=True)
class Understood:
    """A request to send: a launch, or an intent with its slots."""

    request_type: str  # LAUNCH or INTENT
    intent: str | None = None
    slots: tuple[SlotFill, ...] = ()
    new_session: bool = False  # "open ..." and "ask ... ..." always start a session
    sample: str | None = None  # the sample that matched, for display

    @property
    def filled(self) -> dict[str, str]:
        return {s.name: s.label for s in self.slots if s.label is not None}


@dataclass(frozen=True)
class Catalogue:
    """One custom slot type: normalised phrase -> value."""

    values: Mapping[str, TypeValue]

    @staticmethod
    def build(values: Iterable[TypeValue], language: Language = ENGLISH) -> Catalogue:
        table: dict[str, TypeValue] = {}
        for value in values:
            for phrase in value.phrases:
                table.setdefault(utterance(phrase, language).text, value)
        table.pop("", None)
        return Catalogue(table)

    @cached_property
    def pattern(self) -> str:
        phrases = sorted(self.values, key=lambda phrase: (-len(phrase), phrase))
        return "|".join(re.escape(phrase) for phrase in phrases) or "(?!)"


@dataclass(frozen=True)
class Candidate:
    rank: Rank
    intent: str
    slots: tuple[SlotFill, ...]
    sample: str


class Sample:
    """One sample (or built-in phrase) of one intent, compiled on first use."""

    def __init__(self, intent: Intent, text: str, order: int, matcher: Matcher) -> None:
        self.intent, self.text, self.order, self.matcher = intent, text, order, matcher
        self.pieces: list[tuple[bool, str]] = []  # (is_slot, word or slot name)
        language = matcher.speech.language
        for position, chunk in enumerate(_SLOT_SPLIT.split(text)):
            if position % 2:
                self.pieces.append((True, chunk))
            else:
                self.pieces += [(False, token) for token in utterance(chunk, language).tokens]
        self.words = frozenset(token for is_slot, token in self.pieces if not is_slot)
        self.slot_names = [name for is_slot, name in self.pieces if is_slot]
        written = _SLOT_SPLIT.sub(" ", text).split()
        self.free_ok = bool(self.slot_names) and len(written) >= FREE_MIN_WORDS
        builtin = intent.name.startswith("AMAZON.")
        self.max_extra = (
            MAX_EXTRA_WORDS if not builtin or intent.name in BUILTINS_WITH_EXTRA_WORDS else 0
        )

    def _core(self, slot_pattern: Callable[[str], str]) -> str:
        parts: list[str] = []
        for is_slot, token in self.pieces:
            if is_slot:
                parts.append(f"(?P<s{len(parts)}>{slot_pattern(token)})")
            else:
                parts.append(re.escape(token))
        return " ".join(parts)

    @cached_property
    def strict(self) -> re.Pattern[str]:
        core = self._core(self.matcher.strict_pattern(self.intent))
        return re.compile(rf"(?:(?P<_pre>.+?) )??{core}(?: (?P<_post>.+))?")

    @cached_property
    def free(self) -> re.Pattern[str]:
        return re.compile(self._core(self.matcher.free_pattern(self.intent)))

    def match_strict(self, said: Utterance) -> Candidate | None:
        if not self.words <= set(said.tokens):
            return None
        found = self.strict.fullmatch(said.text)
        if found is None:
            return None
        extra = " ".join(filter(None, (found.group("_pre"), found.group("_post")))).split()
        speech = self.matcher.speech
        extras = sum(not is_filler(word, speech.language) for word in extra)
        if extras > self.max_extra or speech.negations & set(extra):
            return None
        rank = (0, extras, len(extra) - len(said.tokens), self.order)
        return Candidate(rank, self.intent.name, self.matcher.fills(self, found, said), self.text)

    def match_free(self, said: Utterance) -> Candidate | None:
        if not self.free_ok or not self.words <= set(said.tokens):
            return None
        found = self.free.fullmatch(said.text)
        if found is None:
            return None
        rank = (1, 0, -len(self.words), self.order)
        return Candidate(rank, self.intent.name, self.matcher.fills(self, found, said), self.text)


class Matcher:
    """One locale's model, compiled for matching. Build it with `matcher_for` (cached)."""

    def __init__(self, model: InteractionModel) -> None:
        self.model = model
        self.speech = speech_for(model.locale)
        language = self.speech.language
        self.number_pattern = _number_pattern(language)
        self.catalogues = {
            name: Catalogue.build(values, language) for name, values in model.types.items()
        }
        self.invocation = utterance(model.invocation, language).tokens
        self.samples: list[Sample] = []
        for intent in model.intents:
            for text in intent.samples:
                self.samples.append(Sample(intent, text, len(self.samples), self))
        for intent in model.intents:
            for text in builtin_phrases(intent.name, model.locale):
                self.samples.append(Sample(intent, text, len(self.samples), self))

    # --- patterns ---------------------------------------------------------------------------

    def _type_pattern(self, slot_type: str | None, *, free: bool) -> str:
        if slot_type == NUMBER_TYPE:
            return self.number_pattern
        catalogue = self.catalogues.get(slot_type or "")
        if free or catalogue is None:
            return _FREE
        return catalogue.pattern

    def strict_pattern(self, intent: Intent) -> Callable[[str], str]:
        return lambda slot: self._type_pattern(intent.slot_type(slot), free=False)

    def free_pattern(self, intent: Intent) -> Callable[[str], str]:
        return lambda slot: self._type_pattern(intent.slot_type(slot), free=True)

    # --- slots ------------------------------------------------------------------------------

    def fills(self, sample: Sample, found: re.Match[str], said: Utterance) -> tuple[SlotFill, ...]:
        """Every declared slot of the sample's intent; those the sample filled carry a value."""
        starts = said.starts()
        filled: dict[str, SlotFill] = {}
        for group, slot in zip(_slot_groups(found), sample.slot_names, strict=True):
            start, end = found.span(group)
            first = bisect.bisect_right(starts, start) - 1
            last = bisect.bisect_right(starts, end - 1) - 1
            slot_type = sample.intent.slot_type(slot) or ""
            filled[slot] = self.resolve(slot, slot_type, found.group(group), said, first, last)
        declared = [SlotFill(name, slot_type) for name, slot_type in sample.intent.slots]
        ordered = [filled.pop(fill.name, fill) for fill in declared]
        return (*ordered, *filled.values())

    def resolve(
        self, slot: str, slot_type: str, text: str, said: Utterance, first: int, last: int
    ) -> SlotFill:
        spoken = said.spoken_span(first, last)
        if slot_type == NUMBER_TYPE:
            number = number_value(text.split(), self.speech.language)
            return SlotFill(slot, slot_type, "?" if number is None else str(number))
        catalogue = self.catalogues.get(slot_type)
        value = catalogue.values.get(text) if catalogue else None
        if value is None:
            return SlotFill(slot, slot_type, spoken)
        return SlotFill(slot, slot_type, spoken, value.id, value.name)

    # --- understanding ----------------------------------------------------------------------

    def understand(self, text: str) -> Understood:
        """A typed utterance as the request Alexa would send."""
        said = utterance(text, self.speech.language)
        said = said.without(said.filler_positions(soft=False))
        return self._invocation(said) or self.match(said)

    def match(self, said: Utterance, *, new_session: bool = False) -> Understood:
        return _understood(self.best(said), new_session=new_session)

    def best(self, said: Utterance) -> Candidate | None:
        variants = [said]
        plain = said.without(said.filler_positions(soft=True))
        if plain.tokens and plain.tokens != said.tokens:
            variants.append(plain)
        for method in (Sample.match_strict, Sample.match_free):
            found = [c for v in variants for s in self.samples if (c := method(s, v))]
            if found:
                return min(found, key=lambda candidate: candidate.rank)
        return None

    def _invocation(self, said: Utterance) -> Understood | None:
        """'open care compass' launches; 'ask care compass <utterance>' is a one-shot request
        ("abre ...", "pídele a ... que ..." in Spanish)."""
        tokens, name, speech = said.tokens, self.invocation, self.speech
        if not name or not tokens:
            return None
        one_shot = tokens[0] in speech.one_shot_verbs
        if one_shot or tokens[0] in speech.launch_verbs:
            position = 1
        elif tuple(tokens[:2]) in speech.openers:
            position = 2
        else:
            return None
        for article in ((), *speech.articles):
            start = position + len(article)
            if tokens[position:start] == article and tokens[start : start + len(name)] == name:
                position = start + len(name)
                break
        else:
            return None
        rest = tokens[position:]
        if one_shot:
            connective = next((len(c) for c in speech.connectives if rest[: len(c)] == c), 0)
            # Without the connective first; then with it, as it may belong to the request
            # (Spanish "qué", what, is "que", that, once unaccented).
            skips = [connective, 0] if connective else [0]
        elif rest[:1] and rest[0] in speech.and_words:
            skips = [1]
        else:
            return Understood(LAUNCH, new_session=True)
        remainders = [said.without(range(position + skip)) for skip in skips]
        if not remainders[0].tokens:
            return Understood(LAUNCH, new_session=True)
        best = next(filter(None, map(self.best, remainders)), None)
        return _understood(best, new_session=True)


def _understood(best: Candidate | None, *, new_session: bool) -> Understood:
    if best is None:
        return Understood(INTENT, FALLBACK, new_session=new_session)
    return Understood(INTENT, best.intent, best.slots, new_session, best.sample)


def _slot_groups(found: re.Match[str]) -> list[str]:
    return sorted(
        (name for name in found.re.groupindex if name.startswith("s")),
        key=lambda name: found.re.groupindex[name],
    )


def builtin_phrases(intent_name: str, locale: str | None = None) -> tuple[str, ...]:
    """The phrases a built-in intent catches in the locale's language (English by default)."""
    return tuple(speech_for(locale).builtin_phrases.get(intent_name, ()))


@lru_cache(maxsize=8)
def _matcher(path: str, _mtime_ns: int, locale: str) -> Matcher:
    return Matcher(load_model(locale, Path(path).parent))


def matcher_for(locale: str, model_dir: Path | None = None) -> Matcher:
    """The compiled matcher for a locale's model file, rebuilt only when the file changes."""
    path = model_path(locale, model_dir).resolve()
    mtime = path.stat().st_mtime_ns if path.exists() else 0
    return _matcher(str(path), mtime, locale)
