"""The core's fast paths decide exactly as the plain ones do.

- compiled conditions, the plan per knowledge, the early exit at emergency and the remembered
  answers of assess() and next_question(), against an unoptimised reference kept here (the
  engine as it was: the condition tree walked on every test, every answer to every open question
  tried);
- remembered answers never cross from one Knowledge to another;
- YAML read with libyaml or the pure-Python parser, and from a data snapshot (the Lambda bundle's
  skill/data_snapshot.json), gives the same knowledge and words.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from core_support import BENIGN, VALUES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skill.core import (
    UNKNOWN,
    Assessment,
    CauseMatch,
    Knowledge,
    KnowledgeError,
    Level,
    assess,
    available_locales,
    default_knowledge,
    engine,
    load_content,
    load_knowledge,
    loader,
    next_question,
    validate_facts,
)
from skill.core.conditions import evaluate
from skill.core.engine import more_cautious
from skill.core.model import Condition, FactValue, LocalePolicy, Question, Rule, Truth

ROOT = Path(__file__).resolve().parents[2]
KNOWLEDGE = default_knowledge()
FACTS = KNOWLEDGE.facts
LOCALES = [None, *available_locales()]

SETTINGS = settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


# --- the reference: the engine before the fast paths, unchanged in every decision ----------------


def ref_evaluate(condition: Condition, facts: Mapping[str, FactValue]) -> Truth:
    if condition.op == "leaf":
        if condition.fact not in facts:
            return Truth.FALSE
        value = facts[condition.fact]
        if condition.minimum is not None:
            return Truth.TRUE if int(value) >= condition.minimum else Truth.FALSE
        if value in condition.values:
            return Truth.TRUE
        return Truth.MAYBE if value == UNKNOWN else Truth.FALSE
    results = [ref_evaluate(child, facts) for child in condition.children]
    return min(results) if condition.op == "all" else max(results)


def ref_derive(
    facts: Mapping[str, FactValue], knowledge: Knowledge
) -> tuple[dict[str, FactValue], set[str]]:
    working = dict(facts)
    settled: set[str] = set()
    for _ in range(len(knowledge.implications) + 1):
        changed = False
        for implication in knowledge.implications:
            if ref_evaluate(implication.when, working) is not Truth.TRUE:
                continue
            for name, value in implication.fill.items():
                if name not in working:
                    working[name] = value
                    changed = True
                if implication.settles and working[name] == value:
                    settled.add(name)
            for name, value in implication.raise_to.items():
                spec = knowledge.facts[name]
                new = value if name not in working else more_cautious(spec, working[name], value)
                if working.get(name) != new or name not in working:
                    working[name] = new
                    changed = True
                if implication.settles:
                    settled.add(name)
        if not changed:
            break
    return working, settled


def ref_fired_rules(
    facts: Mapping[str, FactValue], knowledge: Knowledge, locale: str | None
) -> tuple[Level, list[Rule]]:
    level, fired, _unsure = ref_fired_rules_unsure(facts, knowledge, locale)
    return level, fired


def ref_fired_rules_unsure(
    facts: Mapping[str, FactValue], knowledge: Knowledge, locale: str | None
) -> tuple[Level, list[Rule], set[str]]:
    fired: list[Rule] = []
    uncertain: list[Rule] = []
    benign: list[Rule] = []
    unsure: set[str] = set()
    default_rule = next((rule for rule in knowledge.rules if rule.kind == "default"), None)
    uncertain_rule = next((rule for rule in knowledge.rules if rule.kind == "uncertain"), None)
    for rule in knowledge.rules:
        if rule.when is not None:
            truth = ref_evaluate(rule.when, facts)
            if rule.kind == "benign":
                if truth is Truth.TRUE:
                    benign.append(rule)
            elif truth is Truth.TRUE:
                fired.append(rule)
            elif truth is Truth.MAYBE:
                if uncertain_rule is not None and rule.level >= uncertain_rule.level:
                    uncertain.append(rule)
                else:
                    fired.append(rule)
                    unsure.add(rule.id)
    if uncertain_rule is not None and any(
        rule.level is Level.EMERGENCY or not any(o.level >= rule.level for o in fired)
        for rule in uncertain
    ):
        fired.append(uncertain_rule)
    defaults = [default_rule] if default_rule is not None else []
    if not fired:
        if benign:
            policy = knowledge.policies.get(locale or "")
            floor = max(benign[0].level, policy.benign_level if policy else Level.SELF_CARE)
            return floor, benign if floor is Level.SELF_CARE else [*benign, *defaults], set()
        fired = defaults
    level = max(rule.level for rule in fired)
    fired.sort(key=lambda rule: -rule.level)
    return level, fired, unsure


def ref_assess(facts: Mapping[str, Any], knowledge: Knowledge, locale: str | None) -> Assessment:
    effective, _ = ref_derive(validate_facts(facts, knowledge), knowledge)
    level, fired, unsure = ref_fired_rules_unsure(effective, knowledge, locale)
    if level is Level.EMERGENCY:
        fired = [rule for rule in fired if rule.level is Level.EMERGENCY or rule.keep_in_emergency]
    named = {cause_id for rule in fired for cause_id in rule.causes}
    scored = []
    for position, cause in enumerate(knowledge.causes.values()):
        if cause.unless is not None and ref_evaluate(cause.unless, effective) is Truth.TRUE:
            continue
        why = tuple(p.id for p in cause.points_to if ref_evaluate(p.when, effective) is Truth.TRUE)
        if not why and cause.id not in named:
            continue
        score = len(why) + (1 if cause.id in named else 0)
        scored.append((-score, position, CauseMatch(cause.id, why)))
    causes = tuple(match for _, _, match in sorted(scored, key=lambda item: item[:2]))
    wanted = {
        advice_id
        for rule in fired
        for advice_id in (
            rule.advice_if_unsure
            if rule.id in unsure and rule.advice_if_unsure is not None
            else rule.advice
        )
    }
    advice = tuple(item for item in knowledge.advice if item in wanted)
    safety_net = tuple(
        item.id
        for item in knowledge.safety_net
        if level < item.escalates_to
        and (item.when is None or ref_evaluate(item.when, effective) is Truth.TRUE)
    )
    source_ids = [s for rule in fired for s in rule.sources]
    source_ids += [s for advice_id in advice for s in knowledge.advice[advice_id].sources]
    source_ids += [
        s for item in knowledge.safety_net if item.id in safety_net for s in item.sources
    ]
    source_ids += [s for cause in causes for s in knowledge.causes[cause.id].sources]
    policy = knowledge.policies.get(locale or "")
    region = policy.region if policy is not None else None
    shown = [s for rule in fired if rule.id not in unsure for s in rule.show]
    shown += [s for advice_id in advice for s in knowledge.advice[advice_id].show]
    reading = [
        knowledge.sources[s]
        for s in dict.fromkeys(shown)
        if knowledge.sources[s].canonical
        and knowledge.sources[s].kind != "helpline"
        and knowledge.sources[s].region in (None, region)
    ]
    return Assessment(
        level=level,
        rules=tuple(rule.id for rule in fired),
        causes=causes,
        advice=advice,
        safety_net=safety_net,
        sources=tuple(knowledge.sources[s] for s in dict.fromkeys(source_ids)),
        facts=effective,
        further_reading=tuple(reading[:3]),
    )


def ref_outcome(
    facts: Mapping[str, FactValue], knowledge: Knowledge, locale: str | None
) -> tuple[Level, frozenset[str]]:
    effective, _ = ref_derive(facts, knowledge)
    level, fired = ref_fired_rules(effective, knowledge, locale)
    if level is Level.EMERGENCY:
        return level, frozenset()
    return level, frozenset(rule.id for rule in fired if rule.material)


def ref_implied_by(knowledge: Knowledge) -> dict[str, frozenset[str]]:
    implied: dict[str, set[str]] = {}
    for implication in knowledge.implications:
        targets = set(implication.fill) | set(implication.raise_to)
        for leaf in implication.when.leaves():
            implied.setdefault(leaf.fact, set()).update(targets)
    return {fact: frozenset(targets) for fact, targets in implied.items()}


def ref_open_questions(facts: Mapping[str, FactValue], knowledge: Knowledge) -> list[Question]:
    _effective, settled = ref_derive(facts, knowledge)
    return [q for q in knowledge.questions if q.id not in facts and q.id not in settled]


def ref_next_question(
    facts: Mapping[str, Any], knowledge: Knowledge, locale: str | None
) -> str | None:
    given_facts = validate_facts(facts, knowledge)
    candidates = ref_open_questions(given_facts, knowledge)
    effective, _ = ref_derive(given_facts, knowledge)
    askable = [
        question
        for question in candidates
        if question.ask_when is None or ref_evaluate(question.ask_when, effective) is Truth.TRUE
    ]
    early = {
        question.id
        for question in askable
        if question.early_when is not None
        and ref_evaluate(question.early_when, effective) is Truth.TRUE
    }
    position = {question.id: index for index, question in enumerate(knowledge.questions)}

    def place(question: Question) -> float:
        if question.id in early and question.early_before is not None:
            return position[question.early_before] - 0.5
        return position[question.id]

    emergency = ref_fired_rules(effective, knowledge, locale)[0] is Level.EMERGENCY
    for question in sorted(askable, key=place):
        if question.id in early and not emergency:
            return question.id
        decided = ref_implied_by(knowledge).get(question.id, frozenset())
        others = {
            other.id: knowledge.facts[other.id].harmless
            for other in askable
            if other.id != question.id and other.id not in decided
        }
        outcomes = {
            ref_outcome({**others, **given_facts, question.id: answer}, knowledge, locale)
            for answer in knowledge.facts[question.id].values
        }
        if len(outcomes) > 1:
            return question.id
    return None


# --- random facts, as in test_properties, and some that lean towards an emergency ---------------


@st.composite
def few_facts(draw: st.DrawFn) -> dict[str, FactValue]:
    names = draw(st.lists(st.sampled_from(sorted(FACTS)), max_size=6, unique=True))
    return {name: draw(VALUES[name], label=name) for name in names}


# The worst or "unknown" value of a red-flag fact: emergencies, provisional ones included.
SERIOUS: dict[str, st.SearchStrategy[FactValue]] = {
    name: st.sampled_from([spec.values[-1], UNKNOWN])
    for name, spec in FACTS.items()
    if not spec.is_number and UNKNOWN in spec.values
}


@st.composite
def serious_facts(draw: st.DrawFn) -> dict[str, FactValue]:
    facts = draw(few_facts())
    names = draw(st.lists(st.sampled_from(sorted(SERIOUS)), min_size=1, max_size=3, unique=True))
    facts.update({name: draw(SERIOUS[name], label=name) for name in names})
    return facts


fact_dicts: st.SearchStrategy[dict[str, FactValue]] = st.one_of(
    few_facts(), serious_facts(), st.fixed_dictionaries({}, optional=VALUES)
)


def conditions_of(knowledge: Knowledge) -> Iterator[Condition]:
    tops: list[Condition | None] = [rule.when for rule in knowledge.rules]
    tops += [implication.when for implication in knowledge.implications]
    tops += [item.when for item in knowledge.safety_net]
    tops += [question.ask_when for question in knowledge.questions]
    for cause in knowledge.causes.values():
        tops += [cause.unless, *(pointer.when for pointer in cause.points_to)]
    for top in tops:
        if top is not None:
            yield from _walk(top)


def _walk(condition: Condition) -> Iterator[Condition]:
    yield condition
    for child in condition.children:
        yield from _walk(child)


@SETTINGS
@given(facts=fact_dicts)
def test_compiled_conditions_read_facts_as_the_tree_does(facts: dict[str, FactValue]) -> None:
    effective, _ = ref_derive(facts, KNOWLEDGE)
    for condition in conditions_of(KNOWLEDGE):
        for some in (facts, effective):
            assert evaluate(condition, some) is ref_evaluate(condition, some), condition


@SETTINGS
@given(facts=fact_dicts, locale=st.sampled_from(LOCALES))
def test_next_question_asks_what_the_reference_asks(
    facts: dict[str, FactValue], locale: str | None
) -> None:
    expected = ref_next_question(facts, KNOWLEDGE, locale)
    assert next_question(facts, locale=locale) == expected  # computed, or remembered
    assert next_question(dict(reversed(facts.items())), locale=locale) == expected  # remembered
    # And computed afresh, past the remembered answers.
    given_facts = validate_facts(facts, KNOWLEDGE)
    plan = engine._plan(KNOWLEDGE)
    assert plan._next_question(frozenset(given_facts.items()), locale) == expected


@SETTINGS
@given(facts=fact_dicts, locale=st.sampled_from(LOCALES))
def test_assess_answers_what_the_reference_answers(
    facts: dict[str, FactValue], locale: str | None
) -> None:
    expected = ref_assess(facts, KNOWLEDGE, locale)
    first = assess(facts, locale=locale)
    assert first == expected
    assert list(first.facts.items()) == list(expected.facts.items())  # the same order, too
    assert assess(facts, locale=locale) == expected  # remembered


@SETTINGS
@given(facts=fact_dicts)
def test_the_derived_facts_and_open_questions_are_the_references(
    facts: dict[str, FactValue],
) -> None:
    plan = engine._plan(KNOWLEDGE)
    effective, settled = plan.derive(facts)
    assert (effective, settled) == ref_derive(facts, KNOWLEDGE)
    assert plan.open_questions(facts, settled) == ref_open_questions(facts, KNOWLEDGE)


EMERGENCIES: list[tuple[dict[str, FactValue], bool]] = [
    # (facts, whether the emergency rests on a red flag nobody has answered yet)
    ({"amount": "heavy"}, False),
    ({"dizzy_or_fainted": True}, False),
    ({"safe_now": False, "consent": "no"}, False),
    ({"pain": "severe", "warning_signs": True}, False),
    # Grouped warning signs: pain is filled in as "unknown", and E5 (a very high temperature or
    # shivering with pain) holds on it; so does E3 (a possible pregnancy with pain somewhere, of
    # unknown severity).
    ({"high_fever_or_shivering": True, "warning_signs": True}, True),
    ({"pregnant": "possible", "pain_site": "pelvic", "warning_signs": True}, True),
]


@pytest.mark.parametrize(("facts", "open_red_flag"), EMERGENCIES)
def test_an_emergency_asks_only_about_an_unanswered_red_flag(
    facts: dict[str, FactValue], open_red_flag: bool
) -> None:
    assert assess(facts).level is Level.EMERGENCY
    expected = ref_next_question(facts, KNOWLEDGE, None)
    assert next_question(facts) == expected
    assert (expected is not None) == open_red_flag
    if expected is not None:
        assert assess(facts).facts[expected] == UNKNOWN


# --- remembered answers belong to one knowledge --------------------------------------------------


def test_remembered_answers_never_cross_knowledges() -> None:
    strict = dataclasses.replace(
        KNOWLEDGE, policies={**KNOWLEDGE.policies, "en-US": LocalePolicy(benign_level=Level.SOON)}
    )
    reordered = dataclasses.replace(KNOWLEDGE, questions=tuple(reversed(KNOWLEDGE.questions)))
    for _ in range(2):  # the second round answers from what the first remembered
        assert assess(BENIGN, locale="en-US").level is Level.SELF_CARE
        assert assess(BENIGN, locale="en-US", knowledge=strict).level is Level.SOON
        assert assess(BENIGN, locale="en-US").level is Level.SELF_CARE
        assert next_question({}) == ref_next_question({}, KNOWLEDGE, None) == "warning_signs"
        other = ref_next_question({}, reordered, None)
        assert other != "warning_signs"
        assert next_question({}, knowledge=reordered) == other
        assert next_question({}) == "warning_signs"
    assert engine._plan(strict) is not engine._plan(KNOWLEDGE)


def test_a_remembered_assessment_hands_out_its_own_facts() -> None:
    first = assess({"warning_signs": False})
    first.facts["amount"] = "heavy"  # type: ignore[index]  # a caller that should not, does
    again = assess({"warning_signs": False})
    assert again.facts["amount"] == "light"
    assert again.level is not Level.EMERGENCY


# --- YAML: libyaml, the pure-Python parser, and the data snapshot -------------------------------

SHIPPED_YAML = sorted(loader.PACKAGE_DIR.rglob("*.yaml"))


def test_the_repository_carries_no_data_snapshot() -> None:
    # Only a built Lambda bundle has one; here the tests must read (and so check) the YAML.
    assert not loader.SNAPSHOT_FILE.exists(), (
        f"delete {loader.SNAPSHOT_FILE}: the tests would read it instead of the YAML"
    )


def test_the_pure_python_parser_stands_in_for_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    with_c = {path: loader.parse_yaml(path) for path in SHIPPED_YAML}
    used: list[type] = []
    real_load = yaml.load

    def spy(stream: Any, Loader: type) -> Any:
        used.append(Loader)
        return real_load(stream, Loader=Loader)

    monkeypatch.setattr(yaml, "load", spy)
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    without_c = {path: loader.parse_yaml(path) for path in SHIPPED_YAML}
    assert without_c == with_c
    assert set(used) == {yaml.SafeLoader}


def test_the_pure_python_parser_names_the_broken_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("rules:\n  - id: a\n  - id: [unclosed\n  - id: b\n", encoding="utf-8")
    for drop_c in (False, True):
        if drop_c:
            monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
        with pytest.raises(KnowledgeError) as caught:
            loader.read_yaml(broken)
        assert caught.value.file.endswith("broken.yaml")
        assert caught.value.entry in ("line 3", "line 4"), caught.value.entry
        assert "not valid YAML" in str(caught.value)


def knowledge_fields(knowledge: Knowledge) -> dict[str, Any]:
    return {f.name: getattr(knowledge, f.name) for f in dataclasses.fields(knowledge)}


@pytest.fixture
def snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A snapshot of the shipped package, and the loader pointed at it."""
    out = tmp_path / "data_snapshot.json"
    assert loader.write_snapshot(loader.PACKAGE_DIR, out) == len(SHIPPED_YAML)
    monkeypatch.setattr(loader, "SNAPSHOT_FILE", out)
    return out


def test_a_snapshot_holds_every_yaml_file_as_parsed(snapshot: Path) -> None:
    data = json.loads(snapshot.read_text(encoding="utf-8"))
    assert sorted(data) == sorted(
        p.relative_to(loader.PACKAGE_DIR).as_posix() for p in SHIPPED_YAML
    )
    for key in ("knowledge/rules.yaml", "content/en/voice.yaml", "alexa/slots.yaml"):
        assert key in data
    for path in SHIPPED_YAML:
        assert data[path.relative_to(loader.PACKAGE_DIR).as_posix()] == loader.parse_yaml(path)


def test_the_snapshot_gives_the_same_knowledge_and_words(
    snapshot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from_yaml = load_knowledge()
    words_from_yaml = {locale: load_content(locale, from_yaml) for locale in available_locales()}

    def no_yaml(path: Path) -> Any:
        raise AssertionError(f"parsed {path} as YAML although the snapshot holds it")

    monkeypatch.setattr(loader, "parse_yaml", no_yaml)
    from_snapshot = load_knowledge()
    assert knowledge_fields(from_snapshot) == knowledge_fields(from_yaml)
    for locale, words in words_from_yaml.items():
        assert load_content(locale, from_snapshot) == words
    for facts in ({}, {"amount": "heavy"}, BENIGN, {"fever": True, "warning_signs": True}):
        assert assess(facts, knowledge=from_snapshot) == assess(facts, knowledge=from_yaml)
        assert next_question(facts, knowledge=from_snapshot) == next_question(facts)


def test_the_snapshot_is_what_is_read(snapshot: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = json.loads(snapshot.read_text(encoding="utf-8"))
    data["content/en/triage.yaml"]["disclaimer"] = "Read from the snapshot."
    changed = snapshot.with_name("changed.json")
    changed.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(loader, "SNAPSHOT_FILE", changed)
    assert load_content("en-US", load_knowledge()).text("disclaimer") == "Read from the snapshot."
    # Each read is a fresh copy, as parsing gives: a caller's change does not stick.
    path = loader.CONTENT_DIR / "en" / "triage.yaml"
    loader.read_yaml(path)["disclaimer"] = "changed by a caller"
    assert loader.read_yaml(path)["disclaimer"] == "Read from the snapshot."


def test_files_outside_the_package_are_read_as_yaml(snapshot: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text("policy: {benign_level: soon}\n", encoding="utf-8")
    assert loader.read_yaml(mine) == {"policy": {"benign_level": "soon"}}


def test_a_broken_entry_in_the_snapshot_names_its_yaml_file(snapshot: Path) -> None:
    data = json.loads(snapshot.read_text(encoding="utf-8"))
    data["knowledge/rules.yaml"]["rules"][0]["level"] = "whenever"
    snapshot.write_text(json.dumps(data), encoding="utf-8")
    loader._snapshots.pop(snapshot, None)
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge()
    assert caught.value.file == "skill/knowledge/rules.yaml"
    assert "unknown level 'whenever'" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"knowledge/rules.yaml": {"rules": [}', "not valid JSON"),
        ('["knowledge/rules.yaml"]', "expected a mapping of file paths"),
        ("\udcff", "cannot read the data snapshot"),
    ],
)
def test_a_broken_snapshot_is_a_knowledge_error_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    path = tmp_path / "data_snapshot.json"
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    monkeypatch.setattr(loader, "SNAPSHOT_FILE", path)
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge()
    assert caught.value.file.endswith("data_snapshot.json")
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("text", "entry", "message"),
    [
        ("answers:\n  yes: 1\n", "answers.True", "mapping key must be a string"),
        ("ages:\n  12: twelve\n", "ages.12", "mapping key must be a string"),
        ("when: 2024-01-31\n", "when", "date value"),
        ("scale: .nan\n", "scale", "cannot be written as JSON"),
    ],
)
def test_write_snapshot_refuses_data_json_would_change(
    tmp_path: Path, text: str, entry: str, message: str
) -> None:
    package = tmp_path / "package"
    (package / "knowledge").mkdir(parents=True)
    (package / "knowledge" / "fine.yaml").write_text("fine: {'yes': true}\n", encoding="utf-8")
    (package / "knowledge" / "odd.yaml").write_text(text, encoding="utf-8")
    out = tmp_path / "snapshot.json"
    with pytest.raises(KnowledgeError) as caught:
        loader.write_snapshot(package, out)
    assert caught.value.file.endswith("odd.yaml")
    assert caught.value.entry.replace("'", "") == entry
    assert message in str(caught.value)
    assert not out.exists()


def test_write_snapshot_keeps_text_as_it_is(tmp_path: Path) -> None:
    package = tmp_path / "package"
    (package / "content" / "es-US").mkdir(parents=True)
    (package / "content" / "es-US" / "voice.yaml").write_text(
        "hola: {'no': \"¿Está sangrando?\", n: 3}\n", encoding="utf-8"
    )
    out = tmp_path / "snapshot.json"
    assert loader.write_snapshot(package, out) == 1
    text = out.read_text(encoding="utf-8")
    assert "¿Está" in text  # not escaped
    assert json.loads(text) == {
        "content/es-US/voice.yaml": {"hola": {"no": "¿Está sangrando?", "n": 3}}
    }


def test_with_a_snapshot_the_core_never_imports_yaml(snapshot: Path) -> None:
    code = f"""
import sys
from pathlib import Path
import skill.core.loader as loader
loader.SNAPSHOT_FILE = Path({str(snapshot)!r})
from skill.core import assess, available_locales, default_content, default_knowledge
default_knowledge()
for locale in available_locales():
    default_content(locale)
assert assess({{"amount": "heavy"}}).level.id == "emergency"
print("yaml" in sys.modules)
"""
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
