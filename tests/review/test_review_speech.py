"""What people hear and read, as the pack shows it, is what the skill says: each representative
answer equals the one skill.alexa.conversation.Conversation gives for the same facts (and its note
the one sent after a yes), in every locale; every level is shown in every locale its policy
reaches; every question with its reprompt."""

from __future__ import annotations

from typing import Any

import pytest

from skill.alexa.conversation import Conversation, State
from skill.alexa.slots import SlotReading
from skill.alexa.voice import voice_for
from skill.core import Level, available_locales, default_knowledge, next_question
from skill.review.speech import answer, finished, load_cases, seconds, word_count

KNOWLEDGE = default_knowledge()
CASES, ANSWERS = load_cases(KNOWLEDGE)
LOCALES = available_locales()


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_each_answer_is_the_one_the_conversation_gives(locale: str, case: Any) -> None:
    voice = voice_for(locale)
    facts = finished(case, ANSWERS, locale, KNOWLEDGE)
    assert next_question(facts, locale=locale) is None  # a finished conversation
    shown = answer(facts, voice)
    conversation = Conversation(voice, State())
    if facts.get("safe_now") is False:
        reply = conversation.not_safe()
    else:
        reply = conversation.answer(SlotReading(facts=dict(facts)))
    assert shown["speech"] == reply.speech
    assert shown["whispered"] == conversation.state.whisper
    assert shown["level"] == conversation.state.level
    if shown["offer"]:
        sent = conversation.yes().card
        assert sent is not None and shown["card"] == {"title": sent.title, "content": sent.content}
    else:
        assert shown["card"] is None and reply.end_session


@pytest.mark.parametrize("locale", LOCALES)
def test_every_level_the_locale_can_give_is_shown(locale: str, pack_data: dict[str, Any]) -> None:
    shown = {row["level"] for row in pack_data["locales"][locale]["answers"]}
    policy = KNOWLEDGE.policies[locale].benign_level
    expected = {level.id for level in Level if level is not Level.SELF_CARE or policy is level}
    assert shown == expected


@pytest.mark.parametrize("locale", LOCALES)
def test_every_question_is_shown_with_its_reprompt(locale: str, pages: dict[str, str]) -> None:
    voice = voice_for(locale)
    page = pages[f"hear-{locale}.html"]
    for question in KNOWLEDGE.questions:
        for kind in ("say", "reprompt"):
            said = voice.triage.text("questions", question.id, kind)
            assert said.replace("'", "&#x27;").replace('"', "&quot;") in page, (question.id, kind)


def test_word_counts_and_speaking_time_follow_the_skill_s_rate() -> None:
    assert word_count(["Please call 911 now.", "This is information."]) == 7
    assert seconds(70) == 25.0
    assert seconds(7) == 2.5


def test_the_pack_shows_the_word_count_and_time_of_each_answer(pack_data: dict[str, Any]) -> None:
    for rows in pack_data["locales"].values():
        for row in rows["answers"]:
            assert row["words"] == word_count(row["speech"])
            assert row["seconds"] == seconds(row["words"])
