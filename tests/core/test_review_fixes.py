"""Cases an independent review found the question flow could get wrong (now fixed)."""

from __future__ import annotations

from skill.core import Level, assess, next_question


def test_a_yes_to_could_you_be_expecting_with_moderate_bleeding_is_an_emergency() -> None:
    # "Could you be expecting?" - "yes" gives "possible"; E4 must still fire (brief E4).
    facts = {"pregnant": "possible", "amount": "moderate", "warning_signs": True}
    assessment = assess(facts)
    assert assessment.level is Level.EMERGENCY
    assert "E4" in assessment.rules


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


def test_from_the_mid_forties_a_period_is_not_assumed_from_the_cycle() -> None:
    reassuring = {
        "cycle_timing": "near_period",
        "warning_signs": False,
        "pregnant": "no",
        "consent": "yes",
        "frequency": "first_time",
    }
    assert assess(reassuring).level is Level.SELF_CARE
    older = {**reassuring, "age": 60}
    assert assess(older).level is Level.SOON
    assert next_question(older) == "menopause"
    assert assess({**older, "menopause": "pre"}).level is Level.SELF_CARE
    assert assess({**older, "menopause": "post"}).level is Level.SOON
