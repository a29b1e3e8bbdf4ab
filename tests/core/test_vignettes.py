"""Clinical vignettes: one short story each, written from the clinical basis
(docs/clinical-basis.md: the triage rules, their precedence and the safety net), with the level
the rules ask for, the words the person must hear, and the sources the answer rests on. A comment
names where each expectation comes from when it is not the rule itself.

A vignette checks:
- the level, exactly;
- that the rules it names fired (every E, U, N and C rule is named by at least one vignette);
- that the rendered advice and safety net (US English) contain each expected phrase;
- that each source id it names exists in the knowledge and is among the answer's sources.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from core_support import BENIGN, words_of

from skill.core import (
    Knowledge,
    Level,
    LocaleContent,
    assess,
    merge_facts,
)

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
            "still_bleeding": False,
            "pregnant": "no",
            "consent": "yes",
            "discharge_partner_or_screening": False,
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
        "very_high_temperature_with_mild_pain",  # E5: pain + very high fever or shivering
        {"high_fever_or_shivering": True, "pain": "mild", "pregnant": "no"},
        E,
        words=("911",),
        sources=("S17", "S25"),
        rules=("E5",),
    ),
    Vignette(
        "shivering_with_pain_of_unknown_severity",  # never lower than shivering with mild pain
        {"fever": True, "high_fever_or_shivering": True, "pain": "unknown", "pregnant": "no"},
        E,
        words=("911",),
        sources=("S17",),
        rules=("E5",),
    ),
    Vignette(
        "vomiting_cannot_keep_fluids_down",  # E5: vomiting, can't keep fluids down [S17][S25]
        {"vomiting": True},
        E,
        words=("911", "lie down"),
        sources=("S17", "S25"),
        rules=("E5",),
    ),
    Vignette(
        "possible_pregnancy_pain_there_severity_unknown",  # E3: unknown severity = severe
        {"pregnant": "possible", "pain": "unknown", "pain_site": "lower_abdomen"},
        E,
        words=("911",),
        sources=("S15", "S48"),
        rules=("E3",),
    ),
    Vignette(
        "pregnancy_confirmed_after_a_bare_yes_moderate_bleeding",  # E4: a known pregnancy
        {"pregnant": "possible", "pregnancy_confirmed": True, "amount": "moderate"},
        E,
        words=("911", "pads, not tampons"),
        sources=("S10", "S22"),
        rules=("E4",),
    ),
    Vignette(
        "moderate_still_flowing_after_non_consent",  # E6: after forceful sex or assault
        {"consent": "no", "safe_now": True, "amount": "moderate", "still_bleeding": True},
        E,
        words=("911", "not your fault", "800-656-4673"),
        sources=("S38", "S27", "H1"),
        rules=("E6", "U4"),
    ),
    Vignette(
        "rough_sex_said_both_ways_and_still_flowing",  # precedence 3: a contradiction is unknown
        merge_facts(
            {"rough_or_deep_sex": False},
            {"rough_or_deep_sex": True, "still_bleeding": True, "amount": "moderate"},
        ),
        E,
        words=("911",),
        sources=("S38",),
        rules=("E6",),
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
        "might_be_pregnant_no_test_yet",  # U2: a test today, not the pregnancy advice of U1
        {"pregnant": "possible", "pregnancy_confirmed": False, "warning_signs": False},
        U,
        words=("pregnancy test today", "call your doctor"),
        sources=("S27", "S12"),
        rules=("U2",),
        not_words=("pads, not tampons", "avoid sex until you have been checked"),
    ),
    Vignette(
        "knows_she_is_pregnant_after_a_bare_yes",  # U1 and its advice (brief 2.4, in pregnancy)
        {"pregnant": "possible", "pregnancy_confirmed": True, "warning_signs": False},
        U,
        words=("midwife", "pads, not tampons", "avoid sex until you have been checked"),
        sources=("S14", "S22", "S56"),
        rules=("U1",),
        not_words=("take a pregnancy test today",),
    ),
    Vignette(
        "possible_pregnancy_moderate_bleeding",  # E4 is a known pregnancy only: U2 + U5
        {
            "pregnant": "possible",
            "amount": "moderate",
            "pain": "none",
            "fever": False,
            "dizzy_or_fainted": False,
        },
        U,
        words=("pregnancy test today", "keep count of the pads"),
        sources=("S27", "S26"),
        rules=("U2", "U5"),
    ),
    Vignette(
        "late_period_moderate_bleeding",  # the review's fact set: U2 + U5, not 911
        {"period_late": True, "amount": "moderate"},
        U,
        words=("pregnancy test today",),
        sources=("S27", "S26"),
        rules=("U2", "U5"),
    ),
    Vignette(
        "not_sure_if_pregnant_not_sure_if_pain",  # U6: no E-feature confirmed (issue 11, E3)
        {"pregnant": "unknown", "pain": "unknown"},
        U,
        words=("could not be ruled out", "call 911 at once", "pregnancy test today"),
        sources=("S26", "S27"),
        rules=("U6", "U2"),
    ),
    Vignette(
        "not_sure_if_pregnant_not_sure_if_pain_light_bleeding",  # the review's fact set: U6
        {
            "pregnant": "unknown",
            "pain": "unknown",
            "amount": "light",
            "dizzy_or_fainted": False,
            "fever": False,
        },
        U,
        words=("could not be ruled out",),
        sources=("S26",),
        rules=("U6", "U2"),
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
        "fever_with_mild_pain",  # U3, not E5: the temperature is not very high, no shivering
        {"fever": True, "pain": "mild", "high_fever_or_shivering": False, "vomiting": False},
        U,
        words=("infection", "call your doctor", "911"),
        sources=("S17", "S25"),
        rules=("U3",),
    ),
    Vignette(
        "fever_with_mild_pain_only_during_sex",  # the review's fact set: U3, not 911
        {
            "fever": True,
            "pain": "mild",
            "pain_site": "during_sex",
            "pregnant": "no",
            "amount": "spotting",
            "dizzy_or_fainted": False,
        },
        U,
        words=("infection",),
        sources=("S17",),
        rules=("U3",),
    ),
    Vignette(
        "fever_with_pain_of_unknown_severity",  # U3, and U6 reads the emergency signs aloud
        {"fever": True, "pain": "unknown", "pregnant": "no"},
        U,
        words=("infection", "could not be ruled out", "call 911 at once"),
        sources=("S17", "S26"),
        rules=("U3", "U6"),
    ),
    Vignette(
        "very_high_temperature_without_pain",  # a very high temperature is a fever: U3
        {"high_fever_or_shivering": True, "pain": "none", "warning_signs": True},
        U,
        words=("infection",),
        sources=("S17",),
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
            "up to 5 days",
            "copper iud can be fitted within 5 days",
            "evidence is best collected within about 3 days",
            "emergency department",
            "sexual assault nurse examiners",
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
        "still_bleeding_for_more_than_a_day",  # U5: continuing > 24 h
        benign(still_bleeding=True, bleeding_over_a_day=True),
        U,
        words=("call your doctor", "keep count of the pads"),
        sources=("S26", "S49"),
        rules=("U5",),
    ),
    Vignette(
        "still_bleeding_moderately_without_rough_sex",  # the review's fact set: U5, not E6
        {
            "still_bleeding": True,
            "amount": "moderate",
            "rough_or_deep_sex": False,
            "consent": "yes",
            "pregnant": "no",
            "pain": "none",
            "fever": False,
            "dizzy_or_fainted": False,
        },
        U,
        words=("call your doctor",),
        sources=("S26", "S27"),
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
        "still_spotting_for_less_than_a_day",  # not U5 (brief: > 24 h); not C1 (not stopped)
        benign(still_bleeding=True, bleeding_over_a_day=False),
        S,
        words=("book a check with a doctor",),
        sources=("S12",),
        rules=("N6",),
        not_words=("book a check if it happens again",),
    ),
    Vignette(
        "not_sure_it_has_stopped",  # C1 needs "stopped" known
        benign(still_bleeding="unknown"),
        S,
        words=("book a check",),
        sources=("S12",),
        rules=("N6",),
    ),
    Vignette(
        "benign_story_before_the_grouped_question",  # C1: discharge, partner, screening unknown
        {
            "warning_signs": False,
            "still_bleeding": False,
            "pregnant": "no",
            "consent": "yes",
            "frequency": "first_time",
            "cycle_timing": "near_period",
        },
        S,
        words=("book a check",),
        sources=("S12",),
        rules=("N6",),
    ),
    Vignette(
        "yes_to_the_grouped_question",  # N7: one of discharge, new partner, overdue screening
        benign(discharge_partner_or_screening=True),
        S,
        words=("sexually transmitted infections", "cervical screening"),
        sources=("S24", "S12", "S13"),
        rules=("N7",),
    ),
    Vignette(
        "not_sure_to_the_grouped_question",  # "unknown" never reads as the harmless answer
        benign(discharge_partner_or_screening="unknown"),
        S,
        words=("sexually transmitted infections",),
        sources=("S12",),
        rules=("N7",),
    ),
    Vignette(
        "46yo_not_sure_if_periods_stopped",  # N1 fires, but nobody hears "after menopause..."
        benign(age=46, menopause="unknown"),
        S,
        words=("if your periods have stopped for a year or more",),
        sources=("S16",),
        rules=("N1",),
        not_words=("bleeding after menopause should always be checked",),
    ),
    Vignette(
        "58yo_not_sure_if_periods_stopped",  # the review's age; pregnancy is not asked past 55
        {"age": 58, "warning_signs": False, "consent": "yes", "frequency": "recurrent"},
        S,
        words=("if your periods have stopped for a year or more", "keeps happening"),
        sources=("S16", "S12"),
        rules=("N1", "N2"),
        not_words=("bleeding after menopause should always be checked", "pregnancy test"),
    ),
    Vignette(
        "screening_not_known",  # N4 unsure: ask whether it is due, do not say it is overdue
        {
            **benign(),
            "discharge_partner_or_screening": "unknown",
            "screening_up_to_date": "unknown",
        },
        S,
        words=("whether your cervical screening",),
        sources=("S13",),
        rules=("N4", "N7"),
        not_words=("is due: book it",),
    ),
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
        not_words=("if your periods have stopped",),
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
    assert len(VIGNETTES) >= 70
