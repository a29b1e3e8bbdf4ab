"""Conversations as data: one test per file in tests/conversations/<locale>/*.yaml.

Each file drives the skill in-process through the simulator, as a speaker would, turn by turn:

    description: what the conversation shows
    turns:
      - say: what the person says
        expect:                      # every key optional
          intent: ReportIntent       # or LaunchRequest for "open ..."
          slots: {amount: heavy}     # exactly the filled slots: id, or the words when unresolved
          facts: {amount: heavy}     # a subset of the session's facts ({} alone: no facts at all)
          facts_absent: [pain]       # facts that must not be known
          question: amount           # the fact just asked about, or null
          level: emergency           # the level once answered, or null
          hears: [levels.soon.say, advice.book_check.say]   # content keys the speech says
          not_hears: [card_offer]    # content keys it must not say
          hears_first: levels.emergency.say   # the speech starts with it
          reprompt_hears: [questions.amount.reprompt]
          says: ["...", "..."]       # other words the speech contains (case-insensitive):
                                     # numbers, the person's own words, words never to say
          not_says: ["..."]          # words it must not contain
          card: true                 # a card was sent, or not
          card_titled: card.title    # the card's title is the text at this key
          card_shows: [disclaimer, card.mention_heading]   # content keys the card's text holds
          whispered: true
          end_session: false

Words that come from skill/content/ are named by key, never copied: a key is the dotted path of a
text in the locale's content, as the product reads it (`voice.say("card_offer")` is `card_offer`,
`voice.triage.text("questions", "amount", "say")` is `questions.amount.say`). The expected words
are the product's own, for the conversation's locale (skill.testing.content_text), and spoken ones
as a person hears them (skill.testing.heard_text: "911" in a telephone mark-up, "triple zero" for
"000"). So rewording a sentence is one edit of skill/content/ and no test; a key that names no
text fails the test.

Every turn is also checked for discretion (no word from voice.yaml's never_say is spoken) and every
spoken answer for the disclaimer ("This is information, not a diagnosis.").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from skill.alexa.voice import Voice, voice_for
from skill.core import available_locales
from skill.simulator import Simulator, Turn
from skill.testing import content_text, heard_text

CONVERSATIONS = Path(__file__).resolve().parent / "conversations"
FILES = sorted(CONVERSATIONS.glob("*/*.yaml"))
# A check reads the turn, what the file expects, and the conversation's locale.
Check = Callable[[Turn, Any, str], list[str]]


def _contains(text: str, words: list[str], label: str) -> list[str]:
    return [f"{label} lacks {w!r}: {text!r}" for w in words if w.lower() not in text.lower()]


def _exact(name: str) -> Check:
    def check(turn: Turn, wanted: Any, locale: str) -> list[str]:
        got = getattr(turn, name)
        return [] if got == wanted else [f"{name} is {got!r}, expected {wanted!r}"]

    return check


def _facts(turn: Turn, wanted: Mapping[str, Any], locale: str) -> list[str]:
    if wanted == {} and turn.facts:
        return [f"facts should be empty: {turn.facts}"]
    return [
        f"fact {name} is {turn.facts.get(name, '<absent>')!r}, expected {value!r}"
        for name, value in wanted.items()
        if turn.facts.get(name, object()) != value
    ]


def _card(turn: Turn, wanted: bool, locale: str) -> list[str]:
    return [] if (turn.card is not None) == wanted else [f"card is {turn.card!r}"]


def _hears(part: Callable[[Turn], str | None], label: str, present: bool = True) -> Check:
    """Each content key's words, as heard in the locale, are in (or absent from) a part of the
    turn."""

    def check(turn: Turn, keys: list[str], locale: str) -> list[str]:
        text = part(turn) or ""
        return [
            f"{label} {'lacks' if present else 'says'} {key} ({heard!r}): {text!r}"
            for key in keys
            if ((heard := heard_text(key, locale)) in text) is not present
        ]

    return check


def _hears_first(turn: Turn, key: str, locale: str) -> list[str]:
    heard = heard_text(key, locale)
    return [] if turn.speech.startswith(heard) else [f"speech is not {key} first: {turn.speech!r}"]


def _card_shows(turn: Turn, keys: list[str], locale: str) -> list[str]:
    text = (turn.card or {}).get("text", "")
    return [f"card lacks {k}: {text!r}" for k in keys if content_text(k, locale) not in text]


def _card_titled(turn: Turn, key: str, locale: str) -> list[str]:
    title = content_text(key, locale)
    return [] if turn.card and turn.card["title"] == title else [f"card: {turn.card}"]


CHECKS: dict[str, Check] = {
    "intent": _exact("intent"),
    "slots": _exact("slots"),
    "question": _exact("question"),
    "level": _exact("level"),
    "end_session": _exact("end_session"),
    "whispered": _exact("whispered"),
    "facts": _facts,
    "facts_absent": lambda t, names, _: [f"fact {n} is known" for n in names if n in t.facts],
    "hears": _hears(lambda t: t.speech, "speech"),
    "not_hears": _hears(lambda t: t.speech, "speech", present=False),
    "hears_first": _hears_first,
    "reprompt_hears": _hears(lambda t: t.reprompt, "reprompt"),
    "says": lambda t, words, _: _contains(t.speech, words, "speech"),
    "not_says": lambda t, words, _: [
        f"speech says {w!r}" for w in words if w.lower() in t.speech.lower()
    ],
    "card": _card,
    "card_titled": _card_titled,
    "card_shows": _card_shows,
}


def _always(turn: Turn, voice: Voice) -> list[str]:
    """Discretion on every turn; the disclaimer on every spoken answer."""
    problems = [f"speech says {w!r}" for w in voice.explicit_words_in(turn.speech)]
    answered = turn.level and voice.triage.text("levels", turn.level, "say") in turn.speech
    if answered and "card_offer" in voice.texts and voice.say("card_offer") in turn.speech:
        disclaimer = voice.triage.text("disclaimer")
        if disclaimer not in turn.speech:
            problems.append(f"the answer lacks the disclaimer {disclaimer!r}")
        if voice.locale == "en-US" and "not a diagnosis" not in turn.speech:
            problems.append("the answer does not say 'not a diagnosis'")
    return problems


def _load(path: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict) and isinstance(data.get("turns"), list), f"{path}: no turns"
    assert isinstance(data.get("description"), str), f"{path}: no description"
    for index, turn in enumerate(data["turns"]):
        where = f"{path.name} turn {index + 1}"
        assert isinstance(turn, dict), f"{where}: not a mapping"
        assert isinstance(turn.get("say"), str), f"{where}: say must be a string (quote yes/no)"
        unknown = set(turn.get("expect") or {}) - CHECKS.keys()
        assert not unknown, f"{where}: unknown expectations {unknown}"
    return list(data["turns"])


@pytest.mark.parametrize(
    "path", FILES, ids=[f"{p.parent.name}/{p.stem}" for p in FILES] if FILES else None
)
def test_conversation(path: Path) -> None:
    locale = path.parent.name
    voice = voice_for(locale)
    simulator = Simulator(locale)
    failures: list[str] = []
    for index, step in enumerate(_load(path), start=1):
        turn = simulator.say(step["say"])
        found = _always(turn, voice)
        for key, wanted in (step.get("expect") or {}).items():
            found += CHECKS[key](turn, wanted, locale)
        failures += [f"turn {index} ({step['say']!r} -> {turn.intent}): {p}" for p in found]
    assert not failures, "\n".join(failures)


def test_every_locale_has_conversations() -> None:
    for locale in available_locales():
        assert list((CONVERSATIONS / locale).glob("*.yaml")), f"no conversations for {locale}"


def test_enough_conversations_for_en_us() -> None:
    assert len(list((CONVERSATIONS / "en-US").glob("*.yaml"))) >= 30


def _turn(speech: str, card: dict[str, str] | None = None) -> Turn:
    return Turn("", "ReportIntent", {}, speech, None, card, {}, None, None, False)


def test_hears_needs_the_words_of_the_key_in_the_locale() -> None:
    """A key passes only when the speech holds its words as heard in that locale: the number
    by its name in en-AU, the disclaimer in Spanish for es-US."""
    emergency = _turn("Please call triple zero now. This is information, not a diagnosis.")
    assert CHECKS["hears_first"](emergency, "levels.emergency.say", "en-AU") == []
    assert CHECKS["hears_first"](emergency, "levels.emergency.say", "en-GB")
    assert CHECKS["hears"](emergency, ["disclaimer"], "en-AU") == []
    assert CHECKS["hears"](emergency, ["disclaimer"], "es-US")
    assert CHECKS["not_hears"](emergency, ["card_offer"], "en-AU") == []
    assert CHECKS["not_hears"](emergency, ["levels.emergency.say"], "en-AU")


def test_a_key_that_names_no_text_fails() -> None:
    with pytest.raises(KeyError, match=r"levels\.soon"):
        CHECKS["hears"](_turn("anything"), ["levels.soon"], "en-US")
    with pytest.raises(KeyError, match="no text"):
        CHECKS["card_shows"](_turn("", {"title": "", "text": ""}), ["tell me"], "en-US")


def test_conversations_name_content_by_key_not_by_its_words() -> None:
    """A `says` that quotes a whole sentence of the locale's content should name its key."""
    from skill.core.content import iter_strings

    copied = []
    for path in FILES:
        voice = voice_for(path.parent.name)
        sentences = {
            text.format_map(voice.services).lower()
            for texts in (voice.texts, voice.triage.texts)
            for key, text in iter_strings(texts)
            if not key.startswith("discretion.")
        }
        for step in _load(path):
            for word in (step.get("expect") or {}).get("says", []):
                if word.lower() in sentences:
                    copied.append(f"{path.parent.name}/{path.stem}: {word!r}")
    assert not copied, "\n".join(copied)
