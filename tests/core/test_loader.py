"""The knowledge and content loaders: the shipped files load, and each kind of breakage stops
loading with a KnowledgeError that names the file and the entry.

Broken fixtures are copies of skill/knowledge and skill/content in a temporary folder, with one
thing broken each (edited as data, so the tests do not depend on the files' layout).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from skill.core import (
    Knowledge,
    KnowledgeError,
    Level,
    available_locales,
    load_content,
    load_knowledge,
)
from skill.core.loader import CONTENT_DIR, KNOWLEDGE_DIR

CONTRACT_FACTS = {
    "age", "menopause", "pregnant", "weeks_pregnant", "period_late", "amount",
    "soaks_pad_within_hour", "still_bleeding", "frequency", "cycle_timing", "pain", "pain_site",
    "fever", "unusual_discharge", "dizzy_or_fainted", "consent", "safe_now", "rough_or_deep_sex",
    "hormonal_contraception", "new_partner_or_sti_risk", "dryness", "breastfeeding",
    "screening_up_to_date",
}  # fmt: skip


# --- the shipped files ---------------------------------------------------------------------------


def test_the_shipped_knowledge_loads() -> None:
    knowledge = load_knowledge()
    assert set(knowledge.facts) >= CONTRACT_FACTS
    rule_ids = {rule.id for rule in knowledge.rules}
    expected = {f"E{i}" for i in range(1, 8)} | {f"U{i}" for i in range(1, 7)}
    expected |= {f"N{i}" for i in range(1, 7)} | {"C1"}
    assert expected <= rule_ids
    for rule in knowledge.rules:
        assert rule.sources and all(s in knowledge.sources for s in rule.sources)
    assert {question.id for question in knowledge.questions} <= set(knowledge.facts)
    assert knowledge.questions[0].id == "warning_signs"  # red flags first


def test_the_shipped_content_loads_for_every_locale() -> None:
    knowledge = load_knowledge()
    assert "en-US" in available_locales()
    for locale in available_locales():
        content = load_content(locale, knowledge)
        assert content.text("levels", "emergency", "text").strip()
        assert locale in knowledge.policies


def test_en_us_policy_is_self_care_and_names_its_services() -> None:
    knowledge = load_knowledge()
    assert knowledge.policies["en-US"].benign_level is Level.SELF_CARE
    content = load_content("en-US", knowledge)
    assert content.services["emergency_number"] == "911"
    assert "800-656-4673" in content.text("advice", "support_services", "text")


# --- broken copies -------------------------------------------------------------------------------


class Tree:
    """A copy of the knowledge and content folders, to break one thing in."""

    def __init__(self, root: Path) -> None:
        self.knowledge = root / "knowledge"
        self.content = root / "content"
        shutil.copytree(KNOWLEDGE_DIR, self.knowledge)
        shutil.copytree(CONTENT_DIR, self.content)

    def path(self, name: str) -> Path:
        return self.knowledge / name if "/" not in name else self.content / name

    def edit(self, name: str, change: Callable[[Any], None]) -> None:
        path = self.path(name)
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")

    def load(self) -> Knowledge:
        return load_knowledge(self.knowledge, self.content)

    def load_all(self, locale: str = "en-US") -> None:
        load_content(locale, self.load(), self.content)


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    return Tree(tmp_path)


def entry(entries: list[dict[str, Any]], entry_id: str) -> dict[str, Any]:
    return next(item for item in entries if item["id"] == entry_id)


def rule(data: dict[str, Any], rule_id: str) -> dict[str, Any]:
    return entry(data["rules"], rule_id)


def expect_error(tree: Tree, file: str, entry_id: str, *words: str) -> KnowledgeError:
    with pytest.raises(KnowledgeError) as caught:
        tree.load_all()
    error = caught.value
    message = str(error)
    assert error.file.endswith(file), message
    assert file in message
    assert error.entry == entry_id, message
    assert entry_id in message
    for word in words:
        assert word in message, message
    return error


def test_the_copy_loads_before_it_is_broken(tree: Tree) -> None:
    tree.load_all()


def test_an_unknown_fact_in_a_rule(tree: Tree) -> None:
    tree.edit("rules.yaml", lambda d: rule(d, "E1").update(when={"dizzy": [True]}))
    expect_error(tree, "rules.yaml", "E1", "unknown fact 'dizzy'")


def test_an_unknown_fact_nested_in_any(tree: Tree) -> None:
    def change(data: dict[str, Any]) -> None:
        rule(data, "E2")["when"]["any"][0] = {"soaks_tampon": [True]}

    tree.edit("rules.yaml", change)
    expect_error(tree, "rules.yaml", "E2", "soaks_tampon")


def test_an_unknown_value_in_a_rule(tree: Tree) -> None:
    def change(data: dict[str, Any]) -> None:
        rule(data, "E2")["when"]["any"][1] = {"amount": ["torrential"]}

    tree.edit("rules.yaml", change)
    expect_error(tree, "rules.yaml", "E2", "amount", "torrential")


def test_a_rule_pointing_at_a_missing_cause(tree: Tree) -> None:
    tree.edit("rules.yaml", lambda d: rule(d, "U3")["causes"].append("gremlins"))
    expect_error(tree, "rules.yaml", "U3", "missing cause 'gremlins'")


def test_a_rule_pointing_at_missing_advice(tree: Tree) -> None:
    tree.edit("rules.yaml", lambda d: rule(d, "N2")["advice"].append("see_a_wizard"))
    expect_error(tree, "rules.yaml", "N2", "missing advice item 'see_a_wizard'")


def test_a_rule_pointing_at_a_missing_source(tree: Tree) -> None:
    tree.edit("rules.yaml", lambda d: rule(d, "U1")["sources"].append("S999"))
    expect_error(tree, "rules.yaml", "U1", "missing source 'S999'")


def test_a_rule_without_sources(tree: Tree) -> None:
    tree.edit("rules.yaml", lambda d: rule(d, "N4").update(sources=[]))
    expect_error(tree, "rules.yaml", "N4", "source")


def test_an_advice_item_pointing_at_a_missing_source(tree: Tree) -> None:
    tree.edit("advice.yaml", lambda d: entry(d["advice"], "count_pads").update(sources=["S0"]))
    expect_error(tree, "advice.yaml", "count_pads", "S0")


def test_a_cause_testing_an_unknown_value(tree: Tree) -> None:
    def change(data: dict[str, Any]) -> None:
        entry(data["causes"], "period_shedding")["points_to"][0]["when"] = {
            "cycle_timing": ["full_moon"]
        }

    tree.edit("causes.yaml", change)
    expect_error(tree, "causes.yaml", "period_shedding.near_period", "full_moon")


def test_an_implication_filling_an_unknown_value(tree: Tree) -> None:
    def change(data: dict[str, Any]) -> None:
        entry(data["implications"], "soaking_is_heavy")["raise"] = {"amount": "lots"}

    tree.edit("implications.yaml", change)
    expect_error(tree, "implications.yaml", "soaking_is_heavy", "lots")


def test_a_question_about_an_unknown_fact(tree: Tree) -> None:
    tree.edit("questions.yaml", lambda d: d["questions"].append({"id": "star_sign"}))
    expect_error(tree, "questions.yaml", "star_sign", "fact")


def test_a_safety_net_item_with_an_unknown_level(tree: Tree) -> None:
    tree.edit(
        "safety_net.yaml",
        lambda d: entry(d["safety_net"], "book_if").update(escalates_to="whenever"),
    )
    expect_error(tree, "safety_net.yaml", "book_if", "whenever")


def test_a_source_without_a_web_address(tree: Tree) -> None:
    tree.edit("sources.yaml", lambda d: d["sources"]["S5"].update(url="ftp://example.org/x"))
    expect_error(tree, "sources.yaml", "S5", "http")


# --- conservatism: a worse answer must never lower the level --------------------------------------


def test_a_concern_rule_testing_a_value_but_not_the_worse_ones(tree: Tree) -> None:
    def change(data: dict[str, Any]) -> None:
        rule(data, "U5")["when"]["any"][0] = {"amount": ["moderate"]}  # heavy left out

    tree.edit("rules.yaml", change)
    expect_error(tree, "rules.yaml", "U5", "amount", "worse")


def test_an_emergency_rule_testing_a_value_below_unknown_but_not_unknown(tree: Tree) -> None:
    # Fever with mild pain is an emergency (E5); fever with pain of unknown severity must be too,
    # or "I don't know" would answer lower than "mild".
    def change(data: dict[str, Any]) -> None:
        rule(data, "E5")["when"]["any"][1] = {
            "high_fever_or_shivering": [True],
            "pain": ["mild", "severe"],
        }

    tree.edit("rules.yaml", change)
    expect_error(tree, "rules.yaml", "E5", "pain", "unknown")


def test_a_concern_rule_may_read_a_trigger_as_a_sign_of_injury(tree: Tree) -> None:
    # Rough sex explains a few drops (C1) and, with bleeding that goes on, points to a tear (E6):
    # a trigger is read either way. The shipped E6 loads; so would one reading "not rough".
    knowledge = tree.load()
    assert {"E6", "C1"} <= {r.id for r in knowledge.rules}


def test_an_emergency_rule_reading_a_trigger_must_fire_on_unknown_too(tree: Tree) -> None:
    tree.edit(
        "rules.yaml",
        lambda d: rule(d, "E6")["when"]["any"].__setitem__(0, {"rough_or_deep_sex": [True]}),
    )
    expect_error(tree, "rules.yaml", "E6", "rough_or_deep_sex", "unknown")


def test_a_trigger_with_more_than_two_values_still_needs_a_closed_test(tree: Tree) -> None:
    def change(data: dict[str, Any]) -> None:
        rule(data, "N2")["when"] = {"cycle_timing": ["mid_cycle"]}

    tree.edit("rules.yaml", change)
    expect_error(tree, "rules.yaml", "N2", "cycle_timing")


def test_a_benign_rule_testing_a_value_but_not_the_more_reassuring_ones(tree: Tree) -> None:
    tree.edit("rules.yaml", lambda d: rule(d, "C1")["when"].update(amount=["light"]))
    expect_error(tree, "rules.yaml", "C1", "amount", "reassuring")


def test_a_benign_rule_cannot_require_a_minimum(tree: Tree) -> None:
    tree.edit("rules.yaml", lambda d: rule(d, "C1")["when"].update(age={"min": 18}))
    expect_error(tree, "rules.yaml", "C1", "age")


# --- duplicates, syntax, missing files ----------------------------------------------------------


def test_a_duplicate_rule_id(tree: Tree) -> None:
    tree.edit("rules.yaml", lambda d: d["rules"].append(dict(rule(d, "N3"))))
    expect_error(tree, "rules.yaml", "N3", "duplicate")


def test_a_duplicate_advice_id(tree: Tree) -> None:
    tree.edit("advice.yaml", lambda d: d["advice"].append({"id": "lubricant", "sources": ["S18"]}))
    expect_error(tree, "advice.yaml", "lubricant", "duplicate")


def test_a_duplicate_value_in_an_order(tree: Tree) -> None:
    tree.edit("facts.yaml", lambda d: d["facts"]["pain"].update(order=["none", "mild", "mild"]))
    expect_error(tree, "facts.yaml", "pain", "twice")


def test_invalid_yaml_syntax(tree: Tree) -> None:
    path = tree.path("rules.yaml")
    lines = path.read_text(encoding="utf-8").splitlines()
    broken = len(lines) // 2
    lines.insert(broken, "  - id: [unclosed")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        tree.load_all()
    error = caught.value
    assert error.file.endswith("rules.yaml")
    assert "rules.yaml" in str(error) and "not valid YAML" in str(error)
    assert error.entry.startswith("line ")
    assert abs(int(error.entry.removeprefix("line ")) - (broken + 1)) <= 2, error.entry


def test_a_missing_knowledge_file(tree: Tree) -> None:
    tree.path("causes.yaml").unlink()
    expect_error(tree, "causes.yaml", "-", "missing")


# --- the locale content ------------------------------------------------------------------------


def test_a_text_missing_in_the_locale(tree: Tree) -> None:
    tree.edit("en/triage.yaml", lambda d: d["advice"].pop("count_pads"))
    expect_error(tree, "triage.yaml", "advice.count_pads.say", "missing")


def test_a_new_advice_item_without_words(tree: Tree) -> None:
    tree.edit(
        "advice.yaml", lambda d: d["advice"].append({"id": "drink_water", "sources": ["S26"]})
    )
    tree.edit("rules.yaml", lambda d: rule(d, "U5")["advice"].append("drink_water"))
    tree.load()  # the knowledge itself is fine
    expect_error(tree, "triage.yaml", "advice.drink_water.say", "missing")


def test_a_cause_sign_without_words(tree: Tree) -> None:
    tree.edit("en/triage.yaml", lambda d: d["causes"]["pid"]["why"].pop("fever"))
    expect_error(tree, "triage.yaml", "causes.pid.why.fever", "missing")


def test_an_empty_text(tree: Tree) -> None:
    tree.edit("en/triage.yaml", lambda d: d["safety_net"]["book_if"].update(text="  "))
    expect_error(tree, "triage.yaml", "safety_net.book_if.text", "non-empty")


def test_an_undefined_placeholder(tree: Tree) -> None:
    tree.edit(
        "en/triage.yaml",
        lambda d: d["advice"]["call_doctor_today"].update(text="Call {nurse_line} today."),
    )
    expect_error(tree, "triage.yaml", "advice.call_doctor_today.text", "{nurse_line}")


def test_an_unknown_policy_setting(tree: Tree) -> None:
    tree.edit("en-US/locale.yaml", lambda d: d["policy"].update(bleed_level="soon"))
    expect_error(tree, "locale.yaml", "policy", "bleed_level")


def test_an_unknown_policy_level(tree: Tree) -> None:
    tree.edit("en-US/locale.yaml", lambda d: d["policy"].update(benign_level="later"))
    expect_error(tree, "locale.yaml", "policy.benign_level", "later")


def test_a_stricter_policy_loads(tree: Tree) -> None:
    tree.edit("en-US/locale.yaml", lambda d: d["policy"].update(benign_level="soon"))
    assert tree.load().policies["en-US"].benign_level is Level.SOON


def test_an_unknown_locale(tree: Tree) -> None:
    with pytest.raises(KnowledgeError) as caught:
        load_content("xx-XX", tree.load(), tree.content)
    assert "xx-XX" in str(caught.value)


# --- sources a person may see --------------------------------------------------------------------


def test_every_shown_source_is_canonical_https_and_helplines_have_their_kind() -> None:
    knowledge = load_knowledge()
    shown = {s for r in knowledge.rules for s in r.show}
    shown |= {s for a in knowledge.advice.values() for s in a.show}
    assert shown
    for source_id in shown:
        source = knowledge.sources[source_id]
        assert source.canonical and source.url.startswith("https://"), source_id
    for source in knowledge.sources.values():
        assert (source.kind == "helpline") == source.id.startswith("H"), source.id
        if source.canonical:
            assert source.url.startswith("https://"), source.id


@pytest.mark.parametrize(
    "source_id",
    ["S1", "S6", "S9", "S24", "S25", "S27", "S30", "S36", "S40", "S41", "S43", "S45", "H2", "H7"],
)
def test_mirrors_copies_snapshots_and_forums_are_not_canonical(source_id: str) -> None:
    assert not load_knowledge().sources[source_id].canonical


def test_a_rule_showing_a_mirror(tree: Tree) -> None:
    tree.edit("rules.yaml", lambda d: rule(d, "C1").update(show=["S1"]))
    expect_error(tree, "rules.yaml", "C1", "S1", "canonical")


def test_advice_showing_a_forum(tree: Tree) -> None:
    def change(data: dict[str, Any]) -> None:
        entry(data["advice"], "pause_and_go_gently").update(sources=["S18", "S40"], show=["S40"])

    tree.edit("advice.yaml", change)
    expect_error(tree, "advice.yaml", "pause_and_go_gently", "S40", "canonical")


def test_a_rule_showing_a_source_it_does_not_rest_on(tree: Tree) -> None:
    tree.edit("rules.yaml", lambda d: rule(d, "N2").update(show=["S16"]))
    expect_error(tree, "rules.yaml", "N2", "S16", "not one of its sources")


def test_a_canonical_source_over_plain_http(tree: Tree) -> None:
    tree.edit(
        "sources.yaml",
        lambda d: d["sources"]["S12"].update(url="http://www.nhs.uk/conditions/x/"),
    )
    expect_error(tree, "sources.yaml", "S12", "https")


def test_a_source_of_an_unknown_kind(tree: Tree) -> None:
    tree.edit("sources.yaml", lambda d: d["sources"]["H1"].update(kind="hotline"))
    expect_error(tree, "sources.yaml", "H1", "hotline")


def test_a_source_with_an_unknown_key(tree: Tree) -> None:
    tree.edit("sources.yaml", lambda d: d["sources"]["S5"].update(canonnical=True))
    expect_error(tree, "sources.yaml", "S5", "canonnical")


def test_a_shown_source_without_a_title_in_the_locale(tree: Tree) -> None:
    tree.edit("en/triage.yaml", lambda d: d["reading"].pop("S16"))
    expect_error(tree, "triage.yaml", "reading.S16", "missing")


def test_an_unknown_region_in_the_policy(tree: Tree) -> None:
    tree.edit("en-US/locale.yaml", lambda d: d["policy"].update(region="usa"))
    expect_error(tree, "locale.yaml", "policy.region", "usa")


# --- questions asked early, advice when unsure ---------------------------------------------------


def test_an_early_question_before_a_missing_question(tree: Tree) -> None:
    def change(data: dict[str, Any]) -> None:
        entry(data["questions"], "menopause")["early"]["before"] = "periods"

    tree.edit("questions.yaml", change)
    expect_error(tree, "questions.yaml", "menopause", "periods")


def test_an_early_question_before_one_asked_later_anyway(tree: Tree) -> None:
    def change(data: dict[str, Any]) -> None:
        entry(data["questions"], "soaks_pad_within_hour")["early"]["before"] = "menopause"

    tree.edit("questions.yaml", change)
    expect_error(tree, "questions.yaml", "soaks_pad_within_hour", "later")


def test_an_early_question_without_a_condition(tree: Tree) -> None:
    tree.edit(
        "questions.yaml",
        lambda d: entry(d["questions"], "menopause").update(early={"before": "pregnant"}),
    )
    expect_error(tree, "questions.yaml", "menopause", "early")


def test_advice_if_unsure_naming_missing_advice(tree: Tree) -> None:
    tree.edit("rules.yaml", lambda d: rule(d, "N1").update(advice_if_unsure=["maybe_check"]))
    expect_error(tree, "rules.yaml", "N1", "maybe_check")
