"""What people hear and read, per locale, rendered by the skill itself.

Answers come from the Alexa adapter's own functions (`answer_speech`, `emergency_speech`,
`build_card`) on the representative cases of cases.yaml; questions, their reprompts and every other
text from the locale's Voice. Nothing here writes words of its own: it only puts the skill's
sentences together the way the conversation does at its end (tests/review/test_speech.py holds
each answer to the one skill.alexa.conversation.Conversation gives for the same facts).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skill.alexa.cards import build_card
from skill.alexa.conversation import ANSWER_WORD_BUDGET, answer_speech, emergency_speech
from skill.alexa.voice import Voice
from skill.core import (
    FactError,
    FactValue,
    Knowledge,
    Level,
    assess,
    merge_facts,
    next_question,
    validate_facts,
)
from skill.core.content import iter_strings
from skill.core.loader import read_yaml
from skill.review.paths import ReviewError

__all__ = [
    "CASES_FILE",
    "WORDS_PER_SECOND",
    "Case",
    "answer",
    "load_cases",
    "locale_texts",
    "questions",
    "seconds",
    "word_count",
]

CASES_FILE = Path(__file__).resolve().parent / "cases.yaml"
WORDS_PER_SECOND = 2.8  # Alexa's speaking rate, as the conversation's word budget assumes


def word_count(sentences: list[str]) -> int:
    return sum(len(sentence.split()) for sentence in sentences)


def seconds(words: int) -> float:
    return round(words / WORDS_PER_SECOND, 1)


@dataclass(frozen=True)
class Case:
    id: str
    story: str
    facts: Mapping[str, FactValue]


def load_cases(
    knowledge: Knowledge, path: Path = CASES_FILE
) -> tuple[list[Case], dict[str, FactValue]]:
    """The cases and the answers that finish their conversations, checked against the facts."""
    data = read_yaml(path)
    where = path.name
    if not isinstance(data, Mapping) or not isinstance(data.get("cases"), list):
        raise ReviewError(f"{where}: needs 'answers' and a list of 'cases'")
    try:
        answers = validate_facts(data.get("answers") or {}, knowledge)
    except FactError as error:
        raise ReviewError(f"{where}: answers: {error}") from None
    cases: list[Case] = []
    for index, raw in enumerate(data["cases"], 1):
        if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str):
            raise ReviewError(f"{where}: case {index}: needs an id")
        if not isinstance(raw.get("story"), str) or not raw["story"].strip():
            raise ReviewError(f"{where}: case {raw['id']}: needs a story")
        try:
            facts = validate_facts(raw.get("facts") or {}, knowledge)
        except FactError as error:
            raise ReviewError(f"{where}: case {raw['id']}: {error}") from None
        if raw["id"] in {case.id for case in cases}:
            raise ReviewError(f"{where}: case {raw['id']}: a second case of this id")
        cases.append(Case(raw["id"], raw["story"].strip(), facts))
    return cases, answers


def finished(
    case: Case, answers: Mapping[str, FactValue], locale: str, knowledge: Knowledge
) -> dict[str, FactValue]:
    """The case's facts once every question the core still asks is answered from `answers`."""
    facts = dict(case.facts)
    for _ in range(len(knowledge.questions) + 1):
        question = next_question(facts, locale=locale, knowledge=knowledge)
        if question is None:
            return facts
        if question not in answers:
            raise ReviewError(f"cases.yaml: answers: no answer to the question '{question}'")
        facts = merge_facts(facts, {question: answers[question]}, knowledge)
    raise ReviewError(f"cases.yaml: case {case.id}: the questions never end in {locale}")


def answer(facts: Mapping[str, FactValue], voice: Voice) -> dict[str, Any]:
    """The end of a conversation with these facts: what is said, and the note if one is offered.

    As skill.alexa.conversation.Conversation answers: a person who is not safe hears only the
    number, whispered, and the disclaimer; an emergency answer ends the session; after a disclosure
    of assault no note is offered; otherwise the offer of a note closes the answer."""
    assessment = assess(facts, locale=voice.locale, knowledge=voice.knowledge)
    level = assessment.level
    offer = False
    whispered = facts.get("safe_now") is False
    if whispered:
        speech = [voice.say("not_safe_answer"), voice.triage.text("disclaimer")]
    elif level is Level.EMERGENCY:
        speech = emergency_speech(assessment.advice, voice)
    else:
        offer = facts.get("consent") not in ("no", "unclear")
        closing = [voice.say("card_offer")] if offer else []
        budget = ANSWER_WORD_BUDGET - word_count(closing)
        speech = [
            *answer_speech(level, assessment.advice, assessment.safety_net, voice, budget=budget),
            *closing,
        ]
    card = build_card(assessment, voice) if offer else None
    words = word_count(speech)
    return {
        "level": level.id,
        "rules": list(assessment.rules),
        "speech": speech,
        "whispered": whispered,
        "words": words,
        "seconds": seconds(words),
        "offer": offer,
        "card": {"title": card[0], "content": card[1]} if card else None,
    }


def questions(voice: Voice, knowledge: Knowledge) -> list[dict[str, Any]]:
    """Every question as it is asked, its reprompt, and the choices said after two misses."""
    choices = voice.texts.get("choices", {})
    asked = []
    for question in knowledge.questions:
        say = voice.triage.text("questions", question.id, "say")
        reprompt = voice.triage.text("questions", question.id, "reprompt")
        said_choices = voice.say("choices", question.id if question.id in choices else "yes_no")
        asked.append(
            {
                "id": question.id,
                "say": say,
                "reprompt": reprompt,
                "choices": said_choices,
                "words": word_count([say]),
                "seconds": seconds(word_count([say])),
                "reprompt_words": word_count([reprompt]),
                "yes": question.yes,
                "no": question.no,
                "unknown": question.unknown,
            }
        )
    return asked


SPOKEN_VOICE_EXCLUDED = ("card.", "screen.", "discretion.")


def locale_texts(voice: Voice) -> list[dict[str, Any]]:
    """Every text of the locale's two files, as said or shown (placeholders filled in), with
    whether it is spoken and, if so, its length."""
    rows = []
    for file, texts, services in (
        ("triage.yaml", voice.triage.texts, voice.triage.services),
        ("voice.yaml", voice.texts, voice.services),
    ):
        for key, raw in iter_strings(texts):
            said = raw.format_map(services)
            spoken = (
                key == "disclaimer" or key.endswith((".say", ".reprompt"))
                if file == "triage.yaml"
                else not key.startswith(SPOKEN_VOICE_EXCLUDED)
            )
            words = word_count([said]) if spoken else None
            rows.append(
                {
                    "file": file,
                    "key": key,
                    "text": said,
                    "spoken": spoken,
                    "words": words,
                    "seconds": seconds(words) if words is not None else None,
                }
            )
    rows.append(
        {
            "file": "voice.yaml",
            "key": "discretion.never_say",
            "text": ", ".join(voice.never_say),
            "spoken": False,
            "words": None,
            "seconds": None,
        }
    )
    return rows
