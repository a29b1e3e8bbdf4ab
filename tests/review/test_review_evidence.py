"""The evidence pages: vignettes with their expected and actual levels, held-out phrasing
coverage per locale, and the invariants with the tests that hold them."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest
import yaml

from skill.core import assess, available_locales, default_knowledge, merge_facts, validate_facts
from skill.review import ReviewError
from skill.review.evidence import (
    COVERAGE_COMMAND,
    coverage,
    invariants,
    missing_tests,
    vignettes,
)
from skill.review.paths import VIGNETTES_FILE
from skill.review.words import load_words

KNOWLEDGE = default_knowledge()
WORDS = load_words(KNOWLEDGE)
CHECK_MODEL_COVERAGE = importlib.util.find_spec("skill.simulator.coverage") is not None


def test_every_vignette_is_shown_with_the_level_the_core_gives_now() -> None:
    data = yaml.safe_load(VIGNETTES_FILE.read_text("utf-8"))
    rows = {row["name"]: row for row in vignettes(KNOWLEDGE, WORDS)}
    assert list(rows) == [v["name"] for v in data["vignettes"]]
    for raw in data["vignettes"]:
        facts = validate_facts(raw["facts"])
        if raw.get("on_benign_story"):
            facts = {**validate_facts(data["benign_story"]), **facts}
        if raw.get("later"):
            facts = merge_facts(facts, validate_facts(raw["later"]), KNOWLEDGE)
        row = rows[raw["name"]]
        assert row["actual"] == assess(facts).level.id
        assert row["expected"] == raw["level"]
        assert row["basis"] == raw["basis"]


def test_the_evidence_page_shows_each_vignette_and_its_basis(
    pages: dict[str, str], pack_data: dict[str, Any]
) -> None:
    page = pages["evidence.html"]
    for row in pack_data["vignettes"]:
        assert row["name"].replace("_", " ") in page
        for item in row["basis"]:
            anchor = f"source-{item}" if item in KNOWLEDGE.sources else f"rule-{item}"
            assert f"#{anchor}" in page


def test_a_vignette_with_an_unknown_fact_is_named(tmp_path: Path) -> None:
    path = tmp_path / "vignettes.yaml"
    path.write_text(
        yaml.safe_dump({"vignettes": [{"name": "odd", "facts": {"bleeding": True}}]}), "utf-8"
    )
    with pytest.raises(ReviewError, match="vignette odd: unknown fact 'bleeding'"):
        vignettes(KNOWLEDGE, WORDS, path)


def test_every_invariant_names_tests_that_exist() -> None:
    found = invariants()
    assert len(found) >= 15
    assert missing_tests(found) == []
    said = " ".join(entry["says"] for entry in found)
    assert "never lowers the level" in said and "red flag always wins" in said.lower()


def test_a_test_that_no_longer_exists_is_reported() -> None:
    entries = [
        {
            "says": "x",
            "tests": ["tests/core/test_properties.py::test_a_red_flag_wins_over_anything"],
        },
        {"says": "y", "tests": ["tests/core/test_properties.py::test_that_was_renamed"]},
        {"says": "z", "tests": ["tests/core/no_such_file.py::test_x", "tests/core/test_engine.py"]},
    ]
    assert missing_tests(entries) == [
        "tests/core/test_properties.py::test_that_was_renamed",
        "tests/core/no_such_file.py::test_x",
        "tests/core/test_engine.py",
    ]


def test_phrasings_are_counted_per_locale(tmp_path: Path) -> None:
    phrasings = [
        {"say": "i bled a little", "context": "first", "intent": "ReportIntent"},
        {"say": "a few drops", "context": "answer:amount", "intent": "AnswerIntent"},
    ]
    (tmp_path / "en-GB.yaml").write_text(
        yaml.safe_dump({"locale": "en-GB", "phrasings": phrasings}), "utf-8"
    )
    found = coverage(["en-GB", "en-US"], tmp_path)
    assert found["command"] == COVERAGE_COMMAND
    assert found["measured"] is CHECK_MODEL_COVERAGE
    assert found["locales"]["en-GB"]["phrasings"] == 2
    assert found["locales"]["en-US"]["phrasings"] == 0
    if not CHECK_MODEL_COVERAGE:
        assert found["locales"]["en-GB"]["share"] is None


def test_the_page_says_where_the_coverage_figure_comes_from(
    pages: dict[str, str], pack_data: dict[str, Any]
) -> None:
    page = pages["evidence.html"]
    assert COVERAGE_COMMAND in page
    assert set(pack_data["coverage"]["locales"]) == set(available_locales())
    if not pack_data["coverage"]["measured"]:
        assert "does not have yet" in page
