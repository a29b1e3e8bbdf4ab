"""Typed text resolved against the generated en-US model as Alexa would: hassil matches the
samples; entity resolution, Dialog.ElicitSlot and the open/ask forms are the simulator's."""

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
    is_sample_phrase,
    matcher_for,
    sample_intent,
)


@pytest.mark.parametrize(
    ("typed", "intent", "slots"),
    [
        # case, punctuation, contractions with and without the apostrophe, spelled out
        ("I BLED AFTER SEX!!!", "ReportIntent", {}),
        ("i bled, after sex.", "ReportIntent", {}),
        ("i'm bleeding after sex", "ReportIntent", {}),
        ("im bleeding after sex", "ReportIntent", {}),
        ("I am bleeding after sex", "ReportIntent", {}),
        ("i dont know", "DontKnowIntent", {}),
        ("I do not know", "DontKnowIntent", {}),
        # disfluencies anywhere, discourse markers at the edges
        ("um, uh, I bled after sex", "ReportIntent", {}),
        ("so, like, i bled after sex", "ReportIntent", {}),
        # the words people use, in the first sentence, either order
        ("i bled after sex and i feel dizzy", "ReportIntent", {"symptom": "dizzy_or_fainted"}),
        (
            "i feel dizzy and i'm bleeding after sex",
            "ReportIntent",
            {"symptom": "dizzy_or_fainted"},
        ),
        ("i'm past menopause and noticed blood after sex", "ReportIntent", {"menopause": "post"}),
        ("i bleed every time i have sex", "ReportIntent", {"frequency": "recurrent"}),
        ("there was some blood after we had sex", "ReportIntent", {"amount": "light"}),
        ("i'm bleeding heavily after sex", "ReportIntent", {"amount": "moderate"}),
        ("i had big clots after sex", "ReportIntent", {"amount": "heavy"}),
        (
            "i spotted after sex in the middle of my cycle",
            "ReportIntent",
            {"amount": "spotting", "cycleTiming": "mid_cycle"},
        ),
        ("i was assaulted and i'm bleeding", "ReportIntent", {"consent": "no"}),
        ("is it normal to bleed after sex", "ReportIntent", {}),
        ("my partner saw blood after sex", "ReportIntent", {}),
        ("i'm worried", "ReportIntent", {}),
        (
            "i'm pregnant and there was quite a lot after sex",
            "ReportIntent",
            {"pregnancy": "yes", "amount": "moderate"},
        ),
        # answers that carry words besides their slot
        ("I feel lightheaded", "AnswerIntent", {"symptom": "dizzy_or_fainted"}),
        ("i'm on the pill", "AnswerIntent", {"context": "hormonal_contraception"}),
        ("i'm thirty five years old", "AnswerIntent", {"age": "35"}),
        ("I'm 35 years old", "AnswerIntent", {"age": "35"}),
        ("i'm twenty weeks pregnant", "AnswerIntent", {"weeks": "20"}),
        ("the pain is in my shoulder", "AnswerIntent", {"painSite": "shoulder_tip"}),
        # the person's own intents
        ("whisper please", "WhisperIntent", {}),
        ("i'm not safe", "NotSafeIntent", {}),
        ("i can't talk he's here", "NotSafeIntent", {}),
        ("give me a helpline number", "SupportLineIntent", {}),
        ("is there someone i can talk to", "SupportLineIntent", {}),
    ],
)
def test_matching(matcher: Matcher, typed: str, intent: str, slots: dict[str, str]) -> None:
    understood = matcher.understand(typed)
    assert (understood.request_type, understood.intent) == (INTENT, intent)
    assert understood.filled == slots


@pytest.mark.parametrize(
    ("typed", "slot", "filled"),
    [
        ("a few drops", "amount", {"amount": "spotting"}),
        ("it was a little", "amount", {"amount": "light"}),
        ("it's mild", "pain", {"pain": "mild"}),
        ("on the left side", "painSite", {"painSite": "one_sided"}),
        ("i might be", "pregnancy", {"pregnancy": "possible"}),
        ("he forced me", "consent", {"consent": "no"}),
        ("every time", "frequency", {"frequency": "recurrent"}),
        ("mid cycle", "cycleTiming", {"cycleTiming": "mid_cycle"}),
        ("postmenopausal", "menopause", {"menopause": "post"}),
    ],
)
def test_a_bare_value_is_understood_only_while_its_slot_is_elicited(
    matcher: Matcher, typed: str, slot: str, filled: dict[str, str]
) -> None:
    """Dialog.ElicitSlot: Alexa tries the slot's own samples. Without it a bare value is an open
    sample the model does not have."""
    elicited = matcher.understand(typed, eliciting=slot)
    assert (elicited.intent, elicited.filled) == ("AnswerIntent", filled)
    assert matcher.understand(typed).intent == FALLBACK


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


def test_built_ins_and_own_intents_win_while_a_slot_is_elicited(matcher: Matcher) -> None:
    assert matcher.understand("no", eliciting="pregnancy").intent == "AMAZON.NoIntent"
    assert matcher.understand("i don't know", eliciting="amount").intent == "DontKnowIntent"
    assert matcher.understand("help", eliciting="pain").intent == "AMAZON.HelpIntent"


def test_not_dizzy_is_never_dizzy(matcher: Matcher) -> None:
    for typed in ("i'm not dizzy", "i don't feel dizzy", "no fever"):
        understood = matcher.understand(typed)
        assert "dizzy_or_fainted" not in understood.filled.values(), typed
        assert "fever" not in understood.filled.values(), typed


@pytest.mark.parametrize(
    "typed",
    ["what's the weather like today", "tell me a joke", "play some music", "", "um", "purple"],
)
def test_nothing_fits_is_the_fallback(matcher: Matcher, typed: str) -> None:
    understood = matcher.understand(typed)
    assert (understood.request_type, understood.intent, understood.slots) == (INTENT, FALLBACK, ())


def test_a_value_outside_the_catalogue_is_no_match(matcher: Matcher) -> None:
    understood = matcher.understand("It was PURPLE", eliciting="amount")
    assert understood.intent == "AnswerIntent"
    amount = next(s for s in understood.slots if s.name == "amount")
    assert (amount.value, amount.status, amount.value_id) == ("purple", NO_MATCH, None)
    assert understood.filled == {"amount": "purple"}


def test_no_match_only_when_the_rest_of_the_sample_matches(matcher: Matcher) -> None:
    report = matcher.understand("there was purple after sex")
    assert (report.intent, report.filled) == ("ReportIntent", {"amount": "purple"})
    rambling = matcher.understand("it was a very strange sort of purple colour thing")
    assert rambling.intent == FALLBACK


def test_resolved_slot_keeps_the_spoken_words_and_the_canonical_name(matcher: Matcher) -> None:
    understood = matcher.understand("I had BIG CLOTS after sex")
    amount = next(s for s in understood.slots if s.name == "amount")
    assert (amount.value, amount.value_id, amount.status) == ("big clots", "heavy", MATCH)
    assert amount.canonical == "soaking a pad"  # the value's name in the model


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
        ("Alexa, ask Care Compass: I had a lot after sex", "ReportIntent", {"amount": "moderate"}),
        ("tell care compass that i bled after making love", "ReportIntent", {}),
        ("ask care compass about spotting after sex", "ReportIntent", {"amount": "spotting"}),
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


def test_the_manifest_builders_questions() -> None:
    assert sample_intent("en-US", "Alexa, ask care compass about spotting after sex") == (
        "ReportIntent"
    )
    assert sample_intent("en-US", "Alexa, open care compass") == LAUNCH
    assert sample_intent("en-US", "Alexa, ask care compass to order a pizza") is None
    assert is_sample_phrase("en-US", "about spotting after sex")
    assert not is_sample_phrase("en-US", "help")  # a built-in phrase, no sample of the model
    assert not is_sample_phrase("en-US", "to order a pizza")
    assert not is_sample_phrase("en-US", "there was purple after sex")  # not from the catalogue
    assert is_sample_phrase("es-US", "que manché después del sexo")


def test_matcher_is_cached_per_model_file(
    tmp_path: Path, real_model: dict[str, Any], write_model: Any
) -> None:
    folder = write_model(real_model)
    first = matcher_for("en-US", folder)
    assert matcher_for("en-US", folder) is first
    changed = json.loads(json.dumps(real_model))
    changed["interactionModel"]["languageModel"]["invocationName"] = "other name"
    path = write_model(changed) / "en-US.json"
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))
    second = matcher_for("en-US", folder)
    assert second is not first
    assert second.understand("open other name").request_type == LAUNCH


def test_a_sample_that_starts_with_a_discourse_marker_matches_as_said(
    model_copy: dict[str, Any], write_model: Any
) -> None:
    """ "so" and "like" at the edges are passed over, but a sample that itself begins with one
    ("like a period") still matches what was said, as Alexa matches a sample."""
    intent_of(model_copy, "DontKnowIntent")["samples"].append("like i said no clue")
    matcher = matcher_for("en-US", write_model(model_copy))
    assert matcher.understand("like i said no clue").intent == "DontKnowIntent"
