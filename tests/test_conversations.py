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
          starts_with: "..."         # the speech's first words
          says: ["...", "..."]       # words the speech contains (case-insensitive)
          not_says: ["..."]          # words it must not contain
          reprompt_says: ["..."]
          card: true                 # a card was sent, or not
          card_title: "..."
          card_says: ["..."]
          whispered: true
          end_session: false

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

CONVERSATIONS = Path(__file__).resolve().parent / "conversations"
FILES = sorted(CONVERSATIONS.glob("*/*.yaml"))
Check = Callable[[Turn, Any], list[str]]


def _contains(text: str, words: list[str], label: str) -> list[str]:
    return [f"{label} lacks {w!r}: {text!r}" for w in words if w.lower() not in text.lower()]


def _exact(name: str) -> Check:
    def check(turn: Turn, wanted: Any) -> list[str]:
        got = getattr(turn, name)
        return [] if got == wanted else [f"{name} is {got!r}, expected {wanted!r}"]

    return check


def _facts(turn: Turn, wanted: Mapping[str, Any]) -> list[str]:
    if wanted == {} and turn.facts:
        return [f"facts should be empty: {turn.facts}"]
    return [
        f"fact {name} is {turn.facts.get(name, '<absent>')!r}, expected {value!r}"
        for name, value in wanted.items()
        if turn.facts.get(name, object()) != value
    ]


def _card(turn: Turn, wanted: bool) -> list[str]:
    return [] if (turn.card is not None) == wanted else [f"card is {turn.card!r}"]


CHECKS: dict[str, Check] = {
    "intent": _exact("intent"),
    "slots": _exact("slots"),
    "question": _exact("question"),
    "level": _exact("level"),
    "end_session": _exact("end_session"),
    "whispered": _exact("whispered"),
    "facts": _facts,
    "facts_absent": lambda t, names: [f"fact {n} is known" for n in names if n in t.facts],
    "starts_with": lambda t, w: [] if t.speech.startswith(w) else [f"speech: {t.speech!r}"],
    "says": lambda t, words: _contains(t.speech, words, "speech"),
    "not_says": lambda t, words: [
        f"speech says {w!r}" for w in words if w.lower() in t.speech.lower()
    ],
    "reprompt_says": lambda t, words: _contains(t.reprompt or "", words, "reprompt"),
    "card": _card,
    "card_title": lambda t, w: [] if t.card and t.card["title"] == w else [f"card: {t.card}"],
    "card_says": lambda t, words: _contains((t.card or {}).get("text", ""), words, "card"),
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
            found += CHECKS[key](turn, wanted)
        failures += [f"turn {index} ({step['say']!r} -> {turn.intent}): {p}" for p in found]
    assert not failures, "\n".join(failures)


def test_every_locale_has_conversations() -> None:
    for locale in available_locales():
        assert list((CONVERSATIONS / locale).glob("*.yaml")), f"no conversations for {locale}"


def test_enough_conversations_for_en_us() -> None:
    assert len(list((CONVERSATIONS / "en-US").glob("*.yaml"))) >= 30
