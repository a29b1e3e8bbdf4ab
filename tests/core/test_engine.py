"""The triage engine beyond the clinical vignettes (tests/core/vignettes.yaml): a locale's policy,
contradictions between answers (merge_facts), and the order of questions (next_question)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from core_support import BENIGN, words_of

from skill.core import (
    Knowledge,
    Level,
    LocaleContent,
    assess,
    merge_facts,
    next_question,
)
from skill.core.model import LocalePolicy

# --- a locale whose policy follows the NHS: every episode gets a check (brief C1 note) ----------


def test_en_us_policy_keeps_the_benign_answer_self_care() -> None:
    assessment = assess(BENIGN, locale="en-US")
    assert assessment.level is Level.SELF_CARE
    assert assessment.rules == ("C1",)


def test_a_stricter_policy_turns_c1_into_soon(knowledge: Knowledge, en_us: LocaleContent) -> None:
    strict = dataclasses.replace(
        knowledge, policies={**knowledge.policies, "en-US": LocalePolicy(benign_level=Level.SOON)}
    )
    assessment = assess(BENIGN, locale="en-US", knowledge=strict)
    assert assessment.level is Level.SOON
    assert assessment.rules[0] == "C1"
    assert "N6" in assessment.rules
    text = words_of(assessment, en_us)
    assert en_us.text("advice", "book_check", "text").lower() in text
    assert en_us.text("advice", "check_if_again", "text").lower() in text
    # The policy only ever lowers nothing: a red flag is still an emergency.
    assert assess({**BENIGN, "dizzy_or_fainted": True}, knowledge=strict).level is Level.EMERGENCY


def test_the_policy_of_another_locale_does_not_apply(knowledge: Knowledge) -> None:
    strict = dataclasses.replace(
        knowledge, policies={**knowledge.policies, "en-GB": LocalePolicy(benign_level=Level.SOON)}
    )
    assert assess(BENIGN, locale="en-US", knowledge=strict).level is Level.SELF_CARE
    assert assess(BENIGN, locale="en-GB", knowledge=strict).level is Level.SOON


# --- contradictions keep the more cautious answer (precedence 3) -------------------------------


@pytest.mark.parametrize(
    ("earlier", "later", "fact", "kept"),
    [
        ({"amount": "spotting"}, {"amount": "heavy"}, "amount", "heavy"),
        ({"amount": "heavy"}, {"amount": "spotting"}, "amount", "heavy"),
        ({"pregnant": "no"}, {"pregnant": "yes"}, "pregnant", "yes"),
        ({"consent": "yes"}, {"consent": "no"}, "consent", "no"),
        (
            {"dizzy_or_fainted": False},
            {"dizzy_or_fainted": "unknown"},
            "dizzy_or_fainted",
            "unknown",
        ),
    ],
    ids=["few_drops_then_heavy", "heavy_then_few_drops", "not_then_pregnant", "said_stop", "dizzy"],
)
def test_contradictions_keep_the_cautious_value(
    earlier: dict[str, Any], later: dict[str, Any], fact: str, kept: Any
) -> None:
    assert merge_facts(earlier, later)[fact] == kept


# --- next_question ------------------------------------------------------------------------------


def reassuring_answer(knowledge: Knowledge, fact: str) -> Any:
    return knowledge.facts[fact].harmless


def test_red_flags_are_asked_first() -> None:
    assert next_question({}) == "warning_signs"


def test_a_yes_to_the_warning_signs_asks_dizziness_next() -> None:
    assert next_question({"warning_signs": True}) == "dizzy_or_fainted"


def ask_all(facts: dict[str, Any], answers: dict[str, Any], knowledge: Knowledge) -> list[str]:
    """Answer each question next_question asks (from `answers`, else its most reassuring answer)
    until nothing is left to ask; the questions in the order they were asked."""
    asked: list[str] = []
    while (question := next_question(facts)) is not None:
        assert question not in asked, asked
        asked.append(question)
        facts[question] = answers.get(question, reassuring_answer(knowledge, question))
    return asked


def test_the_typical_report_reaches_self_care_within_six_questions(knowledge: Knowledge) -> None:
    # Red flags (one grouped question), whether it has stopped, pregnancy, consent, how often, and
    # one grouped question for the rest of C1 (discharge, a new partner, screening): self-care is
    # given only when every one of its conditions is known (brief C1).
    facts: dict[str, Any] = {"cycle_timing": "near_period"}
    asked = ask_all(facts, {}, knowledge)
    assert asked == [
        "warning_signs",
        "still_bleeding",
        "pregnant",
        "consent",
        "frequency",
        "discharge_partner_or_screening",
    ]
    assessment = assess(facts)
    assert assessment.level is Level.SELF_CARE
    assert assessment.rules == ("C1",)


def test_the_grouped_question_comes_last_and_only_while_self_care_is_possible(
    knowledge: Knowledge,
) -> None:
    facts: dict[str, Any] = {"cycle_timing": "near_period", "frequency": "recurrent"}
    assert "discharge_partner_or_screening" not in ask_all(facts, {}, knowledge)
    told = {"cycle_timing": "near_period", "unusual_discharge": False}
    told |= {"new_partner_or_sti_risk": False, "screening_up_to_date": True}
    assert "discharge_partner_or_screening" not in ask_all(told, {}, knowledge)
    assert assess(told).level is Level.SELF_CARE


@pytest.mark.parametrize(
    "facts",
    [
        {"dizzy_or_fainted": True},
        {"soaks_pad_within_hour": True},
        {"pregnant": "possible", "pain_site": "one_sided"},
        {"consent": "no", "safe_now": False},
        {"high_fever_or_shivering": True, "pain": "mild"},
        {"vomiting": True},
        {"pregnant": "possible", "pain": "unknown", "pain_site": "pelvic"},
    ],
    ids=["dizzy", "soaking", "ectopic_signs", "not_safe", "shivering_and_pain", "vomiting", "e3"],
)
def test_no_question_after_an_emergency(facts: dict[str, Any]) -> None:
    assert assess(facts).level is Level.EMERGENCY
    assert next_question(facts) is None


def test_fever_then_yes_to_the_warning_signs_asks_each_red_flag(knowledge: Knowledge) -> None:
    # "I bled after sex and I have a fever", then "yes" to the grouped warning-signs question.
    # Fever is urgent (U3); the red flags are asked one by one. With no pain, the answer stays
    # urgent for the fever, not 911.
    facts: dict[str, Any] = {"fever": True, "warning_signs": True}
    assert assess(facts).level is Level.URGENT
    answers = {"dizzy_or_fainted": False, "amount": "light", "pain": "none"}
    asked = []
    while (question := next_question(facts)) in answers:
        asked.append(question)
        facts[question] = answers[question]
    assert asked == ["dizzy_or_fainted", "amount", "pain"]
    assessment = assess(facts)
    assert assessment.level is Level.URGENT
    assert "U3" in assessment.rules


def test_fever_with_pain_asks_the_two_emergency_questions_of_e5(knowledge: Knowledge) -> None:
    # E5 against U3 (brief): a very high temperature or shivering, or vomiting, with the pain.
    base = {"fever": True, "warning_signs": True, "dizzy_or_fainted": False, "amount": "light"}
    facts: dict[str, Any] = {**base, "pain": "mild"}
    assert next_question(facts) == "high_fever_or_shivering"
    assert assess({**facts, "high_fever_or_shivering": True}).level is Level.EMERGENCY
    facts["high_fever_or_shivering"] = False
    assert next_question(facts) == "vomiting"
    assert assess({**facts, "vomiting": True}).level is Level.EMERGENCY
    facts["vomiting"] = False
    assert assess(facts).level is Level.URGENT
    # Not asked without a fever, nor without pain.
    for other in ({**base, "fever": False, "pain": "mild"}, {**base, "pain": "none"}):
        asked = ask_all(dict(other), {}, knowledge)
        assert "high_fever_or_shivering" not in asked
        assert "vomiting" not in asked


def test_a_vague_large_amount_asks_the_pad_anchor_before_anything_else() -> None:
    # "A lot", "heaps", "heavily" arrive as "moderate" (the fact vocabulary's decision): the first
    # question is "are you soaking a pad in an hour or less?" (E2 against U5).
    assert next_question({"amount": "moderate"}) == "soaks_pad_within_hour"
    assert assess({"amount": "moderate", "soaks_pad_within_hour": True}).level is Level.EMERGENCY
    after = {"amount": "moderate", "soaks_pad_within_hour": False}
    assert assess(after).level is Level.URGENT
    assert next_question(after) == "warning_signs"
    # A small amount rules soaking out: never asked.
    assert next_question({"warning_signs": True, "dizzy_or_fainted": False, "amount": "light"}) != (
        "soaks_pad_within_hour"
    )


def test_how_long_is_asked_only_while_it_is_still_going_on(knowledge: Knowledge) -> None:
    facts: dict[str, Any] = {"cycle_timing": "near_period", "warning_signs": False}
    assert next_question(facts) == "still_bleeding"
    assert next_question({**facts, "still_bleeding": True}) == "bleeding_over_a_day"
    assert "bleeding_over_a_day" not in ask_all({**facts, "still_bleeding": False}, {}, knowledge)


def test_where_the_pain_is_is_not_asked_when_it_is_not_known_whether_there_is_pain() -> None:
    facts = {"pregnant": "unknown", "pain": "unknown", "warning_signs": True}
    facts |= {"dizzy_or_fainted": False, "amount": "light", "fever": False}
    assert assess(facts).level is Level.URGENT
    assert next_question(facts) != "pain_site"


def test_a_bare_yes_to_the_pregnancy_question_asks_whether_it_is_known(
    knowledge: Knowledge,
) -> None:
    question = next(q for q in knowledge.questions if q.id == "pregnant")
    assert question.yes == "possible"  # true of both readings: urgent, a test today
    facts: dict[str, Any] = {
        "warning_signs": False,
        "still_bleeding": False,
        "pregnant": "possible",
    }
    assert next_question(facts) == "pregnancy_confirmed"
    assert "U1" in assess({**facts, "pregnancy_confirmed": True}).rules
    assert "U2" in assess({**facts, "pregnancy_confirmed": False}).rules
    # "I'm pregnant" in words needs no second question.
    assert "pregnancy_confirmed" not in ask_all({"pregnant": "yes"}, {}, knowledge)


@pytest.mark.parametrize("age", [46, 58])
def test_from_45_the_menopause_is_asked_before_pregnancy(age: int, knowledge: Knowledge) -> None:
    facts: dict[str, Any] = {"age": age, "frequency": "recurrent"}
    asked = ask_all(facts, {"menopause": "post"}, knowledge)
    assert "menopause" in asked
    assert "pregnant" not in asked  # past the menopause: never asked about a late period
    assert asked.index("menopause") < len(asked)
    again = ask_all({"age": age, "frequency": "recurrent"}, {"menopause": "pre"}, knowledge)
    assert again.index("menopause") < again.index("pregnant")


def test_past_55_and_unsure_of_the_menopause_pregnancy_is_not_asked(knowledge: Knowledge) -> None:
    facts: dict[str, Any] = {"age": 58}
    asked = ask_all(facts, {"menopause": "unknown"}, knowledge)
    assert "menopause" in asked
    assert "pregnant" not in asked
    assessment = assess(facts)
    assert "postmenopause_check" not in assessment.advice
    assert "postmenopause_unsure" in assessment.advice


def test_under_45_a_period_near_the_bleeding_settles_the_menopause(knowledge: Knowledge) -> None:
    assert "menopause" not in ask_all({"cycle_timing": "near_period"}, {}, knowledge)
    assert "menopause" not in ask_all({"age": 30, "frequency": "recurrent"}, {}, knowledge)


def test_safety_is_asked_after_non_consent(knowledge: Knowledge) -> None:
    facts: dict[str, Any] = {"consent": "no", "warning_signs": False}
    asked = []
    while (question := next_question(facts)) is not None:
        asked.append(question)
        facts[question] = reassuring_answer(knowledge, question)
    assert "safe_now" in asked


def test_safety_is_not_asked_after_consent(knowledge: Knowledge) -> None:
    facts: dict[str, Any] = {"consent": "yes"}
    while (question := next_question(facts)) is not None:
        assert question != "safe_now"
        facts[question] = reassuring_answer(knowledge, question)


def test_nothing_left_to_ask_once_the_benign_story_is_complete() -> None:
    assert next_question(BENIGN) is None
