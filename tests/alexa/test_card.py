"""The note: sent only after a yes to the offer, neutral outside, short and complete inside."""

from __future__ import annotations

import re
from typing import Any

import pytest
from alexa_session import DISCLAIMER, PATHS, REASSURING, Handler, Path, Reply, Session, slot

import skill.alexa.cards as cards
from skill.alexa.cards import build_card
from skill.alexa.voice import Voice
from skill.core import assess

CARD_LIMIT = 8000
LEVELS = ("emergency", "urgent", "soon", "self_care")
ONE_PATH_PER_LEVEL = {level: next(p for p in PATHS if p.level == level) for level in LEVELS}


def card_after_yes(handler: Handler, path: Path) -> tuple[Session, Reply]:
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


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_card_only_after_yes_to_the_offer(handler: Handler, voice: Voice, path: Path) -> None:
    session, reply = card_after_yes(handler, path)
    assert all(r.card is None for r in session.replies[:-1])
    assert reply.card is not None
    assert reply.card["type"] == "Simple"
    assert reply.speech == voice.say("card_sent")
    assert reply.ends is True
    assert reply.attributes == {}


@pytest.mark.parametrize("path", ONE_PATH_PER_LEVEL.values(), ids=ONE_PATH_PER_LEVEL.keys())
def test_no_card_after_no(handler: Handler, voice: Voice, path: Path) -> None:
    session = path.run(handler)
    reply = session.no()
    assert reply.card is None
    assert reply.speech == voice.say("card_declined")
    assert reply.ends is True
    assert all(r.card is None for r in session.replies)


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
    reply = session.say(detour)
    assert reply.card is None and reply.ends is False
    assert reply.stage == "offering"
    assert reply.reprompt == voice.say("card_offer_reprompt")
    assert session.yes().card is not None


def test_yes_to_a_question_never_sends_a_card(session: Session) -> None:
    session.report()
    replies = [session.yes(), session.yes()]  # warning signs? yes. dizzy? yes: the answer
    assert all(r.card is None for r in replies)
    assert replies[-1].is_answer


# --- what the card says ----------------------------------------------------------------------


@pytest.mark.parametrize("level", LEVELS)
def test_card_title_is_neutral(handler: Handler, voice: Voice, level: str) -> None:
    _, reply = card_after_yes(handler, ONE_PATH_PER_LEVEL[level])
    assert reply.card is not None
    title = reply.card["title"]
    first_line = _lines(reply.card)[0]
    assert title == voice.say("card", "title")
    assert first_line == voice.say("card", "summary", level)
    for shown in (title, first_line):
        assert voice.is_discreet(shown), shown


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_card_content_is_complete(handler: Handler, voice: Voice, path: Path) -> None:
    """Summary, what to do, when to get help sooner, what to mention, at most three pages to
    read, and the disclaimer, within the card limit."""
    session, reply = card_after_yes(handler, path)
    card = reply.card
    assert card is not None
    content = card["content"]
    triage = voice.triage
    level = path.level
    facts = session.replies[-2].facts
    assessment = assess(facts, locale="en-US")
    assert assessment.level.id == level

    todo = _section(card, voice.say("card", "todo_heading"))
    assert todo[0] == triage.text("levels", level, "text")
    for advice_id in assessment.advice:
        assert triage.text("advice", advice_id, "text") in todo
    assert len(todo) > 1, "the advice is on the card"

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
def test_card_names_who_to_see_and_what_to_mention(
    handler: Handler, voice: Voice, level: str
) -> None:
    _, reply = card_after_yes(handler, ONE_PATH_PER_LEVEL[level])
    assert reply.card is not None
    content = reply.card["content"]
    assert "Who to see" in content
    assert voice.say("card", "clinician", level) in content
    assert "What to mention" in content


def test_card_after_not_consensual_names_the_support_line(handler: Handler) -> None:
    path = next(p for p in PATHS if p.name == "not consensual")
    _, reply = card_after_yes(handler, path)
    assert reply.card is not None
    assert "RAINN" in reply.card["content"] and "800-656-4673" in reply.card["content"]


def test_card_matches_the_spoken_answer(session: Session) -> None:
    """The note is about the answer the person heard, not something else."""
    session.report(slot("menopause", "my periods stopped years ago", match="post"))
    spoken = session.answer_questions(REASSURING)
    reply = session.yes()
    assert spoken.level == "soon"
    assert reply.card is not None
    assert "menopause" in reply.card["content"]


# --- the size limit --------------------------------------------------------------------------

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
def test_largest_cards_fit_with_every_required_section(voice: Voice, facts: dict[str, Any]) -> None:
    assessment = assess(facts, locale="en-US")
    title, content = build_card(assessment, voice)
    assert len(title) + len(content) <= cards.CARD_LIMIT
    for heading, _lines, required in cards.card_sections(assessment, voice):
        if required:
            assert f"\n{heading}\n" in content, heading
    assert content.endswith(DISCLAIMER)


def test_optional_sections_give_way_when_the_card_would_run_over(
    voice: Voice, monkeypatch: pytest.MonkeyPatch
) -> None:
    assessment = assess(BIG_FACTS["soon, many rules"], locale="en-US")
    title, full = build_card(assessment, voice)
    optional = [h for h, _, required in cards.card_sections(assessment, voice) if not required]
    assert optional and all(f"\n{h}\n" in full for h in optional)
    monkeypatch.setattr(cards, "CARD_LIMIT", len(title) + len(full) - 10)
    _, trimmed = build_card(assessment, voice)
    assert any(f"\n{h}\n" not in trimmed for h in optional)
    required = [h for h, _, must in cards.card_sections(assessment, voice) if must]
    assert all(f"\n{h}\n" in trimmed for h in required)
