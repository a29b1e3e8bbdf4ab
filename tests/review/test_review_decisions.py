"""The team's decisions where sources disagree live in rules.yaml (`decision:`), are checked at
load, and stand beside their rule in the pack."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from skill.core import KnowledgeError, load_knowledge
from skill.core.loader import CONTENT_DIR, KNOWLEDGE_DIR
from skill.review.check import parse_page
from skill.review.knowledge import decisions

# The rules docs/clinical-basis.md gives a decision for where the sources disagree.
DECIDED = ["E2", "E3", "E4", "E5", "E6", "U1", "C1"]


def test_the_rules_where_sources_disagree_carry_their_decision() -> None:
    found = decisions()
    assert set(DECIDED) <= set(found)
    assert "single hour" in found["E2"]
    assert "same day" in found["U1"]


def test_each_decision_is_shown_under_its_rule(pages: dict[str, str]) -> None:
    root = parse_page(pages["rules.html"])
    sections = {e.get("id"): e for e in root.iter() if e.get("id", "").startswith("rule-")}
    for rule_id, decision in decisions().items():
        text = " ".join(" ".join(sections[f"rule-{rule_id}"].itertext()).split())
        assert decision in text, rule_id


@pytest.mark.parametrize("bad", [["a list"], "", 3])
def test_a_decision_that_is_not_text_stops_start_up(tmp_path: Path, bad: object) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, knowledge)
    path = knowledge / "rules.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    next(rule for rule in data["rules"] if rule["id"] == "E2")["decision"] = bad
    path.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge, CONTENT_DIR)
    assert caught.value.entry == "E2"
    assert "'decision' must be a text" in str(caught.value)
