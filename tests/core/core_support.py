"""Pieces several core test modules share: fact value strategies, the benign baseline, and the
words of an answer."""

from __future__ import annotations

from hypothesis import strategies as st

from skill.core import Assessment, FactValue, LocaleContent, default_knowledge, render
from skill.core.model import FactSpec

FACTS = default_knowledge().facts


def values_of(spec: FactSpec) -> st.SearchStrategy[FactValue]:
    """Every value a fact can take: its ordered values, or whole numbers in its range."""
    if spec.is_number:
        assert spec.minimum is not None and spec.maximum is not None
        return st.integers(spec.minimum, spec.maximum)
    return st.sampled_from(spec.values)


VALUES = {name: values_of(spec) for name, spec in FACTS.items()}

# A single light premenopausal episode with every red flag answered "no" (brief C1), to which a
# test adds or changes one thing. C1 needs every one of its conditions known: the bleeding has
# stopped, and "no" to the grouped question (no unusual discharge, no new partner or infection
# risk, cervical screening not overdue).
BENIGN: dict[str, FactValue] = {
    "age": 24,
    "cycle_timing": "near_period",
    "frequency": "first_time",
    "amount": "spotting",
    "still_bleeding": False,
    "pain": "none",
    "pregnant": "no",
    "consent": "yes",
    "fever": False,
    "dizzy_or_fainted": False,
    "discharge_partner_or_screening": False,
}


def words_of(assessment: Assessment, content: LocaleContent) -> str:
    """The rendered advice and safety net of an answer, as one lower-case text."""
    rendered = render(assessment, content)
    return " ".join([*rendered["advice"], *rendered["safety_net"]]).lower()
