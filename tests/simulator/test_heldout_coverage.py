"""The held-out phrasings (tests/nlu/<locale>.yaml) are understood with all their facts: en-US
at 90% or more, every other locale at 85% or more (issue: people's own words). The phrasings are
written apart from the templates and never pasted into them; `check-model --coverage` lists the
misses."""

from __future__ import annotations

import pytest

from skill.simulator.coverage import share

FLOOR = {"en-US": 0.90, "en-GB": 0.85, "en-CA": 0.85, "en-AU": 0.85, "en-IN": 0.85, "es-US": 0.85}


@pytest.mark.parametrize(("locale", "floor"), sorted(FLOOR.items()))
def test_held_out_phrasings_are_understood(locale: str, floor: float) -> None:
    assert share(locale) >= floor
