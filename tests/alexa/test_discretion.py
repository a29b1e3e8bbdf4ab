"""Discretion: the skill is overheard at home. It never says back the explicit words a person used,
and it puts nothing in the household's Alexa app unless the person said yes to the offer."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pytest
from alexa_session import (
    PATHS,
    REASSURING,
    Handler,
    Path,
    Session,
    dont_know,
    offers_a_note,
    slot,
    yes,
)

from skill.alexa.voice import Voice

# Words a person might say that are explicit even where the never_say list has no entry.
EXPLICIT_SLOT_VALUES = [
    slot("amount", "a lot of blood", match="heavy"),
    slot("amount", "just spotting after sex", match="spotting"),
    slot("consent", "it wasn't consensual", match="no"),
    slot("consent", "he raped me", match="no"),
    slot("context", "after sex", no_match=True),
    slot("context", "after rough sex", match="rough_or_deep_sex"),
    slot("context", "my new boyfriend might have chlamydia", match="new_partner_or_sti_risk"),
    slot("painSite", "it hurt during intercourse", match="during_sex"),
    slot("symptom", "clots of blood", match="soaks_pad_within_hour"),
    slot("symptom", "a weird vaginal discharge", match="unusual_discharge"),
    slot("otherSymptom", "my vagina is dry", match="dryness"),
    slot("pregnancy", "i'm pregnant and bleeding", match="yes"),
    slot("menopause", "no periods since my hysterectomy", no_match=True),
]


def explicit_words_in(text: str, words: Iterable[str]) -> list[str]:
    lowered = text.lower()
    return [w for w in words if re.search(rf"\b{re.escape(w.lower())}\b", lowered)]


def said_in(session: Session) -> list[str]:
    return [v for reply in session.turns for v in reply.slot_values]


def assert_discreet(session: Session, voice: Voice) -> None:
    """No speech or reprompt of the session holds a never_say word or a value the person said."""
    said = said_in(session)
    for reply in session.turns:
        for text in (reply.speech, reply.reprompt or ""):
            assert not explicit_words_in(text, voice.never_say), (text, reply.intent)
            assert not explicit_words_in(text, said), (text, said)


def assert_no_card_unless_yes_to_the_offer(session: Session) -> None:
    for reply in session.turns:
        if reply.raw_card is None:
            continue
        before = reply.request["session"]["attributes"]
        assert reply.intent == "AMAZON.YesIntent", reply.intent
        assert before.get("stage") == "offering"


def _finish(session: Session, ending: str) -> None:
    if ending == "yes":
        session.yes()
    elif ending == "no":
        session.no()
    else:
        session.intent(ending)


ENDINGS = ["yes", "no", "AMAZON.StopIntent", "AMAZON.HelpIntent", "AMAZON.RepeatIntent"]


@pytest.mark.parametrize("ending", ENDINGS)
@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_no_speech_repeats_what_the_person_said(
    handler: Handler, voice: Voice, path: Path, ending: str
) -> None:
    session = path.run(handler)
    _finish(session, ending)
    assert_discreet(session, voice)
    assert_no_card_unless_yes_to_the_offer(session)
    cards = [r for r in session.turns if r.raw_card is not None]
    assert len(cards) == (1 if ending == "yes" and offers_a_note(path) else 0)


@pytest.mark.parametrize("value", EXPLICIT_SLOT_VALUES, ids=lambda s: s["value"])
@pytest.mark.parametrize("intent_name", ["ReportIntent", "AnswerIntent"])
def test_explicit_words_are_never_said_back(
    handler: Handler, voice: Voice, value: dict[str, object], intent_name: str
) -> None:
    session = Session(handler)
    session.launch()
    session.report()
    session.intent(intent_name, value)
    session.intent("AMAZON.RepeatIntent")
    session.intent("AMAZON.HelpIntent")
    session.answer_questions({**REASSURING, "warning_signs": dont_know, "pregnant": yes})
    session.intent("AMAZON.RepeatIntent")
    session.yes()
    assert_discreet(session, voice)
    assert_no_card_unless_yes_to_the_offer(session)


def test_every_explicit_value_in_one_report(handler: Handler, voice: Voice) -> None:
    session = Session(handler)
    one_per_slot = {str(s["name"]): s for s in EXPLICIT_SLOT_VALUES}  # a slot is sent once
    session.report(*one_per_slot.values())
    session.answer_questions(REASSURING)
    session.no()
    assert_discreet(session, voice)
    assert_no_card_unless_yes_to_the_offer(session)


def test_the_card_offer_declined_sends_nothing(handler: Handler) -> None:
    for path in PATHS:
        session = path.run(handler)
        session.intent("AMAZON.HelpIntent")
        session.no()
        assert all(r.raw_card is None for r in session.turns)


def test_never_say_list_covers_the_obvious(voice: Voice) -> None:
    for word in ("sex", "blood", "bleeding", "vagina", "rape", "consensual", "spotting"):
        assert word in voice.never_say


@pytest.mark.parametrize(
    ("locale", "market_words"),
    [("en-GB", ["shag", "smear"]), ("en-AU", ["root", "pap"]), ("en-IN", ["private parts"])],
)
def test_a_market_adds_its_words_to_the_languages_list(
    locale: str, market_words: list[str]
) -> None:
    """A locale's never_say is the English list plus its market's words, never a shorter copy."""
    from skill.alexa.voice import voice_for

    english, market = voice_for("en-US").never_say, voice_for(locale).never_say
    assert set(english) <= set(market)
    assert set(market_words) <= set(market) - set(english)


def test_the_check_would_catch_an_echo(voice: Voice) -> None:
    """The discretion check itself finds explicit words (so a pass means something)."""
    assert explicit_words_in("You said a lot of blood.", ["a lot of blood"])
    assert explicit_words_in("Bleeding after SEX is common.", voice.never_say) == [
        "sex",
        "bleeding",
    ]
    assert not explicit_words_in("Sussex is lovely.", voice.never_say)


def test_turns_read_the_slot_values_said(session: Session) -> None:
    turn = session.report(slot("amount", "a lot of blood", match="heavy"), slot("pain"))
    assert turn.slot_values == ["a lot of blood"]
    assert session.said == ["a lot of blood"]
