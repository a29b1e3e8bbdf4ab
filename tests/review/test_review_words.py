"""Plain words for facts, values and conditions (skill/review/words.yaml): complete, or the pack
refuses to build naming what is missing."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from skill.core import default_knowledge
from skill.review import ReviewError
from skill.review.words import WORDS_FILE, load_words

KNOWLEDGE = default_knowledge()


def test_every_fact_and_value_has_words() -> None:
    words = load_words(KNOWLEDGE)
    for name, spec in KNOWLEDGE.facts.items():
        assert words.fact(name) and words.meaning(name)
        if not spec.is_number:
            assert len(words.values(name)) == len(spec.values)


def test_conditions_read_in_plain_words() -> None:
    words = load_words(KNOWLEDGE)
    rules = {rule.id: rule for rule in KNOWLEDGE.rules}
    said = {rule_id: words.condition(rule.when) for rule_id, rule in rules.items() if rule.when}
    assert said["E1"] == "dizzy or fainted: yes"
    assert said["U4"] == "wanted (consent): not sure or no"
    assert said["E5"].startswith("pain: severe, or (very high temperature or shivering: yes, and")
    assert "age" not in said["C1"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["facts"].pop("vomiting"), "facts.vomiting: no label for this fact"),
        (lambda d: d["facts"]["amount"]["values"].pop("heavy"), "facts.amount.values.heavy"),
        (lambda d: d["facts"].update(bleeding={"label": "x"}), "facts.bleeding: no such fact"),
        (lambda d: d["levels"].pop("urgent"), "levels.urgent: needs a text"),
    ],
)
def test_a_missing_label_stops_the_pack_naming_it(
    tmp_path: Path, change: object, message: str
) -> None:
    data = yaml.safe_load(WORDS_FILE.read_text("utf-8"))
    change(data)  # type: ignore[operator]
    path = tmp_path / "words.yaml"
    path.write_text(yaml.safe_dump(data), "utf-8")
    with pytest.raises(ReviewError, match=message.replace(".", r"\.")):
        load_words(KNOWLEDGE, path)
