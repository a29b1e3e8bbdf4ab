"""Typed text resolved against the en-US model as Alexa would: intents, slots, entity resolution."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from simulator_models import intent_of

from skill.simulator.matcher import (
    FALLBACK,
    INTENT,
    LAUNCH,
    MATCH,
    NO_MATCH,
    Matcher,
    Understood,
    matcher_for,
)


def _slots(understood: Understood) -> dict[str, str]:
    return understood.filled


@pytest.mark.parametrize(
    ("typed", "intent", "slots"),
    [
        # case and punctuation
        ("I BLED AFTER SEX!!!", "ReportIntent", {}),
        ("i bled, after sex.", "ReportIntent", {}),
        # contractions, with and without the apostrophe, and spelled out
        ("i'm bleeding after sex", "ReportIntent", {}),
        ("im bleeding after sex", "ReportIntent", {}),
        ("I am bleeding after sex", "ReportIntent", {}),
        ("i dont know", "DontKnowIntent", {}),
        ("I do not know", "DontKnowIntent", {}),
        # fillers
        ("um, uh, I bled after sex", "ReportIntent", {}),
        ("so, like, it was a lot", "AnswerIntent", {"amount": "heavy"}),
        ("it was, like, a lot", "AnswerIntent", {"amount": "heavy"}),
        # filler words that belong to a value are kept
        ("like a period", "AnswerIntent", {"amount": "moderate"}),
        # a few extra words around a sample
        ("i think i bled after sex yesterday", "ReportIntent", {}),
        ("honestly it was a lot i think", "AnswerIntent", {"amount": "heavy"}),
        # slot values written with their synonyms
        ("a tiny bit", "AnswerIntent", {"amount": "spotting"}),
        ("i had loads of blood after sex", "ReportIntent", {"amount": "heavy"}),
        ("I feel lightheaded", "AnswerIntent", {"symptom": "dizzy_or_fainted"}),
        ("i'm on the coil", "AnswerIntent", {"context": "hormonal_contraception"}),
        ("a hormonal I.U.D.", "AnswerIntent", {"context": "hormonal_contraception"}),
        ("it's a bit sore", "AnswerIntent", {"pain": "mild"}),
        ("I'm not sure if I'm pregnant", "AnswerIntent", {"pregnancy": "possible"}),
        ("i bleed after sex every time", "ReportIntent", {"frequency": "recurrent"}),
        (
            "i'm pregnant and there was quite a lot after sex",
            "ReportIntent",
            {"pregnancy": "yes", "amount": "moderate"},
        ),
        # AMAZON.NUMBER: digits or words, sent as digits
        ("i'm thirty five", "AnswerIntent", {"age": "35"}),
        ("I'm 35 years old", "AnswerIntent", {"age": "35"}),
        ("i'm twenty weeks pregnant", "AnswerIntent", {"weeks": "20"}),
        # the person's own intents
        ("whisper please", "WhisperIntent", {}),
        ("i'm not safe", "NotSafeIntent", {}),
        ("no pain", "AnswerIntent", {"pain": "none"}),
        ("no i'm not pregnant", "AnswerIntent", {"pregnancy": "no"}),
    ],
)
def test_matching(matcher: Matcher, typed: str, intent: str, slots: dict[str, str]) -> None:
    understood = matcher.understand(typed)
    assert (understood.request_type, understood.intent) == (INTENT, intent)
    assert _slots(understood) == slots


@pytest.mark.parametrize(
    ("typed", "intent"),
    [
        ("yes", "AMAZON.YesIntent"),
        ("Yeah.", "AMAZON.YesIntent"),
        ("yes please", "AMAZON.YesIntent"),
        ("no", "AMAZON.NoIntent"),
        ("nope", "AMAZON.NoIntent"),
        ("no, I don't", "AMAZON.NoIntent"),
        ("help", "AMAZON.HelpIntent"),
        ("repeat", "AMAZON.RepeatIntent"),
        ("say that again", "AMAZON.RepeatIntent"),
        ("start over", "AMAZON.StartOverIntent"),
        ("stop", "AMAZON.StopIntent"),
        ("Stop!", "AMAZON.StopIntent"),
        ("cancel", "AMAZON.CancelIntent"),
        ("go home", "AMAZON.NavigateHomeIntent"),
    ],
)
def test_built_in_phrases(matcher: Matcher, typed: str, intent: str) -> None:
    understood = matcher.understand(typed)
    assert understood.intent == intent
    assert understood.slots == ()


def test_built_ins_other_than_yes_and_no_take_no_extra_words(matcher: Matcher) -> None:
    assert matcher.understand("i feel off").intent != "AMAZON.StopIntent"
    assert matcher.understand("it happened again").intent == "AnswerIntent"


@pytest.mark.parametrize(
    ("typed", "intent", "slots"),
    [
        ("no fever", "AMAZON.NoIntent", {}),  # never symptom=fever
        ("i don't have a fever", FALLBACK, {}),
        ("it was not a lot", "AnswerIntent", {"amount": "not a lot"}),  # outside the catalogue
        ("it was not painful", "AnswerIntent", {"pain": "none"}),  # the value says it
    ],
)
def test_a_negation_is_never_an_ignored_extra_word(
    matcher: Matcher, typed: str, intent: str, slots: dict[str, str]
) -> None:
    understood = matcher.understand(typed)
    assert (understood.intent, understood.filled) == (intent, slots)


def test_not_dizzy_is_never_dizzy(matcher: Matcher) -> None:
    understood = matcher.understand("i'm not dizzy")
    assert "dizzy_or_fainted" not in understood.filled.values()


@pytest.mark.parametrize(
    "typed",
    ["what's the weather like today", "tell me a joke", "play some music", "", "um", "purple"],
)
def test_nothing_fits_is_the_fallback(matcher: Matcher, typed: str) -> None:
    understood = matcher.understand(typed)
    assert (understood.request_type, understood.intent, understood.slots) == (INTENT, FALLBACK, ())


def test_a_value_outside_the_catalogue_is_no_match(matcher: Matcher) -> None:
    understood = matcher.understand("It was PURPLE")
    assert understood.intent == "AnswerIntent"
    amount = next(s for s in understood.slots if s.name == "amount")
    assert (amount.value, amount.status, amount.value_id) == ("purple", NO_MATCH, None)
    assert understood.filled == {"amount": "purple"}


def test_no_match_only_when_the_rest_of_the_sample_matches(matcher: Matcher) -> None:
    report = matcher.understand("there was purple after sex")
    assert (report.intent, report.filled) == ("ReportIntent", {"amount": "purple"})
    # too many unknown words for one slot position
    rambling = matcher.understand("it was a very strange sort of purple colour thing")
    assert rambling.intent == FALLBACK


def test_one_known_and_one_unknown_value(matcher: Matcher) -> None:
    understood = matcher.understand("i'm pregnant and there was purple after sex")
    by_name = {s.name: s for s in understood.slots}
    assert by_name["pregnancy"].status == MATCH and by_name["pregnancy"].value_id == "yes"
    assert by_name["amount"].status == NO_MATCH and by_name["amount"].value == "purple"


def test_resolved_slot_keeps_the_spoken_words_and_the_canonical_name(matcher: Matcher) -> None:
    understood = matcher.understand("I had LOADS OF BLOOD after sex")
    amount = next(s for s in understood.slots if s.name == "amount")
    assert (amount.value, amount.value_id, amount.canonical) == ("loads of blood", "heavy", "heavy")
    assert amount.status == MATCH


def test_every_declared_slot_is_sent(matcher: Matcher, real_model: dict[str, Any]) -> None:
    understood = matcher.understand("i had a lot after sex")
    declared = [slot["name"] for slot in intent_of(real_model, "ReportIntent")["slots"]]
    assert [s.name for s in understood.slots] == declared
    assert [s.name for s in understood.slots if s.value is not None] == ["amount"]


@pytest.mark.parametrize(
    "typed",
    ["open care compass", "Alexa, open Care Compass.", "launch care compass", "ask care compass"],
)
def test_open_starts_with_a_launch(matcher: Matcher, typed: str) -> None:
    assert matcher.understand(typed) == Understood(LAUNCH, new_session=True)


@pytest.mark.parametrize(
    ("typed", "intent", "slots"),
    [
        ("ask care compass i bled after sex", "ReportIntent", {}),
        ("Alexa, ask Care Compass: I had a lot after sex", "ReportIntent", {"amount": "heavy"}),
        ("tell care compass that i bled after making love", "ReportIntent", {}),
        ("ask care compass to help", "AMAZON.HelpIntent", {}),
        ("open care compass and i bled after sex", "ReportIntent", {}),
        ("ask care compass what's the weather", FALLBACK, {}),
    ],
)
def test_ask_is_a_one_shot(
    matcher: Matcher, typed: str, intent: str, slots: dict[str, str]
) -> None:
    understood = matcher.understand(typed)
    assert (understood.intent, understood.filled, understood.new_session) == (intent, slots, True)


def test_another_skill_is_not_this_one(matcher: Matcher) -> None:
    understood = matcher.understand("open the weather")
    assert (understood.intent, understood.new_session) == (FALLBACK, False)


def test_matcher_is_cached_per_model_file(tmp_path: Path, real_model: dict[str, Any]) -> None:
    path = tmp_path / "en-US.json"
    path.write_text(json.dumps(real_model), encoding="utf-8")
    first = matcher_for("en-US", tmp_path)
    assert matcher_for("en-US", tmp_path) is first
    real_model_copy = json.loads(json.dumps(real_model))
    real_model_copy["interactionModel"]["languageModel"]["invocationName"] = "other name"
    path.write_text(json.dumps(real_model_copy), encoding="utf-8")
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))
    second = matcher_for("en-US", tmp_path)
    assert second is not first
    assert second.understand("open other name").request_type == LAUNCH


def test_matching_is_fast(matcher: Matcher) -> None:
    phrases = ["i bled after sex and i have a fever", "it was purple", "yes", "tell me a joke"]
    matcher.understand(phrases[0])  # compile what these need once
    started = time.perf_counter()
    for _ in range(25):
        for phrase in phrases:
            matcher.understand(phrase)
    assert time.perf_counter() - started < 1.0
