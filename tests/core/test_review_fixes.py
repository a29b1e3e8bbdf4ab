"""Cases the independent clinical review found the rules or the question flow got wrong (now fixed
as table B of the clinical brief says; docs/clinical-basis.md explains each)."""

from __future__ import annotations

from skill.core import Level, assess, next_question


def test_a_possible_pregnancy_with_moderate_bleeding_is_urgent_not_911() -> None:
    # E4 is a known pregnancy only; a possible one with moderate bleeding is U2 + U5.
    facts = {"pregnant": "possible", "amount": "moderate", "warning_signs": True}
    assessment = assess(facts)
    assert assessment.level is Level.URGENT
    assert {"U2", "U5"} <= set(assessment.rules)
    assert "E4" not in assessment.rules
    assert assess({**facts, "pregnancy_confirmed": True}).level is Level.EMERGENCY


def test_where_the_pain_is_is_asked_when_a_pregnancy_is_possible() -> None:
    facts = {
        "warning_signs": True,
        "dizzy_or_fainted": False,
        "amount": "light",
        "pain": "mild",
        "pregnant": "possible",
    }
    assert next_question(facts) == "pain_site"
    assert assess({**facts, "pain_site": "one_sided"}).level is Level.EMERGENCY  # E3


def test_where_the_pain_is_is_not_asked_without_pain() -> None:
    facts = {"warning_signs": False, "pregnant": "possible"}
    assert next_question(facts) != "pain_site"


def test_from_55_a_period_is_not_assumed_from_the_cycle() -> None:
    reassuring = {
        "cycle_timing": "near_period",
        "warning_signs": False,
        "still_bleeding": False,
        "pregnant": "no",
        "consent": "yes",
        "frequency": "first_time",
        "discharge_partner_or_screening": False,
    }
    assert assess(reassuring).level is Level.SELF_CARE
    older = {**reassuring, "age": 60}
    assert assess(older).level is Level.SOON
    assert next_question(older) == "menopause"
    assert assess({**older, "menopause": "pre"}).level is Level.SELF_CARE
    assert assess({**older, "menopause": "post"}).level is Level.SOON
    # From 45 to 54, a period near the time of the bleeding answers it (periods still come).
    assert assess({**reassuring, "age": 48}).level is Level.SELF_CARE


def test_nobody_hears_after_menopause_advice_without_having_said_so() -> None:
    for facts in (
        {"age": 46, "menopause": "unknown"},
        {"age": 60},
        {"age": 50, "frequency": "recurrent"},
    ):
        assert "postmenopause_check" not in assess(facts).advice, facts
    assert "postmenopause_check" in assess({"menopause": "post"}).advice
