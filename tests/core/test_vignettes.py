"""Clinical vignettes, kept as data in tests/core/vignettes.yaml (its header says what a vignette
holds): this module checks the file and runs one test per vignette.

A malformed vignette fails its own test with the file and the vignette named; the others still run.
A vignette checks the level exactly, that the rules it names fired, that the rendered advice and
safety net (US English) hold each phrase of `words` and none of `not_words`, and that each source
it names is known and among the answer's sources.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from core_support import BENIGN, words_of

from skill.core import (
    FactError,
    FactValue,
    Knowledge,
    Level,
    LocaleContent,
    assess,
    default_knowledge,
    merge_facts,
    validate_facts,
)

FILE = Path(__file__).with_name("vignettes.yaml")
REQUIRED = ("name", "story", "facts", "level", "rules", "sources", "basis")
OPTIONAL = ("on_benign_story", "later", "words", "not_words", "note")
MINIMUM = 72  # the vignettes when they moved here from Python: none may be lost


class VignetteError(ValueError):
    """A vignette that cannot be run; the message names the file and the vignette."""


@dataclass(frozen=True)
class Vignette:
    name: str
    story: str
    facts: dict[str, FactValue]
    level: Level
    rules: tuple[str, ...]
    words: tuple[str, ...]
    not_words: tuple[str, ...]
    sources: tuple[str, ...]
    basis: tuple[str, ...]


def _texts(entry: dict[str, Any], key: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"{key}: must be a list of non-empty texts")
    return tuple(value)


def _facts(entry: dict[str, Any], key: str, knowledge: Knowledge) -> dict[str, FactValue]:
    try:
        return validate_facts(entry.get(key, {}), knowledge)
    except FactError as error:
        raise ValueError(f"{key}: {error}") from None


def parse(entry: dict[str, Any], knowledge: Knowledge) -> Vignette:
    """One vignette from its YAML mapping; ValueError says what is wrong with it."""
    if missing := [key for key in REQUIRED if key not in entry]:
        raise ValueError(f"missing {', '.join(missing)}")
    if unknown := sorted(set(entry) - {*REQUIRED, *OPTIONAL}):
        raise ValueError(f"unknown field {', '.join(unknown)}")
    if not re.fullmatch(r"[a-z0-9_]+", str(entry["name"])):
        raise ValueError("name: must be snake_case")
    for key in ("story", "note"):
        text = entry.get(key, "x")
        if not isinstance(text, str) or not text.strip() or "\n" in text.strip():
            raise ValueError(f"{key}: must be one line of text")
    facts = _facts(entry, "facts", knowledge)
    if entry.get("on_benign_story", False) is True:
        facts = {**BENIGN, **facts}
    elif entry.get("on_benign_story", False) is not False:
        raise ValueError("on_benign_story: must be true or false")
    if "later" in entry:
        facts = merge_facts(facts, _facts(entry, "later", knowledge), knowledge)
    levels = [level.id for level in Level]
    if entry["level"] not in levels:
        raise ValueError(f"level: {entry['level']!r} is not one of {', '.join(levels)}")
    rule_ids, source_ids = {rule.id for rule in knowledge.rules}, set(knowledge.sources)
    rules, sources, basis = (_texts(entry, key) for key in ("rules", "sources", "basis"))
    if not rules or not set(rules) <= rule_ids:
        raise ValueError(f"rules: needs ids of skill/knowledge/rules.yaml, not {list(rules)}")
    if not set(sources) <= source_ids:
        raise ValueError(f"sources: needs ids of skill/knowledge/sources.yaml, not {list(sources)}")
    if not basis or not set(basis) <= rule_ids | source_ids:
        raise ValueError(f"basis: needs rule or source ids, not {list(basis)}")
    return Vignette(
        name=entry["name"],
        story=entry["story"].strip(),
        facts=facts,
        level=Level.from_id(entry["level"]),
        rules=rules,
        words=_texts(entry, "words"),
        not_words=_texts(entry, "not_words"),
        sources=sources,
        basis=basis,
    )


def load(path: Path, knowledge: Knowledge) -> list[tuple[str, Vignette | VignetteError]]:
    """(test id, vignette or what is wrong with it) for each entry of the file, in file order."""
    where = path.relative_to(FILE.parents[2]) if path.is_relative_to(FILE.parents[2]) else path
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
        entries = data["vignettes"]
        if not isinstance(entries, list):
            raise TypeError("`vignettes` must be a list")
    except (OSError, yaml.YAMLError, TypeError, KeyError) as error:
        return [(path.name, VignetteError(f"{where}: cannot be read: {error}"))]
    loaded: list[tuple[str, Vignette | VignetteError]] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, 1):
        name = entry.get("name") if isinstance(entry, dict) else None
        label = name if isinstance(name, str) and name else f"#{number}"
        test_id = label if label not in seen else f"{label}#{number}"
        try:
            if not isinstance(entry, dict):
                raise ValueError("must be a mapping of fields")
            if label in seen:
                raise ValueError("a second vignette of this name")
            loaded.append((test_id, parse(entry, knowledge)))
        except ValueError as error:
            loaded.append((test_id, VignetteError(f"{where}: vignette {label}: {error}")))
        seen.add(label)
    return loaded


LOADED = load(FILE, default_knowledge())


@pytest.mark.parametrize("vignette", [v for _, v in LOADED], ids=[i for i, _ in LOADED])
def test_vignette(
    vignette: Vignette | VignetteError, knowledge: Knowledge, en_us: LocaleContent
) -> None:
    if isinstance(vignette, VignetteError):
        pytest.fail(str(vignette), pytrace=False)
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
        assert source_id in answered, f"{source_id} not among {sorted(answered)}"
    if assessment.level is Level.EMERGENCY:
        assert assessment.advice[0] == "call_emergency_now"
        assert assessment.safety_net == ()


def test_vignettes_cover_every_level_and_rule(knowledge: Knowledge) -> None:
    vignettes = [v for _, v in LOADED if isinstance(v, Vignette)]
    assert len(vignettes) >= MINIMUM, f"{len(vignettes)} vignettes run, at least {MINIMUM} expected"
    assert {v.level for v in vignettes} == set(Level)
    named = {rule_id for v in vignettes for rule_id in v.rules}
    assert {rule.id for rule in knowledge.rules} <= named


MALFORMED = [
    ({"facts": {"pregnant": False}}, "facts: fact 'pregnant' has no value false"),  # pregnant: no
    ({"later": {"bleeding": True}}, "later: unknown fact 'bleeding'"),
    ({"level": "serious"}, "level: 'serious' is not one of"),
    ({"level": ["urgent"]}, "level: ['urgent'] is not one of"),
    ({"rules": ["E1", "E9"]}, "rules: needs ids of skill/knowledge/rules.yaml, not ['E1', 'E9']"),
    ({"rules": []}, "rules: needs ids of skill/knowledge/rules.yaml, not []"),
    ({"sources": ["S0"]}, "sources: needs ids of skill/knowledge/sources.yaml, not ['S0']"),
    ({"basis": []}, "basis: needs rule or source ids, not []"),
    ({"words": "911"}, "words: must be a list of non-empty texts"),
    ({"story": "Two\nlines."}, "story: must be one line"),
    ({"colour": "red"}, "unknown field colour"),
]


@pytest.mark.parametrize(("change", "message"), MALFORMED, ids=[m for _, m in MALFORMED])
def test_a_malformed_vignette_fails_naming_the_file_and_the_vignette(
    change: dict[str, Any], message: str, tmp_path: Path, knowledge: Knowledge
) -> None:
    good = {"name": "good", "story": "Dizzy.", "facts": {"dizzy_or_fainted": True}}
    good |= {"level": "emergency", "rules": ["E1"], "sources": ["S27"], "basis": ["E1"]}
    bad = {**good, "name": "broken", **change}
    path = tmp_path / "vignettes.yaml"
    path.write_text(yaml.safe_dump({"vignettes": [good, bad]}), "utf-8")
    (_, first), (test_id, second) = load(path, knowledge)
    assert isinstance(first, Vignette)
    assert test_id == "broken"
    assert isinstance(second, VignetteError)
    assert str(second).startswith(f"{path}: vignette broken: ")
    assert message in str(second)


def test_an_unreadable_file_or_a_nameless_vignette_is_named(
    tmp_path: Path, knowledge: Knowledge
) -> None:
    path = tmp_path / "vignettes.yaml"
    path.write_text("vignettes: [", "utf-8")
    ((_, error),) = load(path, knowledge)
    assert isinstance(error, VignetteError) and str(error).startswith(f"{path}: cannot be read")
    path.write_text("vignettes:\n  - {story: nameless}\n", "utf-8")
    ((test_id, error),) = load(path, knowledge)
    assert test_id == "#1"
    assert str(error) == f"{path}: vignette #1: missing name, facts, level, rules, sources, basis"
