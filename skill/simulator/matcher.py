"""What Alexa would make of a typed utterance, resolved against one generated interaction model.

hassil's recognizer does the matching: every sample of the model (and each built-in intent's
common phrases, from the language file) is a hassil sentence, every slot a list of its type's
values and synonyms (out = the value's id), AMAZON.NUMBER a range of whole numbers. Both sides are
made canonical first (text.canonical: case, punctuation, accents, typed shorthand, disfluencies),
and discourse markers at the very start or end are dropped (text.strip_fillers).

What Alexa does and hassil does not, kept here:
- entity resolution: a slot filled from the catalogue is ER_SUCCESS_MATCH with the value's id;
  a slot position filled with other words is ER_SUCCESS_NO_MATCH (hassil's unmatched entities),
  tried only when nothing matches from the catalogue, only for samples with at least two written
  words besides their slots, and for at most five words;
- Dialog.ElicitSlot: while the skill elicits a slot, that slot's own samples (`slots[].samples`
  of AnswerIntent) are tried too, after the other intents' samples;
- "open <name>", "ask <name> <request>" and their Spanish forms (the language file says how).

It is never more lenient than that: no extra words inside a sentence, no words left out, no
guessing a value's id from words outside the catalogue.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from hassil import Intents, RecognizeResult, recognize_all
from hassil import intents as hassil_intents
from hassil.models import UnmatchedTextEntity

from skill.simulator.interaction_model import (
    ELICITING_INTENT,
    Intent,
    InteractionModel,
    load_model,
    model_path,
)
from skill.simulator.language import Language, language_for
from skill.simulator.text import canonical, digits_for_numbers, strip_fillers

__all__ = [
    "FALLBACK",
    "INTENT",
    "LAUNCH",
    "MATCH",
    "NO_MATCH",
    "Matcher",
    "SlotFill",
    "Understood",
    "is_sample_phrase",
    "matcher_for",
    "sample_intent",
]

MATCH, NO_MATCH = "ER_SUCCESS_MATCH", "ER_SUCCESS_NO_MATCH"
FALLBACK = "AMAZON.FallbackIntent"
LAUNCH, INTENT = "LaunchRequest", "IntentRequest"
NUMBER_TYPE = "AMAZON.NUMBER"
FAMILY = frozenset({"ReportIntent", ELICITING_INTENT})

MAX_FREE_WORDS = 5  # words a slot position outside the catalogue may hold
FREE_MIN_WORDS = 2  # written words (besides slots) a sample needs before a free slot is believed
_SLOT = re.compile(r"\{([^{}]*)\}")


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
class _Found:
    rank: tuple[int, ...]
    intent: str
    slots: tuple[SlotFill, ...]
    sample: str


def canonical_sample(sample: str, language: Language) -> str:
    """A sample's words made canonical, its {slots} kept."""
    parts = _SLOT.split(sample)
    out = []
    for index, part in enumerate(parts):
        out.append(f"{{{part}}}" if index % 2 else " ".join(canonical(part, language)))
    return " ".join(" ".join(out).split())


class Matcher:
    """One locale's model, compiled for matching. Build it with `matcher_for` (cached)."""

    def __init__(self, model: InteractionModel, language: Language) -> None:
        self.model = model
        self.language = language
        self.invocation = canonical(model.invocation, language)
        self.values: dict[str, dict[str, tuple[str, str]]] = {}  # type -> phrase -> (id, name)
        for type_name, values in model.types.items():
            table = self.values.setdefault(type_name, {})
            for value in values:
                for phrase in value.phrases:
                    table.setdefault(" ".join(canonical(phrase, language)), (value.id, value.name))
        self.slot_types: dict[str, str] = {}
        for intent in model.intents:
            self.slot_types.update(dict(intent.slots))
        self.samples: dict[str, str] = {}  # canonical sample -> as written
        self.main = self._intents(
            {intent.name: self._sentences(intent) for intent in model.intents}
        )
        answer = model.intent(ELICITING_INTENT)
        self.eliciting: dict[str, Intents] = {}
        for slot, samples in (answer.slot_samples if answer else {}).items():
            sentences = [canonical_sample(s, language) for s in samples]
            self.samples.update({c: s for c, s in zip(sentences, samples, strict=True)})
            self.eliciting[slot] = self._eliciting(sentences)

    # --- building -----------------------------------------------------------------------------

    def _sentences(self, intent: Intent) -> list[str]:
        written = list(intent.samples)
        if intent.name.startswith("AMAZON."):
            written += self.language.builtin_phrases.get(intent.name, ())
        sentences = []
        for sample in written:
            sentence = canonical_sample(sample, self.language)
            if sentence:
                self.samples.setdefault(sentence, sample)
                sentences.append(sentence)
        return list(dict.fromkeys(sentences))

    def _intents(self, sentences: Mapping[str, list[str]]) -> Intents:
        lists: dict[str, Any] = {}
        for slot, slot_type in self.slot_types.items():
            if slot_type == NUMBER_TYPE:
                lists[slot] = {"range": {"from": 0, "to": 999, "words": False}}
            else:
                table = self.values.get(slot_type, {})
                lists[slot] = {"values": [{"in": p, "out": v[0]} for p, v in table.items()]}
        data = {
            name: {"data": [{"sentences": listed}]} for name, listed in sentences.items() if listed
        }
        return Intents.from_dict({"language": self.language.code, "intents": data, "lists": lists})

    def _eliciting(self, sentences: list[str]) -> Intents:
        """One elicited slot's samples, sharing the slot lists already parsed for the model
        (parsing every list again per elicited slot was most of the load time)."""
        data = hassil_intents.IntentData(sentence_texts=list(dict.fromkeys(sentences)))
        intent = hassil_intents.Intent(name=ELICITING_INTENT, data=[data])
        return replace(self.main, intents={ELICITING_INTENT: intent} if sentences else {})

    # --- understanding ------------------------------------------------------------------------

    def understand(self, text: str, *, eliciting: str | None = None) -> Understood:
        """A typed utterance as the request Alexa would send. `eliciting`: the slot the skill's
        last response elicited with Dialog.ElicitSlot, if any."""
        words = canonical(text, self.language)
        return self._invocation(words) or self.match(words, eliciting=eliciting)

    def match(
        self, words: Sequence[str], *, eliciting: str | None = None, new_session: bool = False
    ) -> Understood:
        found = self.best(words, eliciting)
        if found is None:
            return Understood(INTENT, FALLBACK, new_session=new_session)
        return Understood(INTENT, found.intent, found.slots, new_session, found.sample)

    def best(self, words: Sequence[str], eliciting: str | None = None) -> _Found | None:
        stripped = strip_fillers(words, self.language)
        texts = _variants(stripped, self.language)
        if stripped != list(words):
            # A sample may itself start or end with such a word ("like a period"): Alexa matches
            # it as said, so the words as said are tried too, after the stripped ones.
            texts += [t for t in _variants(words, self.language) if t not in texts]
        if not texts:
            return None
        strict = self._found(texts, self.main, free=False)
        own = [f for f in strict if f.intent not in FAMILY]
        if own:
            return min(own, key=lambda f: f.rank)
        if eliciting in self.eliciting:
            elicited = self._found(texts, self.eliciting[eliciting], free=False)
            if elicited:
                return min(elicited, key=lambda f: f.rank)
        if strict:
            return min(strict, key=lambda f: f.rank)
        free = self._found(texts, self.main, free=True)
        if eliciting in self.eliciting:
            free += self._found(texts, self.eliciting[eliciting], free=True)
        return min(free, key=lambda f: f.rank) if free else None

    def _found(self, texts: Sequence[str], intents: Intents, *, free: bool) -> list[_Found]:
        found: list[_Found] = []
        for variant, text in enumerate(texts):
            for result in recognize_all(text, intents, allow_unmatched_entities=free):
                item = self._result(result, variant, free=free)
                if item is not None:
                    found.append(item)
        return found

    def _result(self, result: RecognizeResult, variant: int, *, free: bool) -> _Found | None:
        sentence = result.intent_sentence.text if result.intent_sentence else ""
        sample = self.samples.get(sentence or "", sentence or "")
        unmatched = {
            name: entity.text.strip()
            for name, entity in result.unmatched_entities.items()
            if isinstance(entity, UnmatchedTextEntity) and entity.text.strip()
        }
        if free:
            written = len(_SLOT.sub(" ", sentence or "").split())
            if not unmatched or written < FREE_MIN_WORDS:
                return None
            if any(len(text.split()) > MAX_FREE_WORDS for text in unmatched.values()):
                return None
        elif unmatched:
            return None
        intent = self.model.intent(result.intent.name)
        declared = intent.slots if intent else ()
        fills: dict[str, SlotFill] = {name: SlotFill(name, t) for name, t in declared}
        for name, entity in result.entities.items():
            slot_type = self.slot_types.get(name, "")
            if slot_type == NUMBER_TYPE:
                fills[name] = SlotFill(name, slot_type, str(int(float(entity.value))))
                continue
            spoken = entity.text.strip()
            value_id, value_name = self.values.get(slot_type, {}).get(spoken, (None, None))
            if value_id is None:
                value_id = str(entity.value)
                value_name = next(
                    (n for i, n in self.values.get(slot_type, {}).values() if i == value_id), None
                )
            fills[name] = SlotFill(name, slot_type, spoken, value_id, value_name)
        for name, text in unmatched.items():
            fills[name] = SlotFill(name, self.slot_types.get(name, ""), text)
        order = list(self.model.intent_names)
        rank = (
            len(unmatched),
            variant,
            -len(result.entities),
            -result.text_chunks_matched,
            order.index(result.intent.name) if result.intent.name in order else len(order),
        )
        return _Found(rank, result.intent.name, tuple(fills.values()), sample)

    def _invocation(self, words: Sequence[str]) -> Understood | None:
        """'open care compass' launches; 'ask care compass <request>' is a one-shot request
        ("abre ...", "pídele a ... que ..." in Spanish)."""
        name, language = self.invocation, self.language
        tokens = list(words)
        if not name or not tokens:
            return None
        fold = language.fold
        one_shot = tokens[0] in {fold(v) for v in language.one_shot_verbs}
        if one_shot or tokens[0] in {fold(v) for v in language.launch_verbs}:
            position = 1
        elif any(tuple(tokens[: len(o)]) == tuple(map(fold, o)) for o in language.openers):
            position = 2
        else:
            return None
        for article in ((), *(tuple(map(fold, a)) for a in language.articles)):
            start = position + len(article)
            if (
                tuple(tokens[position:start]) == article
                and tokens[start : start + len(name)] == name
            ):
                position = start + len(name)
                break
        else:
            return None
        rest = tokens[position:]
        if one_shot:
            connective = next(
                (
                    len(c)
                    for c in language.connectives
                    if tuple(rest[: len(c)]) == tuple(map(fold, c))
                ),
                0,
            )
            # Without the connective first; then with it, as it may belong to the request
            # (Spanish "qué", what, is "que", that, once unaccented).
            remainders = [rest[connective:], rest] if connective else [rest]
        elif rest[:1] and rest[0] in {fold(w) for w in language.joining_words}:
            remainders = [rest[1:]]
        else:
            return Understood(LAUNCH, new_session=True)
        if not remainders[0]:
            return Understood(LAUNCH, new_session=True)
        found = [f for f in (self.best(r) for r in remainders) if f is not None]
        if not found:
            return Understood(INTENT, FALLBACK, new_session=True)
        # A reading from the catalogue beats one with words outside it, whichever remainder.
        best = min(found, key=lambda f: f.rank[0])
        return Understood(INTENT, best.intent, best.slots, True, best.sample)


def _variants(words: Sequence[str], language: Language) -> list[str]:
    """The words as typed, and with number words as digits (AMAZON.NUMBER), if that differs."""
    if not words:
        return []
    texts = [" ".join(words)]
    digits = " ".join(digits_for_numbers(words, language))
    if digits != texts[0]:
        texts.append(digits)
    return texts


@lru_cache(maxsize=8)
def _matcher(path: str, _mtime_ns: int, locale: str) -> Matcher:
    folder = Path(path).parent
    return Matcher(load_model(locale, folder), language_for(locale, folder / "sentences"))


def matcher_for(locale: str, model_dir: Path | None = None) -> Matcher:
    """The compiled matcher for a locale's model file, rebuilt only when the file changes.
    The language comes from `<model_dir>/sentences/<language>/_language.yaml`."""
    path = model_path(locale, model_dir).resolve()
    mtime = path.stat().st_mtime_ns if path.exists() else 0
    return _matcher(str(path), mtime, locale)


def sample_intent(locale: str, phrase: str, model_dir: Path | None = None) -> str | None:
    """The request a whole spoken phrase reaches in the locale's model ("LaunchRequest", an
    intent name), or None when Alexa would fall back. For checking example phrases such as
    "Alexa, ask care compass about spotting after sex": a leading "alexa" is ignored."""
    understood = matcher_for(locale, model_dir).understand(phrase)
    if understood.request_type == LAUNCH:
        return LAUNCH
    return None if understood.intent == FALLBACK else understood.intent


_BY_CONTENT: dict[tuple[str, str], Matcher] = {}


def is_sample_phrase(
    locale: str,
    phrase: str,
    model: Mapping[str, Any] | None = None,
    model_dir: Path | None = None,
) -> bool:
    """Whether `phrase` (what follows "ask <invocation name>", e.g. "about spotting after sex") is
    one of the locale's model's own samples: it reaches a custom intent with every slot filled
    from the catalogue. A built-in intent's phrase ("help") is not: the model lists no samples
    for it, and certification wants example phrases taken from the samples. `model` is the
    parsed JSON (else the file in `model_dir`). For the manifest builder's example-phrase check."""
    if model is None:
        matcher = matcher_for(locale, model_dir)
    else:
        # A build reads the same models again and again: one matcher per content.
        digest = hashlib.sha256(json.dumps(model, sort_keys=True).encode("utf-8")).hexdigest()
        matcher = _BY_CONTENT.get((locale, digest))  # type: ignore[assignment]
        if matcher is None:
            from skill.simulator.interaction_model import parse_model

            parsed = parse_model(model, locale, model_path(locale, model_dir))
            folder = (model_dir or model_path(locale).parent) / "sentences"
            if len(_BY_CONTENT) >= 8:
                _BY_CONTENT.clear()
            matcher = _BY_CONTENT[(locale, digest)] = Matcher(parsed, language_for(locale, folder))
    words = canonical(phrase, matcher.language)
    candidates = [words]
    fold = matcher.language.fold
    for connective in matcher.language.connectives:  # "about spotting after sex"
        lead = tuple(map(fold, connective))
        if tuple(words[: len(lead)]) == lead:
            candidates.append(words[len(lead) :])
    for candidate in candidates:
        found = matcher.best(candidate)
        if found is not None and found.rank[0] == 0 and not found.intent.startswith("AMAZON."):
            return True
    return False
