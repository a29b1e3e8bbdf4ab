"""The private note: sent only after a yes to the offer, neutral outside, complete inside."""

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
    assert title == "Your private note"
    lowered = title.lower()
    for word in voice.never_say:
        assert not re.search(rf"\b{re.escape(word)}\b", lowered), word


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_card_content_is_complete(handler: Handler, voice: Voice, path: Path) -> None:
    session, reply = card_after_yes(handler, path)
    card = reply.card
    assert card is not None
    content = card["content"]
    triage = voice.triage
    level = path.level
    facts = session.replies[-2].facts
    assessment = assess(facts, locale="en-US")
    assert assessment.level.id == level

    assert _section(card, voice.say("card", "level_heading")) == [
        triage.text("levels", level, "text")
    ]
    advice = _section(card, voice.say("card", "advice_heading"))
    assert advice == [triage.text("advice", a, "text") for a in assessment.advice]
    assert advice, "the advice is on the card"

    if level in ("urgent", "soon"):
        assert _section(card, voice.say("card", "clinician_heading")) == [
            voice.say("card", "clinician", level)
        ]
        assert _section(card, voice.say("card", "mention_heading")) == [
            voice.say("card", "mention")
        ]
    else:
        assert voice.say("card", "clinician_heading") not in _lines(card)

    if assessment.safety_net:
        assert _section(card, voice.say("card", "safety_net_heading")) == [
            triage.text("safety_net", s, "text") for s in assessment.safety_net
        ]
    if level != "emergency":
        assert assessment.safety_net, "every non-emergency answer has a safety net"

    sources = _section(card, voice.say("card", "sources_heading"))
    assert sources
    assert any(re.search(r"https://\S+", line) for line in sources)
    assert DISCLAIMER in content
    assert len(card["title"]) + len(content) <= CARD_LIMIT


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
        "consent": "no",
        "safe_now": True,
        "frequency": "recurrent",
        "unusual_discharge": True,
        "dryness": True,
        "pain": "mild",
        "new_partner_or_sti_risk": True,
        "screening_up_to_date": False,
        "menopause": "peri",
        "breastfeeding": True,
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
    "emergency, many rules": {
        "dizzy_or_fainted": True,
        "amount": "heavy",
        "pregnant": "yes",
        "pain": "severe",
        "pain_site": "shoulder_tip",
        "safe_now": False,
        "consent": "no",
        "fever": True,
        "still_bleeding": True,
    },
}


@pytest.mark.parametrize("facts", BIG_FACTS.values(), ids=BIG_FACTS.keys())
def test_largest_cards_fit(voice: Voice, facts: dict[str, Any]) -> None:
    title, content = build_card(assess(facts, locale="en-US"), voice)
    assert len(title) + len(content) <= CARD_LIMIT
    assert DISCLAIMER in content


def test_sources_are_trimmed_first_when_the_card_would_run_over(
    voice: Voice, monkeypatch: pytest.MonkeyPatch
) -> None:
    assessment = assess(BIG_FACTS["urgent, many rules"], locale="en-US")
    title, full = build_card(assessment, voice)
    sources_at = full.index("\n\nSources\n")
    limit = len(title) + sources_at + 300  # room for only some of the sources
    monkeypatch.setattr(cards, "CARD_LIMIT", limit)
    title, trimmed = build_card(assessment, voice)
    assert len(title) + len(trimmed) <= limit
    assert trimmed[:sources_at] == full[:sources_at]  # advice, safety net, disclaimer all kept
    assert DISCLAIMER in trimmed
    kept = trimmed[sources_at:].splitlines()
    assert all(line in full.splitlines() for line in kept)  # whole lines only
    assert len(kept) < len(full[sources_at:].splitlines())
