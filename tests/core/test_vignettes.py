"""Clinical vignettes: one short story each, written from the clinical basis
(docs/clinical-basis.md: the triage rules, their precedence and the safety net), with the level
the rules ask for, the words the person must hear, and the sources the answer rests on.

A vignette checks:
- the level, exactly;
- that the rules it names fired (every E, U, N and C rule is named by at least one vignette);
- that the rendered advice and safety net (US English) contain each expected phrase;
- that each source id it names exists in the knowledge and is among the answer's sources.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from core_support import BENIGN

from skill.core import (
    Assessment,
    Knowledge,
    Level,
    LocaleContent,
    assess,
    merge_facts,
    next_question,
    render,
)
from skill.core.model import LocalePolicy

E, U, S, C = Level.EMERGENCY, Level.URGENT, Level.SOON, Level.SELF_CARE


@dataclass(frozen=True)
class Vignette:
    name: str
    facts: Mapping[str, Any]
    level: Level
    words: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    not_words: tuple[str, ...] = field(default=())


def benign(**changes: Any) -> dict[str, Any]:
    return {**BENIGN, **changes}


VIGNETTES: list[Vignette] = [
    # --- self_care: brief C1 and the product decision at the top of the brief -----------------
    Vignette(
        "24yo_near_period_first_spotting",
        benign(),
        C,
        words=("book a check if it happens again", "call 911 at once", "might be pregnant"),
        sources=("S1", "S6", "S9"),
        rules=("C1",),
    ),
    Vignette(
        "mid_cycle_light_rare_warning_signs_no",
        {
            "cycle_timing": "mid_cycle",
            "frequency": "rare",
            "warning_signs": False,
            "pregnant": "no",
            "consent": "yes",
        },
        C,
        words=("water-based lubricant", "book a check if it happens again"),
        sources=("S27", "S40"),
        rules=("C1",),
    ),
    Vignette(
        "rough_sex_explains_spotting_off_cycle",
        benign(cycle_timing="other", menopause="pre", rough_or_deep_sex=True),
        C,
        words=("less deep positions", "pause sex until it settles"),
        sources=("S1", "S23"),
        rules=("C1",),
    ),
    Vignette(
        "new_pill_explains_light_bleed",
        benign(cycle_timing="other", menopause="pre", amount="light", hormonal_contraception=True),
        C,
        words=("book a check if it happens again",),
        sources=("S39",),
        rules=("C1",),
    ),
    # --- emergency: E1-E7 --------------------------------------------------------------------
    Vignette(
        "dizzy",
        {"dizzy_or_fainted": True},
        E,
        words=("call 911 now", "lie down"),
        sources=("S27", "S15", "S21", "S36"),
        rules=("E1",),
    ),
    Vignette(
        "dizzy_overrides_a_benign_story",
        benign(dizzy_or_fainted=True),
        E,
        words=("911",),
        sources=("S27",),
        rules=("E1",),
        not_words=("book a check if it happens again",),
    ),
    Vignette(
        "soaking_a_pad_in_an_hour",
        {"soaks_pad_within_hour": True},
        E,
        words=("911", "keep count of the pads"),
        sources=("S29", "S21", "S26"),
        rules=("E2",),
    ),
    Vignette(
        "heavy_bleeding",
        {"amount": "heavy", "pregnant": "no"},
        E,
        words=("911",),
        sources=("S29",),
        rules=("E2",),
    ),
    Vignette(
        "contradiction_spotting_but_soaks_pad_is_heavy",  # precedence 3
        {"amount": "spotting", "soaks_pad_within_hour": True},
        E,
        words=("911",),
        sources=("S29", "S21"),
        rules=("E2",),
    ),
    Vignette(
        "possible_pregnancy_one_sided_pain",
        {"pregnant": "possible", "pain_site": "one_sided", "pain": "mild"},
        E,
        words=("911",),
        sources=("S15", "S21", "S48"),
        rules=("E3",),
    ),
    Vignette(
        "unsure_if_pregnant_shoulder_tip_pain",
        {"pregnant": "unknown", "pain_site": "shoulder_tip"},
        E,
        words=("911",),
        sources=("S15", "S48"),
        rules=("E3",),
    ),
    Vignette(
        "late_period_one_sided_pain",  # late period -> possible pregnancy (U2's note)
        {"period_late": True, "pain_site": "one_sided"},
        E,
        words=("911",),
        sources=("S15",),
        rules=("E3",),
    ),
    Vignette(
        "pregnant_moderate_bleeding",
        {"pregnant": "yes", "amount": "moderate"},
        E,
        words=("911", "pads, not tampons"),
        sources=("S10", "S46", "S22"),
        rules=("E4",),
    ),
    Vignette(
        "twelve_weeks_severe_cramps",
        {"weeks_pregnant": 12, "pain": "severe"},
        E,
        words=("911",),
        sources=("S10", "S15", "S17"),
        rules=("E3", "E4", "E5"),
    ),
    Vignette(
        "severe_pelvic_pain_not_pregnant",
        {"pain": "severe", "pain_site": "pelvic", "pregnant": "no"},
        E,
        words=("911",),
        sources=("S17", "S25"),
        rules=("E5",),
    ),
    Vignette(
        "fever_with_mild_pain",
        {"fever": True, "pain": "mild", "pregnant": "no"},
        E,
        words=("911",),
        sources=("S17", "S25"),
        rules=("E5",),
    ),
    Vignette(
        "fever_with_pain_of_unknown_severity",  # never lower than fever with mild pain
        {"fever": True, "pain": "unknown", "pregnant": "no"},
        E,
        words=("911",),
        sources=("S17",),
        rules=("E5",),
    ),
    Vignette(
        "still_bleeding_moderately_after_rough_sex",
        {"rough_or_deep_sex": True, "still_bleeding": True, "amount": "moderate"},
        E,
        words=("911",),
        sources=("S38", "S27"),
        rules=("E6",),
    ),
    Vignette(
        "not_consensual_and_not_safe",
        {"consent": "no", "safe_now": False},
        E,
        words=("call 911 now", "not your fault", "rainn", "800-656-4673"),
        sources=("H1", "H3", "H4"),
        rules=("E7",),
    ),
    Vignette(
        "unclear_consent_and_not_safe",
        {"consent": "unclear", "safe_now": False, "warning_signs": False},
        E,
        words=("911", "800-656-4673"),
        sources=("H1",),
        rules=("E7",),
    ),
    Vignette(
        "not_consensual_and_dizzy_still_offers_support",  # precedence 5
        {"consent": "no", "safe_now": True, "dizzy_or_fainted": True},
        E,
        words=("911", "lie down", "rainn", "800-656-4673", "not your fault"),
        sources=("S27", "H1", "S20"),
        rules=("E1", "U4"),
    ),
    # --- urgent: U1-U6 -----------------------------------------------------------------------
    Vignette(
        "ten_weeks_pregnant_spotting",
        {"weeks_pregnant": 10, "amount": "spotting", "warning_signs": False},
        U,
        words=("midwife", "avoid sex until you have been checked", "pads, not tampons", "911"),
        sources=("S14", "S22", "S10", "S56"),
        rules=("U1",),
    ),
    Vignette(
        "pregnant_light_no_pain",
        {"pregnant": "yes", "amount": "light", "pain": "none", "dizzy_or_fainted": False},
        U,
        words=("any bleeding in pregnancy should be checked",),
        sources=("S14", "S27"),
        rules=("U1",),
    ),
    Vignette(
        "contradiction_not_pregnant_then_ten_weeks",  # precedence 3
        merge_facts({"pregnant": "no", "amount": "spotting"}, {"weeks_pregnant": 10}),
        U,
        words=("midwife",),
        sources=("S14",),
        rules=("U1",),
    ),
    Vignette(
        "possible_pregnancy_light_bleeding",
        {"pregnant": "possible", "amount": "light", "warning_signs": False},
        U,
        words=("pregnancy test today",),
        sources=("S27", "S12", "S48"),
        rules=("U2",),
    ),
    Vignette(
        "unsure_if_pregnant",  # precedence 2: unknown pregnancy -> possible
        benign(pregnant="unknown"),
        U,
        words=("pregnancy test today",),
        sources=("S27", "S48"),
        rules=("U2",),
        not_words=("book a check if it happens again",),
    ),
    Vignette(
        "period_late_with_spotting",
        benign(period_late=True, pregnant="possible"),
        U,
        words=("pregnancy test today", "call your doctor"),
        sources=("S27", "S12"),
        rules=("U2",),
    ),
    Vignette(
        "fever",
        {"fever": True, "pain": "none", "amount": "spotting", "dizzy_or_fainted": False},
        U,
        words=("infection", "911"),
        sources=("S17", "S25", "S24"),
        rules=("U3",),
    ),
    Vignette(
        "mild_pelvic_pain_with_discharge",
        benign(pain="mild", pain_site="pelvic", unusual_discharge=True),
        U,
        words=("infection",),
        sources=("S17", "S24"),
        rules=("U3",),
    ),
    Vignette(
        "not_consensual_and_safe",
        {"consent": "no", "safe_now": True, "warning_signs": False},
        U,
        words=(
            "not your fault",
            "rainn",
            "800-656-4673",
            "72 hours",
            "do not need to report to the police",
            "if you are not safe where you are, call 911",
        ),
        sources=("S20", "S44", "S45", "H1", "H4"),
        rules=("U4",),
    ),
    Vignette(
        "unclear_consent_in_an_otherwise_benign_story",  # precedence 5
        benign(consent="unclear", safe_now=True),
        U,
        words=("800-656-4673",),
        sources=("S20", "H1"),
        rules=("U4",),
        not_words=("book a check if it happens again",),
    ),
    Vignette(
        "moderate_bleeding",
        {"amount": "moderate", "dizzy_or_fainted": False, "pain": "none", "pregnant": "no"},
        U,
        words=("call your doctor", "keep count of the pads"),
        sources=("S26", "S27", "S49"),
        rules=("U5",),
    ),
    Vignette(
        "still_bleeding_spotting",
        benign(still_bleeding=True),
        U,
        words=("call your doctor",),
        sources=("S26",),
        rules=("U5",),
    ),
    Vignette(
        "amount_unknown",
        {"amount": "unknown", "dizzy_or_fainted": False, "pain": "none", "pregnant": "no"},
        U,
        words=("could not be ruled out", "911"),
        sources=("S26",),
        rules=("U6",),
    ),
    Vignette(
        "unsure_if_dizzy",
        benign(dizzy_or_fainted="unknown"),
        U,
        words=("could not be ruled out",),
        sources=("S26",),
        rules=("U6",),
    ),
    Vignette(
        "unsure_about_the_warning_signs",
        {"warning_signs": "unknown"},
        U,
        words=("could not be ruled out",),
        sources=("S26",),
        rules=("U6",),
    ),
    # --- soon: N1-N6 ---------------------------------------------------------------------------
    Vignette(
        "postmenopausal_spotting_once",
        {
            "menopause": "post",
            "frequency": "first_time",
            "amount": "spotting",
            "warning_signs": False,
        },
        S,
        words=("after menopause should always be checked", "911"),
        sources=("S5", "S6", "S16", "S33"),
        rules=("N1",),
    ),
    Vignette(
        "55yo_two_years_without_periods_says_probably_her_period",  # precedence 4
        {"age": 55, "menopause": "post", "cycle_timing": "near_period", "warning_signs": False},
        S,
        words=("after menopause",),
        sources=("S16",),
        rules=("N1",),
        not_words=("book a check if it happens again",),
    ),
    Vignette(
        "recurrent",
        benign(frequency="recurrent", age=38),
        S,
        words=("keeps happening",),
        sources=("S12", "S31", "S34"),
        rules=("N2",),
    ),
    Vignette(
        "unsure_how_often",  # an unknown concern counts as present
        benign(frequency="unknown"),
        S,
        words=("keeps happening",),
        sources=("S12",),
        rules=("N2",),
    ),
    Vignette(
        "new_partner",
        benign(new_partner_or_sti_risk=True),
        S,
        words=("sexually transmitted infections",),
        sources=("S6", "S24", "S12"),
        rules=("N3",),
    ),
    Vignette(
        "unusual_discharge_no_pain_no_fever",
        benign(unusual_discharge=True),
        S,
        words=("sexually transmitted infections",),
        sources=("S24",),
        rules=("N3",),
    ),
    Vignette(
        "screening_overdue",
        benign(screening_up_to_date=False),
        S,
        words=("cervical screening (pap or hpv test) is due",),
        sources=("S13", "S6", "S32"),
        rules=("N4",),
    ),
    Vignette(
        "dryness_while_breastfeeding",
        {**benign(dryness=True, breastfeeding=True), "cycle_timing": "irregular"},
        S,
        words=("lubricant", "book a check"),
        sources=("S18", "S49"),
        rules=("N5",),
    ),
    Vignette(
        "mild_pain_during_sex",
        benign(pain="mild", pain_site="during_sex"),
        S,
        words=("lubricant",),
        sources=("S18",),
        rules=("N5",),
    ),
    Vignette(
        "bare_report",
        {},
        S,
        words=("book a check with a doctor", "911", "if you are or might be pregnant"),
        sources=("S6", "S12", "S23"),
        rules=("N6",),
    ),
    Vignette(
        "benign_but_no_harmless_trigger",
        benign(cycle_timing="other"),
        S,
        words=("book a check",),
        sources=("S6",),
        rules=("N6",),
        not_words=("book a check if it happens again",),
    ),
    Vignette(
        "perimenopause_is_not_premenopause",
        benign(menopause="peri"),
        S,
        words=("book a check",),
        sources=("S6",),
        rules=("N6",),
    ),
]


def words_of(assessment: Assessment, content: LocaleContent) -> str:
    rendered = render(assessment, content)
    return " ".join([*rendered["advice"], *rendered["safety_net"]]).lower()


@pytest.mark.parametrize("vignette", VIGNETTES, ids=[v.name for v in VIGNETTES])
def test_vignette(vignette: Vignette, knowledge: Knowledge, en_us: LocaleContent) -> None:
    assessment = assess(vignette.facts)
    assert assessment.level is vignette.level, assessment.rules
    for rule_id in vignette.rules:
        assert rule_id in assessment.rules
    text = words_of(assessment, en_us)
    for phrase in vignette.words:
        assert phrase.lower() in text, f"{phrase!r} not in {text!r}"
    for phrase in vignette.not_words:
        assert phrase.lower() not in text
    answered = {source.id for source in assessment.sources}
    for source_id in vignette.sources:
        assert source_id in knowledge.sources, f"{source_id} is not a known source"
        assert source_id in answered, f"{source_id} not among {sorted(answered)}"
    if assessment.level is Level.EMERGENCY:
        assert assessment.advice[0] == "call_emergency_now"
        assert assessment.safety_net == ()


def test_vignettes_cover_every_level_and_rule(knowledge: Knowledge) -> None:
    assert {v.level for v in VIGNETTES} == set(Level)
    named = {rule_id for v in VIGNETTES for rule_id in v.rules}
    assert {rule.id for rule in knowledge.rules} <= named
    for rule_id in [f"E{i}" for i in range(1, 8)] + [f"U{i}" for i in range(1, 7)]:
        assert rule_id in named
    assert len(VIGNETTES) >= 45


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
    assert "book a check with a doctor" in text
    assert "book a check if it happens again" in text
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


def test_the_typical_report_reaches_an_answer_within_four_questions(knowledge: Knowledge) -> None:
    facts: dict[str, Any] = {"cycle_timing": "near_period"}
    asked = []
    while (question := next_question(facts)) is not None:
        asked.append(question)
        assert len(asked) <= 4, asked
        facts[question] = reassuring_answer(knowledge, question)
    assert asked[0] == "warning_signs"
    assessment = assess(facts)
    assert assessment.level is Level.SELF_CARE
    assert assessment.rules == ("C1",)


@pytest.mark.parametrize(
    "facts",
    [
        {"dizzy_or_fainted": True},
        {"soaks_pad_within_hour": True},
        {"pregnant": "possible", "pain_site": "one_sided"},
        {"consent": "no", "safe_now": False},
        {"fever": True, "pain": "mild"},
        {"fever": True, "pain": "unknown"},
    ],
    ids=["dizzy", "soaking", "ectopic_signs", "not_safe", "fever_and_pain", "fever_unsure_pain"],
)
def test_no_question_after_an_emergency(facts: dict[str, Any]) -> None:
    assert assess(facts).level is Level.EMERGENCY
    assert next_question(facts) is None


def test_fever_then_yes_to_the_warning_signs_asks_each_red_flag() -> None:
    # "I bled after sex and I have a fever", then "yes" to the grouped warning-signs question.
    # Fever with pain not yet ruled out is provisionally an emergency (E5), so the red flags are
    # asked one by one; ruled out, the answer is urgent for the fever (U3), not 911.
    facts: dict[str, Any] = {"fever": True, "warning_signs": True}
    assert assess(facts).level is Level.EMERGENCY
    answers = {"dizzy_or_fainted": False, "amount": "light", "pain": "none"}
    asked = []
    while (question := next_question(facts)) in answers:
        asked.append(question)
        facts[question] = answers[question]
    assert asked == ["dizzy_or_fainted", "amount", "pain"]
    assessment = assess(facts)
    assert assessment.level is Level.URGENT
    assert "U3" in assessment.rules
    # "I don't know" to the pain question keeps it an emergency, and ends the questions.
    unsure = {**facts, "pain": "unknown"}
    assert assess(unsure).level is Level.EMERGENCY
    assert next_question(unsure) is None


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
