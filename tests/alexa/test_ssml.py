"""Every response is valid SSML within Alexa's limits, and a spoken answer is short."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import pytest
from alexa_session import (
    CARD_OFFER,
    PATHS,
    AlexaTurn,
    Handler,
    Session,
    parse_ssml,
    slot,
    words,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skill.alexa.conversation import ANSWER_WORD_BUDGET, answer_speech
from skill.alexa.responses import SPEECH_LIMIT, escape, to_ssml
from skill.alexa.voice import voice_for
from skill.core import Level, assess, default_knowledge
from skill.testing import content_text

ANSWER_WORDS = 70  # about 25 seconds at Alexa's ~2.8 words a second
VOICE = voice_for("en-US")


def all_kinds_of_replies(handler: Handler) -> Iterator[AlexaTurn]:
    """Every path to the end, plus each helper intent at each stage, whispered and not."""
    for path in PATHS:
        session = path.run(handler)
        session.intent("AMAZON.HelpIntent")
        session.intent("AMAZON.RepeatIntent")
        session.intent("AMAZON.FallbackIntent")
        session.yes()
        yield from session.turns
    for whisper in (False, True):
        session = Session(handler)
        session.launch()
        if whisper:
            session.intent("WhisperIntent")
        session.intent("AMAZON.HelpIntent")
        session.intent("AMAZON.RepeatIntent")
        session.report()
        session.intent("SomeOtherIntent")
        session.answer(slot("amount", "heaps", no_match=True))
        session.yes()
        session.intent("AMAZON.StartOverIntent")
        session.intent("NotSafeIntent")
        session.no()
        session.launch()
        session.intent("AMAZON.CancelIntent")
        session.launch()
        session.end("ERROR", "INVALID_RESPONSE")
        yield from session.turns


@pytest.fixture(scope="module")
def replies(handler: Handler) -> list[AlexaTurn]:
    return list(all_kinds_of_replies(handler))


def _check_ssml(ssml: str) -> ET.Element:
    assert ssml.startswith("<speak>"), ssml
    assert ssml.endswith("</speak>"), ssml
    assert len(ssml) <= SPEECH_LIMIT
    root = parse_ssml(ssml)
    assert root.tag == "speak"
    return root


def test_every_response_is_valid_ssml(replies: list[AlexaTurn]) -> None:
    spoken = [r for r in replies if r.ssml is not None]
    assert len(spoken) > 100
    for reply in spoken:
        assert reply.body["outputSpeech"]["type"] == "SSML"
        _check_ssml(str(reply.ssml))
        if reply.reprompt_ssml is not None:
            assert reply.body["reprompt"]["outputSpeech"]["type"] == "SSML"
            _check_ssml(reply.reprompt_ssml)


def test_only_session_ended_is_silent(replies: list[AlexaTurn]) -> None:
    for reply in replies:
        silent = reply.ssml is None
        assert silent == (reply.request["request"]["type"] == "SessionEndedRequest")


def test_a_question_always_has_a_reprompt_and_an_ending_never_does(
    replies: list[AlexaTurn],
) -> None:
    for reply in replies:
        if reply.ends is False:
            assert reply.reprompt, reply.speech
        if reply.ends is True:
            assert reply.reprompt_ssml is None


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("a & b < c", "a &amp; b &lt; c"),
        ("x > y", "x &gt; y"),
        ("Tom & Jerry <3 > all", "Tom &amp; Jerry &lt;3 &gt; all"),
    ],
)
def test_to_ssml_escapes(text: str, escaped: str) -> None:
    ssml = to_ssml([text], whisper=False)
    assert ssml == f"<speak>{escaped}</speak>"
    assert "".join(_check_ssml(ssml).itertext()) == text


@given(st.text(alphabet=st.sampled_from("&<>\"' a;#amp&lt;gt") | st.characters(), max_size=40))
@settings(max_examples=200, deadline=None)
def test_escape_is_the_standard_library_s(text: str) -> None:
    """responses.escape (no import at cold start) escapes as html.escape(quote=False) and
    xml.sax.saxutils.escape do: & < > only, & first."""
    import html
    from xml.sax.saxutils import escape as sax_escape

    assert escape(text) == html.escape(text, quote=False) == sax_escape(text)


def test_to_ssml_whispers_inside_speak() -> None:
    ssml = to_ssml(["a & b", " ", "c < d."], whisper=True)
    assert (
        ssml == '<speak><amazon:effect name="whispered">a &amp; b c &lt; d.</amazon:effect></speak>'
    )
    root = _check_ssml(ssml)
    (effect,) = list(root)
    assert effect.tag == "amazon-effect" and effect.get("name") == "whispered"
    assert "".join(root.itertext()) == "a & b c < d."


def test_to_ssml_refuses_speech_over_the_limit() -> None:
    with pytest.raises(ValueError, match="limit"):
        to_ssml(["word " * 2000], whisper=False)


@given(st.lists(st.text(max_size=200), max_size=6), st.booleans())
@settings(max_examples=200, deadline=None)
def test_to_ssml_always_parses(sentences: list[str], whisper: bool) -> None:
    printable = ["".join(ch for ch in s if ch.isprintable()) for s in sentences]
    ssml = to_ssml(printable, whisper)
    root = _check_ssml(ssml)
    assert " ".join("".join(root.itertext()).split()) == " ".join(
        " ".join(s.strip() for s in printable if s.strip()).split()
    )


# --- phone numbers --------------------------------------------------------------------------

PHONE_MARKUP = re.compile(
    r'<say-as interpret-as="telephone">[^<]*</say-as>|<sub alias="[^"]*">[^<]*</sub>'
)


def test_phone_numbers_are_read_as_numbers() -> None:
    phones = {"911": None, "800-656-4673": None, "000": "triple zero"}
    ssml = to_ssml(["Call 911 now, or 800-656-4673.", "Dial 000; not 9110 or 1911."], False, phones)
    assert ssml == (
        '<speak>Call <say-as interpret-as="telephone">911</say-as> now, or '
        '<say-as interpret-as="telephone">800-656-4673</say-as>. '
        'Dial <sub alias="triple zero">000</sub>; not 9110 or 1911.</speak>'
    )
    assert "".join(_check_ssml(ssml).itertext()).startswith("Call 911 now")


def test_no_number_is_spoken_without_markup(replies: list[AlexaTurn]) -> None:
    """A digit in speech outside a phone number's markup would be read as a quantity."""
    for reply in replies:
        for ssml in (reply.ssml, reply.reprompt_ssml):
            if ssml:
                assert not re.search(r"\d", PHONE_MARKUP.sub("", ssml)), ssml


@pytest.mark.parametrize("locale", ["en-US", "es-US", "en-CA"])
def test_the_emergency_number_is_read_digit_by_digit(handler: Handler, locale: str) -> None:
    session = Session(handler, locale=locale)
    session.launch()
    reply = session.intent("NotSafeIntent")
    number = voice_for(locale).services["emergency_number"]
    assert f'<say-as interpret-as="telephone">{number}</say-as>' in str(reply.ssml)


@pytest.mark.parametrize(
    ("phones", "message"),
    [
        ("phones: {}\n", "needs phone numbers"),
        ('phones:\n  "12a":\n', "digits, spaces and hyphens"),
        ('phones:\n  "555":\n', "no service holds this number"),
        ('phones:\n  "911": {spoken: ""}\n', "spoken"),
    ],
)
def test_a_broken_phone_list_stops_start_up(tmp_path: Any, phones: str, message: str) -> None:
    from skill.alexa.voice import load_phones
    from skill.core.model import KnowledgeError

    (tmp_path / "locale.yaml").write_text(phones, encoding="utf-8")
    with pytest.raises(KnowledgeError, match=message) as raised:
        load_phones(tmp_path, {"emergency_number": "911"})
    assert "locale.yaml" in str(raised.value)


# --- short answers ---------------------------------------------------------------------------


def test_final_answers_are_short(replies: list[AlexaTurn]) -> None:
    """Every final answer, the offer of a note included, within about 25 seconds."""
    answers = [r for r in replies if r.is_answer]
    assert {r.level for r in answers} == {"emergency", "urgent", "soon", "self_care"}
    for reply in answers:
        assert words(reply.speech) <= ANSWER_WORDS, reply.speech
        if reply.offers_card:
            assert reply.speech == f"{reply.answer_text()} {CARD_OFFER}"


def test_the_skill_s_word_budget_is_within_25_seconds() -> None:
    assert ANSWER_WORD_BUDGET <= ANSWER_WORDS


def _fact_strategy() -> st.SearchStrategy[dict[str, Any]]:
    knowledge = default_knowledge()
    choices: dict[str, st.SearchStrategy[Any]] = {}
    for name, spec in knowledge.facts.items():
        if spec.is_number:
            choices[name] = st.integers(spec.minimum or 0, spec.maximum or 120)
        else:
            choices[name] = st.sampled_from(list(spec.values))
    return st.fixed_dictionaries({}, optional=choices)


@given(_fact_strategy())
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_answer_fits_the_budget_and_keeps_its_order(facts: dict[str, Any]) -> None:
    assessment = assess(facts, locale="en-US")
    spoken = answer_speech(assessment.level, assessment.advice, assessment.safety_net, VOICE)
    assert sum(words(s) for s in spoken) <= ANSWER_WORDS, spoken
    assert spoken[-1] == content_text("disclaimer")
    if assessment.level is Level.EMERGENCY:
        assert spoken[0] == content_text("levels.emergency.say")


def test_every_non_emergency_answer_says_when_to_call_the_emergency_number() -> None:
    """Clinical brief 2.4: the emergency signs are read with every non-emergency answer, and
    non-consent always brings the support line and the not-safe sentence, in every locale."""
    from skill.core import available_locales

    cases = [
        {},
        {"pregnant": "possible", "warning_signs": False},
        {"amount": "moderate", "warning_signs": True, "pregnant": "no"},
        {"consent": "no", "warning_signs": False, "safe_now": True, "pregnant": "no"},
        {
            "cycle_timing": "near_period",
            "warning_signs": False,
            "pregnant": "no",
            "consent": "yes",
            "frequency": "first_time",
        },
    ]
    for locale in available_locales():
        voice = voice_for(locale)
        for facts in cases:
            assessment = assess(facts, locale=locale)
            speech = " ".join(
                answer_speech(assessment.level, assessment.advice, assessment.safety_net, voice)
            )
            signs = voice.triage.text("safety_net", "emergency_signs", "say")
            assert signs in speech, (locale, facts)
            if "support_services" in assessment.advice:
                assert voice.triage.text("advice", "support_services", "say") in speech
                assert voice.triage.text("safety_net", "not_safe", "say") in speech
