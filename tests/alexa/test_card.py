"""The note: sent only after a yes to the offer, neutral outside, short and complete inside."""

from __future__ import annotations

import re
from typing import Any

import pytest
from alexa_session import (
    DISCLAIMER,
    ENDING_PATHS,
    OFFERING_PATHS,
    REASSURING,
    AlexaTurn,
    Handler,
    Path,
    Session,
    slot,
)

import skill.alexa.cards as cards
from skill.alexa.cards import build_card
from skill.alexa.voice import Voice, voice_for
from skill.core import assess, available_locales
from skill.testing import content_text

CARD_LIMIT = 8000
LEVELS = ("urgent", "soon", "self_care")  # an emergency answer offers no note
ONE_PATH_PER_LEVEL = {
    level: next(p for p in OFFERING_PATHS if p.level == level) for level in LEVELS
}


def card_after_yes(handler: Handler, path: Path) -> tuple[Session, AlexaTurn]:
    session = path.run(handler)
    assert session.last.is_answer
    return session, session.yes()


def _lines(card: dict[str, Any]) -> list[str]:
    return str(card["content"]).splitlines()


def _section(card: dict[str, Any], heading: str) -> list[str]:
    """The '- ' lines under a heading."""
    lines = _lines(card)
    start = lines.index(heading) + 1
    items = []
    for line in lines[start:]:
        if not line.startswith("- "):
            break
        items.append(line[2:])
    return items


# --- when a card is sent ---------------------------------------------------------------------


@pytest.mark.parametrize("path", OFFERING_PATHS, ids=[p.name for p in OFFERING_PATHS])
def test_card_only_after_yes_to_the_offer(handler: Handler, voice: Voice, path: Path) -> None:
    session, reply = card_after_yes(handler, path)
    assert all(r.raw_card is None for r in session.turns[:-1])
    assert reply.raw_card is not None
    assert reply.raw_card["type"] == "Simple"
    assert reply.speech == voice.say("card_sent")
    assert reply.ends is True
    assert reply.attributes == {}


@pytest.mark.parametrize("path", ONE_PATH_PER_LEVEL.values(), ids=ONE_PATH_PER_LEVEL.keys())
def test_no_card_after_no(handler: Handler, voice: Voice, path: Path) -> None:
    session = path.run(handler)
    reply = session.no()
    assert reply.raw_card is None
    assert reply.speech == voice.say("card_declined")
    assert reply.ends is True
    assert all(r.raw_card is None for r in session.turns)


@pytest.mark.parametrize(
    "detour",
    [
        "AMAZON.HelpIntent",
        "AMAZON.RepeatIntent",
        "AMAZON.FallbackIntent",
        "WhisperIntent",
        "DontKnowIntent",
        "SomeOtherIntent",
    ],
)
def test_detours_at_the_offer_send_no_card_and_keep_the_offer(
    handler: Handler, voice: Voice, detour: str
) -> None:
    session = ONE_PATH_PER_LEVEL["soon"].run(handler)
    reply = session.intent(detour)
    assert reply.raw_card is None and reply.ends is False
    assert reply.stage == "offering"
    assert reply.reprompt == voice.say("card_offer_reprompt")
    assert session.yes().raw_card is not None


def test_yes_to_a_question_never_sends_a_card(session: Session) -> None:
    session.report()
    replies = [session.yes(), session.yes()]  # warning signs? yes. dizzy? yes: the answer
    assert all(r.raw_card is None for r in replies)
    assert replies[-1].is_answer


# --- what the card says ----------------------------------------------------------------------


@pytest.mark.parametrize("level", LEVELS)
def test_card_title_is_neutral(handler: Handler, voice: Voice, level: str) -> None:
    _, reply = card_after_yes(handler, ONE_PATH_PER_LEVEL[level])
    assert reply.raw_card is not None
    title = reply.raw_card["title"]
    first_line = _lines(reply.raw_card)[0]
    assert title == voice.say("card", "title")
    assert first_line == voice.say("card", "summary", level)
    for shown in (title, first_line):
        assert voice.is_discreet(shown), shown


@pytest.mark.parametrize("path", OFFERING_PATHS, ids=[p.name for p in OFFERING_PATHS])
def test_card_content_is_complete(handler: Handler, voice: Voice, path: Path) -> None:
    """Summary, what to do, when to get help sooner, what to mention, at most three pages to
    read, and the disclaimer, within the card limit."""
    session, reply = card_after_yes(handler, path)
    card = reply.raw_card
    assert card is not None
    content = card["content"]
    triage = voice.triage
    level = path.level
    facts = session.turns[-2].session_facts
    assessment = assess(facts, locale="en-US")
    assert assessment.level.id == level

    todo = _section(card, voice.say("card", "todo_heading"))
    _, full_todo, _ = cards.card_sections(assessment, voice)[0]
    assert todo[0] == triage.text("levels", level, "text")
    assert todo == full_todo[: len(todo)], "the most pressing advice, in order"
    assert len(todo) >= min(2, len(full_todo)), "the advice is on the card"

    if level in ("urgent", "soon"):
        assert _section(card, voice.say("card", "mention_heading")) == [
            voice.say("card", "mention")
        ]
    else:
        assert voice.say("card", "mention_heading") not in _lines(card)

    assert level == "emergency" or assessment.safety_net, "every other answer has a safety net"
    if assessment.safety_net:
        assert _section(card, voice.say("card", "sooner_heading")) == [
            triage.text("safety_net", s, "text") for s in assessment.safety_net
        ]

    reading = _section(card, voice.say("card", "reading_heading"))
    assert 1 <= len(reading) <= cards.MAX_READING
    assert all(re.search(r": https://\S+$", line) for line in reading)
    assert content.endswith(DISCLAIMER)
    assert len(card["title"]) + len(content) <= cards.CARD_LIMIT


@pytest.mark.parametrize("level", ("urgent", "soon"))
def test_card_says_what_to_mention_and_who_to_see_when_it_fits(
    handler: Handler, voice: Voice, level: str
) -> None:
    _, reply = card_after_yes(handler, ONE_PATH_PER_LEVEL[level])
    assert reply.raw_card is not None
    content = reply.raw_card["content"]
    assert f"\n{voice.say('card', 'mention_heading')}\n" in content
    if f"\n{voice.say('card', 'clinician_heading')}\n" in content:
        assert voice.say("card", "clinician", level) in content


@pytest.mark.parametrize("path", ENDING_PATHS, ids=[p.name for p in ENDING_PATHS])
def test_no_note_is_offered_or_sent_after_an_emergency_assault_or_not_safe(
    handler: Handler, path: Path
) -> None:
    """An emergency asks nothing; after a disclosure of assault or of not being safe no card is
    offered or sent, as cards show in the household's Alexa app and on screens."""
    session = path.run(handler)
    assert session.last.ends is True and not session.last.offers_card
    later = session.yes()  # a yes now starts a new session: still no card
    assert later.raw_card is None
    assert all(reply.raw_card is None for reply in session.turns)


def test_card_matches_the_spoken_answer(session: Session) -> None:
    """The note is about the answer the person heard, not something else."""
    session.report(slot("menopause", "my periods stopped years ago", match="post"))
    spoken = session.answer_questions(REASSURING)
    reply = session.yes()
    assert spoken.level == "soon"
    assert reply.raw_card is not None
    assert "menopause" in reply.raw_card["content"]


# --- the size limit --------------------------------------------------------------------------

HEADING_KEYS = ("todo", "clinician", "sooner", "mention", "reading", "causes")
# The Spanish card's headings, as es-US's content words them (and not as en-US does).
SPANISH_HEADINGS = {content_text(f"card.{key}_heading", "es-US") for key in HEADING_KEYS}
assert not SPANISH_HEADINGS & {content_text(f"card.{key}_heading") for key in HEADING_KEYS}
CARD_CASES: list[dict[str, Any]] = [
    {  # self-care
        "warning_signs": False,
        "still_bleeding": False,
        "pregnant": "no",
        "consent": "yes",
        "frequency": "first_time",
        "cycle_timing": "near_period",
        "discharge_partner_or_screening": False,
    },
    {"warning_signs": False, "pregnant": "no", "consent": "yes", "frequency": "recurrent"},
    {"warning_signs": False, "pregnant": "yes", "consent": "yes"},
    {"warning_signs": False, "pregnant": "possible", "consent": "yes"},
    {"warning_signs": False, "menopause": "post", "consent": "yes"},
    {"warning_signs": False, "pregnant": "no", "consent": "yes", "unusual_discharge": True},
    {"fever": True, "pain": "none", "pregnant": "no", "consent": "yes", "amount": "light"},
]

BIG_FACTS: dict[str, dict[str, Any]] = {
    "urgent, many rules": {
        "pregnant": "yes",
        "frequency": "recurrent",
        "unusual_discharge": True,
        "dryness": True,
        "pain": "mild",
        "new_partner_or_sti_risk": True,
        "screening_up_to_date": False,
        "menopause": "peri",
        "breastfeeding": True,
        "consent": "yes",
    },
    "soon, many rules": {
        "menopause": "post",
        "frequency": "recurrent",
        "unusual_discharge": True,
        "dryness": True,
        "new_partner_or_sti_risk": True,
        "screening_up_to_date": False,
        "breastfeeding": True,
        "warning_signs": False,
        "consent": "yes",
    },
}


@pytest.mark.parametrize("facts", BIG_FACTS.values(), ids=BIG_FACTS.keys())
@pytest.mark.parametrize("locale", available_locales())
def test_largest_cards_fit_with_every_required_section(facts: dict[str, Any], locale: str) -> None:
    voice = voice_for(locale)
    assessment = assess(facts, locale=locale)
    title, content = build_card(assessment, voice)
    assert len(title) + len(content) <= cards.CARD_LIMIT
    for heading, _lines, required in cards.card_sections(assessment, voice):
        if required:
            assert f"\n{heading}\n" in content, heading
    assert content.endswith(voice.triage.text("disclaimer"))


def test_the_least_pressing_lines_give_way_when_the_card_would_run_over(
    voice: Voice, monkeypatch: pytest.MonkeyPatch
) -> None:
    assessment = assess(BIG_FACTS["soon, many rules"], locale="en-US")
    monkeypatch.setattr(cards, "CARD_LIMIT", 10_000)
    title, full = build_card(assessment, voice)
    monkeypatch.setattr(cards, "CARD_LIMIT", len(title) + len(full) - 10)
    _, trimmed = build_card(assessment, voice)
    assert len(title) + len(trimmed) <= len(title) + len(full) - 10
    required = [h for h, _, must in cards.card_sections(assessment, voice) if must]
    assert all(f"\n{h}\n" in trimmed for h in required)
    kept = trimmed.splitlines()
    assert all(line in full.splitlines() for line in kept)  # whole lines only, none rewritten


@pytest.mark.parametrize("locale", available_locales())
@pytest.mark.parametrize("facts", CARD_CASES, ids=[str(i) for i in range(len(CARD_CASES))])
def test_every_card_is_short_neutral_on_top_and_in_its_own_language(
    locale: str, facts: dict[str, Any]
) -> None:
    """Under CARD_LIMIT; title and first line name no topic; at most three https pages."""
    voice = voice_for(locale)
    assessment = assess(facts, locale=locale)
    title, content = build_card(assessment, voice)
    assert len(title) + len(content) <= cards.CARD_LIMIT
    first_line = content.splitlines()[0]
    assert voice.is_discreet(title) and voice.is_discreet(first_line), (title, first_line)
    reading = _section({"content": content}, voice.say("card", "reading_heading"))
    assert 1 <= len(reading) <= cards.MAX_READING
    assert all(": https://" in line for line in reading)
    if locale.startswith("es"):
        for heading, _lines, _ in cards.card_sections(assessment, voice):
            assert heading in SPANISH_HEADINGS, heading
