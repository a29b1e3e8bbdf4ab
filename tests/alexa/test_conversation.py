"""The conversation, driven through the Lambda handler with real Alexa request envelopes."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from alexa_session import (
    CARD_OFFER,
    DISCLAIMER,
    EMERGENCY_FIRST,
    PATHS,
    REASSURING,
    AlexaTurn,
    Handler,
    Path,
    Session,
    answer,
    dont_know,
    intent,
    launch,
    no,
    report,
    slot,
    yes,
)
from ask_sdk_runtime.exceptions import AskSdkException

from skill import testing as env
from skill.alexa.slots import slot_specs
from skill.alexa.voice import Voice

LEVEL_RANK = {"self_care": 0, "soon": 1, "urgent": 2, "emergency": 3}
SUPPORT_PHONE = "800-656-4673"
HEAVY = slot("amount", "a lot of blood", match="heavy")


def question_text(voice: Voice, fact: str, kind: str = "say") -> str:
    return voice.triage.text("questions", fact, kind)


def assert_asks(reply: AlexaTurn, fact: str, voice: Voice) -> None:
    """A question turn: it asks `fact`, keeps the session open, re-prompts, and sends no card."""
    assert reply.stage == "asking" and reply.asking == fact, reply.attributes
    assert reply.ends is False
    assert reply.reprompt == question_text(voice, fact, "reprompt")
    assert reply.raw_card is None


def assert_final_answer(
    reply: AlexaTurn, voice: Voice, level: str, *, offered: bool | None = None
) -> None:
    """A final answer says it is not a diagnosis. An emergency says the number first, asks
    nothing and ends; so does an answer after a disclosure of assault (no note is offered: cards
    show in the household's app). Any other answer ends by offering a note."""
    assert reply.is_answer, reply.speech
    assert reply.level == level
    assert DISCLAIMER in reply.answer_text()
    offered = level != "emergency" if offered is None else offered
    if offered:
        assert reply.ends is False
        assert reply.reprompt == voice.say("card_offer_reprompt")
        assert reply.speech.endswith(voice.say("card_offer"))
    else:
        assert reply.ends is True and reply.reprompt_ssml is None
        assert not reply.offers_card
    if level == "emergency":
        assert reply.first_sentence() == EMERGENCY_FIRST


def at_question(session: Session) -> AlexaTurn:
    """Start a session and stop at the first question (warning signs)."""
    session.launch()
    return session.report()


def at_offer(session: Session) -> AlexaTurn:
    """Start a session and stop at the offer of a note (after a recurrent report)."""
    session.launch()
    session.report(slot("frequency", "it keeps happening", match="recurrent"))
    return session.answer_questions(REASSURING)


def before_report(session: Session) -> AlexaTurn:
    return session.launch()


STAGES = {"before a report": before_report, "mid-questions": at_question, "at the offer": at_offer}


# --- start -----------------------------------------------------------------------------------


def test_launch_welcomes_and_listens(session: Session, voice: Voice) -> None:
    reply = session.launch()
    assert reply.speech == voice.say("welcome", "say")
    assert reply.reprompt == voice.say("welcome", "reprompt")
    assert reply.ends is False
    assert reply.raw_card is None
    assert reply.stage == "listening" and reply.session_facts == {}


# --- one-shot answers ------------------------------------------------------------------------

ONE_SHOT_EMERGENCIES = {
    "a lot": [HEAVY],
    "soaking a pad": [
        slot("symptom", "soaking through a pad in an hour", match="soaks_pad_within_hour")
    ],
    "fainted": [slot("symptom", "dizzy", match="dizzy_or_fainted")],
    "severe pain": [slot("pain", "really bad pain", match="severe")],
    "pregnant, moderate": [
        slot("pregnancy", "i'm pregnant", match="yes"),
        slot("amount", "quite a bit", match="moderate"),
    ],
    "pregnant, shoulder-tip pain": [
        slot("pregnancy", "i might be pregnant", match="possible"),
        slot("painSite", "my shoulder hurts", match="shoulder_tip"),
    ],
}


@pytest.mark.parametrize("slots", ONE_SHOT_EMERGENCIES.values(), ids=ONE_SHOT_EMERGENCIES.keys())
def test_a_report_with_enough_slots_answers_at_once(
    session: Session, voice: Voice, slots: list[dict[str, Any]]
) -> None:
    reply = session.report(*slots)
    assert_final_answer(reply, voice, "emergency")
    assert reply.raw_card is None


def test_fever_with_mild_pain_asks_before_any_911(session: Session, voice: Voice) -> None:
    """Fever with mild pain is same-day care (brief U3); a very high temperature or shivering with
    the pain is an emergency (E5): it is asked, not assumed."""
    reply = session.report(
        slot("symptom", "a fever", match="fever"), slot("pain", "it hurts a bit", match="mild")
    )
    assert reply.is_question
    final = session.answer_questions(REASSURING)
    assert_final_answer(final, voice, "urgent")
    assert "high_fever_or_shivering" in session.questions_asked()


def test_heavy_answer_in_full(session: Session, voice: Voice) -> None:
    """The number, one line on what to do while waiting, the disclaimer: nothing asked."""
    reply = session.report(HEAVY)
    assert reply.sentences() == [
        EMERGENCY_FIRST,
        voice.triage.text("advice", "while_you_wait", "say"),
        DISCLAIMER,
    ]
    assert reply.ends is True and reply.attributes == {}
    assert CARD_OFFER not in reply.speech


def test_a_short_answer_before_any_question_is_a_report(session: Session, voice: Voice) -> None:
    """AnswerIntent ("a lot") as the first thing said: taken as the account itself."""
    session.launch()
    assert_final_answer(session.answer(HEAVY), voice, "emergency")


# --- multi-turn questioning ------------------------------------------------------------------


def test_bare_report_reaches_self_care_in_a_few_questions(session: Session, voice: Voice) -> None:
    session.launch()
    reply = session.report()
    assert_asks(reply, "warning_signs", voice)
    assert reply.speech == question_text(voice, "warning_signs")
    assert_asks(session.no(), "still_bleeding", voice)
    assert_asks(session.no(), "pregnant", voice)
    assert_asks(session.no(), "consent", voice)
    assert_asks(session.yes(), "frequency", voice)
    assert_asks(session.no(), "cycle_timing", voice)
    reply = session.answer(slot("cycleTiming", "just before my period", match="near_period"))
    # Self-care only once every condition of C1 is known: one grouped question for the rest.
    assert_asks(reply, "discharge_partner_or_screening", voice)
    final = session.no()
    assert_final_answer(final, voice, "self_care")
    assert final.session_facts == {
        "warning_signs": False,
        "still_bleeding": False,
        "pregnant": "no",
        "consent": "yes",
        "frequency": "first_time",
        "cycle_timing": "near_period",
        "discharge_partner_or_screening": False,
    }
    assert len(session.questions_asked()) <= 7


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_every_path_reaches_its_level_with_a_reprompt_on_every_question(
    handler: Handler, voice: Voice, path: Path
) -> None:
    session = path.run(handler)
    for reply in session.turns:
        if reply.is_question:
            assert_asks(reply, str(reply.asking), voice)
    if path.quiet:
        assert session.last.speech == f"{voice.say('not_safe_answer')} {DISCLAIMER}"
    else:
        assert_final_answer(session.last, voice, path.level, offered=path.offered)
    assert len(session.questions_asked()) <= 7  # the typical number: red flags, then a few more


@pytest.mark.parametrize(
    "path", [p for p in PATHS if p.level == "emergency" and not p.quiet], ids=lambda p: p.name
)
def test_emergency_answers_lead_with_the_emergency_instruction(
    handler: Handler, path: Path
) -> None:
    final = path.run(handler).last
    assert final.first_sentence() == EMERGENCY_FIRST
    assert final.ssml is not None
    # Nothing comes before it, not even whispering: the number, read digit by digit, is first.
    assert final.ssml.startswith('<speak>Please call <say-as interpret-as="telephone">911</say-as>')


# --- "I don't know" --------------------------------------------------------------------------


def test_dont_know_to_the_warning_signs_gives_an_urgent_answer(
    session: Session, voice: Voice
) -> None:
    session.report()
    reply = session.dont_know()
    assert reply.session_facts == {"warning_signs": "unknown"}
    assert_asks(reply, "dizzy_or_fainted", voice)  # each sign is then asked on its own
    final = session.answer_questions(
        {**REASSURING, "dizzy_or_fainted": dont_know, "amount": dont_know, "pain": dont_know}
    )
    assert_final_answer(final, voice, "urgent")
    assert voice.triage.text("advice", "warning_signs_unclear", "say") in final.speech


def test_dont_know_about_the_amount_keeps_the_answer_urgent(session: Session, voice: Voice) -> None:
    session.report()
    session.yes()  # there is a warning sign
    session.no()  # not dizzy
    reply = session.dont_know()  # how much? not sure
    assert reply.session_facts["amount"] == "unknown"
    final = session.answer_questions(REASSURING)
    assert_final_answer(final, voice, "urgent")


def _level_of(handler: Handler, path: Path, override: dict[str, Any]) -> str:
    session = Session(handler)
    session.run(path.opening)
    final = session.answer_questions({**REASSURING, **path.answers, **override})
    return str(final.level)


@pytest.mark.parametrize(
    "path", [p for p in PATHS if p.level in ("self_care", "soon")], ids=lambda p: p.name
)
def test_dont_know_never_lowers_the_level(handler: Handler, path: Path) -> None:
    """Answering "I don't know" instead of the reassuring answer, to any question asked."""
    reference = path.run(handler)
    level = LEVEL_RANK[str(reference.last.level)]
    for question in reference.questions_asked():
        unsure = _level_of(handler, path, {question: dont_know})
        assert LEVEL_RANK[unsure] >= level, (question, unsure)


def test_dont_know_before_any_question_starts_the_guided_questions(
    session: Session, voice: Voice
) -> None:
    session.launch()
    reply = session.dont_know()
    assert_asks(reply, "warning_signs", voice)
    assert reply.session_facts == {}


# --- contradictions --------------------------------------------------------------------------


def test_a_later_contradiction_keeps_the_cautious_value(session: Session, voice: Voice) -> None:
    session.report()
    session.yes()
    session.no()
    reply = session.answer(slot("amount", "just spotting", match="spotting"))
    assert reply.session_facts["amount"] == "spotting"
    assert_asks(reply, "pain", voice)
    final = session.answer(HEAVY)
    assert_final_answer(final, voice, "emergency")
    assert final.ends is True  # the facts were kept: the answer is heavy's, not spotting's


def test_a_reassuring_correction_does_not_lower_the_answer(session: Session, voice: Voice) -> None:
    session.report(slot("pregnancy", "i'm pregnant", match="yes"))
    before = session.last
    assert before.is_question
    again = session.answer(slot("pregnancy", "actually i'm not pregnant", match="no"))
    assert again.session_facts["pregnant"] == "yes"
    final = session.answer_questions(REASSURING)
    assert_final_answer(final, voice, "urgent")


# --- slots Alexa could not resolve, or sent empty ---------------------------------------------

NO_MATCH_AMOUNT = slot("amount", "a bucketful", no_match=True)


def test_unresolved_slot_mid_questions_asks_again_and_guesses_nothing(
    session: Session, voice: Voice
) -> None:
    session.report()
    session.yes()
    before = session.no()
    assert before.asking == "amount"
    reply = session.answer(NO_MATCH_AMOUNT)
    assert reply.speech == (
        f"{voice.say('not_understood')} {question_text(voice, 'amount', 'reprompt')}"
    )
    assert_asks(reply, "amount", voice)
    assert reply.session_facts == before.session_facts
    assert "amount" not in reply.session_facts


def test_unresolved_slot_about_another_question_asks_that_one(
    session: Session, voice: Voice
) -> None:
    before = session.report()
    assert before.asking == "warning_signs"
    reply = session.answer(slot("consent", "kind of", no_match=True))
    assert reply.speech.startswith(voice.say("not_understood"))
    assert_asks(reply, "consent", voice)
    assert reply.session_facts == {}
    # Repeat asks what a yes or no now answers, and a yes answers it.
    repeated = session.intent("AMAZON.RepeatIntent")
    assert repeated.speech == question_text(voice, "consent", "reprompt")
    assert session.yes().session_facts == {"consent": "yes"}


@pytest.mark.parametrize("status", ["ER_ERROR_TIMEOUT", "ER_ERROR_EXCEPTION"])
def test_a_resolution_error_is_not_understood_and_guesses_nothing(
    session: Session, voice: Voice, status: str
) -> None:
    session.report()
    reply = session.answer(slot("amount", "a lot", status=status))
    assert reply.speech.startswith(voice.say("not_understood"))
    assert_asks(reply, "amount", voice)
    assert reply.session_facts == {}


def test_unresolved_slot_in_the_first_report_adds_no_fact(session: Session, voice: Voice) -> None:
    reply = session.report(NO_MATCH_AMOUNT)
    assert reply.session_facts == {}
    assert reply.is_question and reply.ends is False


def test_unresolved_and_resolved_slots_together_keep_only_the_resolved(
    session: Session, voice: Voice
) -> None:
    reply = session.report(NO_MATCH_AMOUNT, slot("pregnancy", "i'm pregnant", match="yes"))
    assert reply.session_facts == {"pregnant": "yes"}


def test_a_resolved_id_outside_the_vocabulary_is_not_a_fact(session: Session) -> None:
    session.report()
    reply = session.answer(slot("amount", "oceans", match="oceans"))
    assert reply.session_facts == {}
    assert reply.asking == "amount"


def _all_slots_empty() -> list[dict[str, Any]]:
    return [slot(name) for name in slot_specs()]


def test_report_with_every_slot_empty_is_a_bare_report(session: Session, voice: Voice) -> None:
    reply = session.report(*_all_slots_empty())
    assert_asks(reply, "warning_signs", voice)
    assert reply.session_facts == {}


@pytest.mark.parametrize(
    "slots",
    [
        _all_slots_empty(),
        [slot("amount", "")],
        [slot("amount", "   ")],
        [slot("age", "?")],
        [slot("weeks", "twelve")],
    ],
    ids=["all empty", "empty value", "blank value", "number unknown", "number as words"],
)
def test_answer_with_nothing_usable_asks_again(
    session: Session, voice: Voice, slots: list[dict[str, Any]]
) -> None:
    before = session.report()
    reply = session.answer(*slots)
    assert reply.speech.startswith(voice.say("not_understood"))
    assert reply.session_facts == before.session_facts == {}
    assert reply.ends is False and reply.reprompt


def _null_match(values: list[Any]) -> dict[str, Any]:
    raw = slot("amount", "a lot of it", match="heavy")
    raw["resolutions"]["resolutionsPerAuthority"][0]["values"] = values
    return raw


@pytest.mark.parametrize(
    "odd",
    [
        slot("age", "9" * 5000),  # more digits than int() reads (4,300)
        slot("weeks", "9" * 4301),
        slot("age", "\u00b2"),  # a digit to str.isdigit(), not to int()
        _null_match([{"value": None}]),
        _null_match([None]),
        _null_match([{"value": {"name": "a lot"}}]),  # a value without an id
        _null_match([{"value": {"name": "a lot", "id": None}}]),
    ],
    ids=[
        "5,000 digits",
        "4,301 digits",
        "superscript",
        "null value",
        "null entry",
        "no id",
        "null id",
    ],
)
def test_a_slot_that_cannot_be_read_is_asked_again(
    session: Session, voice: Voice, odd: dict[str, Any]
) -> None:
    """Once a failed turn (ValueError, AttributeError) answered with the apology: now the person
    is asked again, and nothing is guessed."""
    before = session.report()
    reply = session.answer(odd)
    assert reply.speech.startswith(voice.say("not_understood")), reply.speech
    assert reply.speech != voice.say("error")
    assert reply.session_facts == before.session_facts == {}
    assert reply.ends is False and reply.reprompt
    assert reply.stage == "asking"
    # In a report mid-questions, the same: asked again, the conversation goes on.
    again = session.report(odd)
    assert again.speech.startswith(voice.say("not_understood")), again.speech
    assert again.session_facts == {}


def test_number_slots_become_facts(session: Session) -> None:
    reply = session.report(slot("age", "42"), slot("weeks", "12"))
    assert reply.session_facts == {"age": 42, "weeks_pregnant": 12}


def test_yes_to_a_question_that_needs_words_asks_again(session: Session, voice: Voice) -> None:
    session.report()
    session.yes()
    before = session.no()
    assert before.asking == "amount"
    reply = session.yes()
    assert reply.speech.startswith(voice.say("not_understood"))
    assert_asks(reply, "amount", voice)
    assert reply.session_facts == before.session_facts


@pytest.mark.parametrize("name", ["AMAZON.YesIntent", "AMAZON.NoIntent"])
def test_yes_or_no_before_any_report_starts_the_guided_questions(
    session: Session, voice: Voice, name: str
) -> None:
    session.launch()
    reply = session.intent(name)
    assert_asks(reply, "warning_signs", voice)
    assert reply.session_facts == {} and reply.raw_card is None


# --- dialog states ---------------------------------------------------------------------------


@pytest.mark.parametrize("dialog_state", ["STARTED", "IN_PROGRESS", "COMPLETED"])
def test_dialog_state_does_not_change_the_turn(handler: Handler, dialog_state: str) -> None:
    plain, marked = Session(handler), Session(handler)
    for session, state in ((plain, None), (marked, dialog_state)):
        session.report(dialog_state=state)
        session.intent("AMAZON.YesIntent")
        session.answer(slot("symptom", "dizzy", match="dizzy_or_fainted"), dialog_state=state)
    for a, b in zip(plain.turns, marked.turns, strict=True):
        assert a.speech == b.speech and a.attributes == b.attributes
        assert "directives" not in b.body or not b.body["directives"]


# --- safety and consent ----------------------------------------------------------------------


@pytest.mark.parametrize("where", STAGES.values(), ids=STAGES.keys())
def test_not_safe_is_answered_quietly_with_the_number_first(
    session: Session, voice: Voice, where: Any
) -> None:
    """Whispered, "If you can, call 911." first, no service or topic named, no card, the end."""
    where(session)
    reply = session.intent("NotSafeIntent")
    assert reply.speech == f"{voice.say('not_safe_answer')} {DISCLAIMER}"
    assert reply.ssml is not None and '<amazon:effect name="whispered">' in reply.ssml
    assert reply.raw_card is None and not reply.offers_card
    assert reply.ends is True and reply.attributes == {}


def test_not_consensual_gives_an_urgent_answer_with_support(session: Session, voice: Voice) -> None:
    reply = session.report(slot("consent", "it wasn't consensual", match="no"))
    assert reply.session_facts == {"consent": "no"}
    assert_asks(session.no(), "safe_now", voice)  # no warning signs; then: are you safe?
    final = session.answer_questions(REASSURING)
    assert_final_answer(final, voice, "urgent", offered=False)
    assert "RAINN" in final.speech
    assert SUPPORT_PHONE in final.speech
    assert voice.triage.text("advice", "not_your_fault", "say") in final.speech


def test_consent_no_through_the_question(session: Session, voice: Voice) -> None:
    session.report()
    session.no()
    session.no()  # still going on? no
    session.no()
    reply = session.no()  # was everything something you wanted? no
    assert reply.session_facts["consent"] == "no"
    final = session.answer_questions(REASSURING)
    assert_final_answer(final, voice, "urgent", offered=False)
    assert "RAINN" in final.speech and SUPPORT_PHONE in final.speech


def test_pregnancy_gives_an_urgent_answer(session: Session, voice: Voice) -> None:
    session.report(slot("pregnancy", "i'm pregnant", match="yes"))
    final = session.answer_questions(REASSURING)
    assert_final_answer(final, voice, "urgent")
    assert voice.triage.text("advice", "pregnancy_call_today", "say") in final.speech


def test_after_menopause_gives_a_soon_answer(session: Session, voice: Voice) -> None:
    session.report(slot("menopause", "my periods stopped years ago", match="post"))
    final = session.answer_questions(REASSURING)
    assert_final_answer(final, voice, "soon")
    assert voice.triage.text("advice", "postmenopause_check", "say") in final.speech


def test_menopause_through_the_question(session: Session, voice: Voice) -> None:
    session.report(slot("context", "it was rough", match="rough_or_deep_sex"))
    other_time = slot("cycleTiming", "some other time", match="other")
    final = session.answer_questions(
        {**REASSURING, "cycle_timing": answer(other_time), "menopause": yes}
    )
    assert "menopause" in session.questions_asked()
    assert final.session_facts.get("menopause") == "post"
    assert_final_answer(final, voice, "soon")


# --- help, repeat, start over ----------------------------------------------------------------


def _expected_prompt(reply: AlexaTurn, voice: Voice) -> str:
    if reply.stage == "asking":
        return question_text(voice, str(reply.asking), "reprompt")
    if reply.stage == "offering":
        return voice.say("card_offer_reprompt")
    return voice.say("welcome", "reprompt")


@pytest.mark.parametrize("where", STAGES.values(), ids=STAGES.keys())
def test_help_explains_and_returns_to_where_we_were(
    session: Session, voice: Voice, where: Any
) -> None:
    before = where(session)
    reply = session.intent("AMAZON.HelpIntent")
    if before.stage == "asking":
        assert reply.speech == f"{voice.say('help', 'question')} {voice.say('choices', 'yes_no')}"
    elif before.stage == "offering":
        assert reply.speech == voice.say("help", "offer")
    else:  # two or three examples of what to say at the opening
        assert reply.speech == f"{voice.say('help', 'say')} {voice.say('examples')}"
    assert reply.reprompt == _expected_prompt(before, voice)
    assert reply.ends is False and reply.raw_card is None
    for key in ("facts", "stage", "asking", "level"):
        assert reply.attributes[key] == before.attributes[key]


@pytest.mark.parametrize("where", STAGES.values(), ids=STAGES.keys())
def test_repeat_says_the_last_thing_again(session: Session, voice: Voice, where: Any) -> None:
    before = where(session)
    session.intent("AMAZON.HelpIntent")  # help in between does not change what is repeated
    reply = session.intent("AMAZON.RepeatIntent")
    assert reply.speech == before.speech
    assert reply.reprompt == before.reprompt
    assert reply.ends is False and reply.raw_card is None
    assert reply.session_facts == before.session_facts and reply.stage == before.stage


def test_repeat_as_the_first_thing_welcomes(session: Session, voice: Voice) -> None:
    reply = session.intent("AMAZON.RepeatIntent")
    assert reply.speech == voice.say("welcome", "say")


@pytest.mark.parametrize("where", STAGES.values(), ids=STAGES.keys())
def test_start_over_forgets_everything(session: Session, voice: Voice, where: Any) -> None:
    where(session)
    reply = session.intent("AMAZON.StartOverIntent")
    assert reply.speech == f"{voice.say('start_over')} {voice.say('welcome', 'say')}"
    assert reply.reprompt == voice.say("welcome", "reprompt")
    assert reply.session_facts == {} and reply.stage == "listening" and reply.level is None
    assert reply.ends is False and reply.raw_card is None
    # ... and a new account is taken from scratch
    assert session.report().asking == "warning_signs"


def test_help_mid_questions_then_the_answer_still_counts(converse: Any, voice: Voice) -> None:
    *_, reply = converse(launch, report(), intent("AMAZON.HelpIntent"), no)
    assert reply.session_facts == {"warning_signs": False}
    assert_asks(reply, "still_bleeding", voice)


# --- stop, cancel, fallback, unknown ---------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent"]
)
@pytest.mark.parametrize("where", STAGES.values(), ids=STAGES.keys())
def test_stop_and_cancel_end_kindly(session: Session, voice: Voice, name: str, where: Any) -> None:
    where(session)
    reply = session.intent(name)
    assert reply.ends is True
    assert "911" in reply.speech
    assert reply.speech == voice.say("goodbye_with_net")
    assert reply.reprompt_ssml is None and reply.raw_card is None
    assert reply.attributes == {}


AT_AN_EMERGENCY = {"facts": {"amount": "heavy"}, "stage": "offering", "level": "emergency"}


@pytest.mark.parametrize(
    "name",
    ["AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.FallbackIntent", "SomeOtherIntent"],
)
def test_an_emergency_stays_an_emergency(handler: Handler, voice: Voice, name: str) -> None:
    """Stop, cancel or an unclear reply once the answer is an emergency repeat the call now,
    never "if it gets worse"."""
    session = Session(handler, attributes=dict(AT_AN_EMERGENCY))
    reply = session.intent(name)
    assert reply.speech == EMERGENCY_FIRST
    assert voice.say("goodbye_with_net") not in reply.speech
    assert reply.ends is True and reply.raw_card is None


def test_stop_mid_questions_with_an_emergency_known_says_call_now(
    session: Session, voice: Voice
) -> None:
    """Facts that already make an emergency (e.g. after a contradiction) win over goodbye."""
    session = Session(
        session.handler,
        attributes={"facts": {"amount": "heavy"}, "stage": "asking", "asking": "pain"},
    )
    assert session.intent("AMAZON.StopIntent").speech == EMERGENCY_FIRST


@pytest.mark.parametrize("name", ["AMAZON.FallbackIntent", "SomeOtherIntent"])
@pytest.mark.parametrize("where", STAGES.values(), ids=STAGES.keys())
def test_fallback_and_unknown_intents_ask_again(
    session: Session, voice: Voice, name: str, where: Any
) -> None:
    before = where(session)
    reply = session.intent(name)
    prompt = _expected_prompt(before, voice)
    if before.stage == "listening":  # with a short example of what to say
        assert reply.speech == f"{voice.say('not_understood')} {voice.say('examples')}"
    elif before.stage == "offering":
        assert reply.speech == prompt
    else:
        assert reply.speech == f"{voice.say('not_understood')} {prompt}"
    assert reply.reprompt == prompt
    assert reply.ends is False and reply.raw_card is None
    for key in ("facts", "stage", "asking", "level"):
        assert reply.attributes[key] == before.attributes[key]


# --- never stuck -----------------------------------------------------------------------------


def test_two_misses_at_the_opening_start_the_guided_questions(
    session: Session, voice: Voice
) -> None:
    session.launch()
    first = session.intent("AMAZON.FallbackIntent")
    second = session.intent("AMAZON.FallbackIntent")
    assert first.speech != second.speech
    assert second.speech == (f"{voice.say('guided_start')} {question_text(voice, 'warning_signs')}")
    assert_asks(second, "warning_signs", voice)


def test_misses_at_a_question_offer_the_choices_then_the_safest_answer(
    session: Session, voice: Voice
) -> None:
    session.report()
    session.yes()  # a warning sign
    assert session.no().asking == "amount"  # not dizzy; how much?
    first = session.intent("AMAZON.FallbackIntent")
    second = session.intent("AMAZON.FallbackIntent")
    third = session.intent("AMAZON.FallbackIntent")
    assert (
        first.speech
        == f"{voice.say('not_understood')} {question_text(voice, 'amount', 'reprompt')}"
    )
    assert second.speech == f"{voice.say('not_understood')} {voice.say('choices', 'amount')}"
    assert_asks(second, "amount", voice)
    # The third: what is safest for what is known (the amount taken as not known), and the end.
    assert third.speech.startswith(voice.say("safest_lead"))
    assert third.is_answer and third.ends is True and third.raw_card is None
    assert third.level == "urgent"
    assert voice.triage.text("safety_net", "emergency_signs", "say") in third.speech
    assert len({first.speech, second.speech, third.speech}) == 3


def test_an_understood_answer_resets_the_misses(session: Session, voice: Voice) -> None:
    session.report()
    session.intent("AMAZON.FallbackIntent")
    session.intent("AMAZON.FallbackIntent")
    reply = session.no()  # at last, an answer
    assert reply.attributes["misses"] == 0
    assert session.intent("AMAZON.FallbackIntent").speech.endswith(
        question_text(voice, str(reply.asking), "reprompt")
    )


def test_two_misses_at_the_offer_end_without_a_note(session: Session, voice: Voice) -> None:
    at_offer(session)
    session.intent("AMAZON.FallbackIntent")
    reply = session.intent("AMAZON.FallbackIntent")
    assert reply.speech == voice.say("card_declined")
    assert reply.ends is True and reply.raw_card is None


def test_help_at_a_question_gives_its_choices(session: Session, voice: Voice) -> None:
    session.report()
    session.yes()
    session.no()  # how much?
    reply = session.intent("AMAZON.HelpIntent")
    assert reply.speech == f"{voice.say('help', 'question')} {voice.say('choices', 'amount')}"


def test_after_a_fallback_the_question_can_still_be_answered(
    session: Session, voice: Voice
) -> None:
    session.report()
    session.intent("AMAZON.FallbackIntent")
    assert_asks(session.no(), "still_bleeding", voice)


def test_unknown_intent_with_slots_adds_nothing(session: Session) -> None:
    session.report()
    reply = session.intent("SomeOtherIntent", HEAVY)
    assert reply.session_facts == {} and reply.asking == "warning_signs"


def test_unknown_request_type_is_answered_not_a_crash(
    handler: Handler, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    request = env.in_session({"type": "Some.FutureRequest", "note": "a lot of blood"})
    raw = handler(request, None)
    assert raw["version"] == "1.0"
    assert "outputSpeech" not in raw["response"]
    assert "a lot of blood" not in caplog.text and "Some.FutureRequest" not in caplog.text


def test_a_request_for_another_skill_is_refused(handler: Handler) -> None:
    request = env.intent("ReportIntent", HEAVY, skill_id=env.OTHER_SKILL_ID)
    with pytest.raises(AskSdkException) as refused:
        handler(request, None)
    assert "a lot of blood" not in str(refused.value)


def test_other_locale_falls_back_to_the_default_words(handler: Handler, voice: Voice) -> None:
    reply = Session(handler, locale="en-ZA").launch()
    assert reply.speech == voice.say("welcome", "say")


# --- whisper ---------------------------------------------------------------------------------

WHISPERED = '<speak><amazon:effect name="whispered">'


def _is_whispered(ssml: str | None) -> bool:
    return (
        ssml is not None
        and ssml.startswith(WHISPERED)
        and ssml.endswith("</amazon:effect></speak>")
    )


def test_whisper_lasts_until_the_session_ends(session: Session, voice: Voice) -> None:
    assert not _is_whispered(session.launch().ssml)
    on = session.intent("WhisperIntent")
    assert on.speech.startswith(voice.say("whisper_on"))
    assert on.attributes["whisper"] is True
    later = [
        session.report(),
        session.intent("AMAZON.HelpIntent"),
        session.intent("AMAZON.RepeatIntent"),
        session.intent("AMAZON.FallbackIntent"),
        session.answer(NO_MATCH_AMOUNT),
        session.dont_know(),
        session.intent("AMAZON.StartOverIntent"),
        session.report(slot("frequency", "it keeps happening", match="recurrent")),
    ]
    later.append(session.answer_questions(REASSURING))
    later.append(session.yes())  # the note: the session ends
    for reply in [on, *later]:
        assert _is_whispered(reply.ssml), reply.ssml
        if not reply.ends:
            assert _is_whispered(reply.reprompt_ssml), reply.reprompt_ssml
    assert later[-1].ends is True and later[-1].raw_card is not None
    # A new session speaks normally again.
    fresh = session.launch()
    assert not _is_whispered(fresh.ssml) and not _is_whispered(fresh.reprompt_ssml)


def test_whisper_mid_question_repeats_the_question_quietly(session: Session, voice: Voice) -> None:
    session.report()
    reply = session.intent("WhisperIntent")
    assert reply.speech == f"{voice.say('whisper_on')} {question_text(voice, 'warning_signs')}"
    assert reply.asking == "warning_signs"
    assert _is_whispered(session.intent("AMAZON.StopIntent").ssml)


# --- the session ends ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "error_type"),
    [
        ("USER_INITIATED", None),
        ("ERROR", "INVALID_RESPONSE"),
        ("ERROR", "DEVICE_COMMUNICATION_ERROR"),
        ("EXCEEDED_MAX_REPROMPTS", None),
    ],
)
@pytest.mark.parametrize("where", STAGES.values(), ids=STAGES.keys())
def test_session_ended_gets_no_speech(
    session: Session, reason: str, error_type: str | None, where: Any
) -> None:
    where(session)
    session.intent("WhisperIntent")
    reply = session.end(reason, error_type)
    assert "outputSpeech" not in reply.body
    assert "reprompt" not in reply.body and reply.raw_card is None
    assert reply.attributes == {}


def test_session_ended_error_envelope_is_real() -> None:
    request = env.session_ended("ERROR", error_type="INVALID_RESPONSE")
    assert request["error"]["type"] == "INVALID_RESPONSE"
    assert request["reason"] == "ERROR"


# --- garbage session attributes --------------------------------------------------------------

GARBAGE: list[Any] = [
    {"facts": {"amount": "lots"}, "stage": 42},
    {"facts": {"nonsense": True}},
    {"facts": ["amount"], "stage": "asking", "asking": "amount"},
    {"facts": {"age": True}, "level": "extreme"},
    {"facts": {"amount": "heavy"}, "stage": ["offering"]},
    {"asking": ["warning_signs"], "level": {"emergency": 1}, "stage": {}},
    {"asking": {"x": 1}},
    {"level": ["emergency"]},
    {"stage": "offering"},  # an offer of a note, but no answer was ever given
    {"stage": "asking", "asking": "no_such_question"},
    {"last_speech": "not a list", "last_reprompt": 7, "whisper": "yes"},
    {"facts": None, "stage": None, "asking": None, "whisper": None},
]


@pytest.mark.parametrize("attributes", GARBAGE, ids=[str(i) for i in range(len(GARBAGE))])
@pytest.mark.parametrize(
    "request_for",
    [
        lambda a: env.intent("ReportIntent", attributes=a),
        lambda a: env.intent("AMAZON.YesIntent", attributes=a),
        lambda a: env.intent("AMAZON.RepeatIntent", attributes=a),
        lambda a: env.intent("AnswerIntent", HEAVY, attributes=a),
    ],
    ids=["report", "yes", "repeat", "answer"],
)
def test_garbage_session_attributes_start_a_fresh_conversation(
    handler: Handler, voice: Voice, attributes: dict[str, Any], request_for: Any
) -> None:
    reply = Session(handler, attributes=attributes).send_request(request_for(attributes)["request"])
    assert reply.speech and voice.say("error") not in reply.speech
    assert reply.raw_card is None
    if reply.ends:  # only what this request said, heavy bleeding, can end it: the emergency answer
        assert reply.is_answer and reply.level == "emergency"
        return
    assert reply.reprompt
    assert reply.stage in ("listening", "asking", "offering")
    assert reply.attributes["whisper"] is False
    assert set(reply.session_facts) <= {"amount"}  # only what this request said
    assert reply.session_facts.get("amount", "heavy") == "heavy"


def test_garbage_then_a_normal_conversation(handler: Handler, voice: Voice) -> None:
    session = Session(handler, attributes={"facts": {"amount": "lots"}, "stage": 42})
    assert_asks(session.report(), "warning_signs", voice)
    final = session.answer_questions(REASSURING)
    assert_final_answer(final, voice, "self_care")


# --- answers of every level carry the disclaimer ---------------------------------------------


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_every_final_answer_carries_the_disclaimer(handler: Handler, path: Path) -> None:
    session = path.run(handler)
    answers = [r for r in session.turns if r.is_answer]
    assert answers
    for reply in answers:
        assert DISCLAIMER in reply.answer_text()
        assert reply.answer_text().endswith(DISCLAIMER)


def test_answers_stay_answers_after_more_turns(session: Session, voice: Voice) -> None:
    """At the offer, more details re-answer (never lower); the stage stays the offer."""
    session.report()
    session.answer_questions(REASSURING)
    reply = session.answer(slot("pregnancy", "actually i'm pregnant", match="yes"))
    assert_final_answer(reply, voice, "urgent")
    reply = session.report(HEAVY)
    assert_final_answer(reply, voice, "emergency")  # and the session ends: nothing can lower it
