"""The en-US interaction model passes every offline check, and each check catches what it should."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from skill.simulator import model_checks as mc
from skill.simulator.language import language_for

ROOT = Path(__file__).resolve().parent.parent
MODEL_PATH = ROOT / "interaction_model" / "en-US.json"
PLAN_PATH = ROOT / "skill" / "alexa" / "slots.yaml"

BUILTINS = (
    "AMAZON.YesIntent",
    "AMAZON.NoIntent",
    "AMAZON.RepeatIntent",
    "AMAZON.StartOverIntent",
    "AMAZON.HelpIntent",
    "AMAZON.CancelIntent",
    "AMAZON.StopIntent",
    "AMAZON.NavigateHomeIntent",
    "AMAZON.FallbackIntent",
)
MINIMUM_SAMPLES = {
    "ReportIntent": 2000,
    "AnswerIntent": 100,
    "DontKnowIntent": 12,
    "NotSafeIntent": 10,
    "WhisperIntent": 8,
    "SupportLineIntent": 10,
}
EN = language_for("en-US")


def _plan_id(value: Any) -> str:
    # YAML 1.1 (PyYAML) reads an unquoted yes/no as a boolean. Until the slot plan quotes them,
    # read them back as the words they were written as; check_type_ids reports raw booleans.
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


@pytest.fixture(scope="module")
def model_text() -> str:
    return MODEL_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def model(model_text: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(model_text)
    return loaded


@pytest.fixture(scope="module")
def plan() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(PLAN_PATH.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture(scope="module")
def expected_types(plan: dict[str, Any]) -> dict[str, list[str]]:
    return {name: [_plan_id(i) for i in ids] for name, ids in plan["types"].items()}


@pytest.fixture(scope="module")
def expected_slots(plan: dict[str, Any]) -> dict[str, str]:
    return {name: spec["type"] for name, spec in plan["slots"].items()}


def _intent(model: dict[str, Any], name: str) -> dict[str, Any]:
    intents = model["interactionModel"]["languageModel"]["intents"]
    found: dict[str, Any] = next(intent for intent in intents if intent["name"] == name)
    return found


def _format(problems: list[tuple[str, str]]) -> str:
    return "\n".join(f"{path}: {message}" for path, message in problems)


# ------------------------------------------------------------------------------- the real model


def test_model_passes_every_check(
    model: dict[str, Any], expected_types: dict[str, list[str]], expected_slots: dict[str, str]
) -> None:
    size = MODEL_PATH.stat().st_size
    problems = mc.check_all(model, expected_types, EN, expected_slots, size_bytes=size)
    assert problems == [], f"{len(problems)} problems:\n{_format(problems)}"


def test_shape_and_invocation_name(model: dict[str, Any]) -> None:
    assert set(model) == {"interactionModel"}
    assert set(model["interactionModel"]) == {"languageModel", "dialog"}, "no prompts"
    dialog = model["interactionModel"]["dialog"]
    assert dialog["delegationStrategy"] == "SKILL_RESPONSE"
    assert [intent["name"] for intent in dialog["intents"]] == ["AnswerIntent"]
    language = model["interactionModel"]["languageModel"]
    assert language["invocationName"] == "care compass"
    names = [intent["name"] for intent in language["intents"]]
    assert names[: len(MINIMUM_SAMPLES)] == list(MINIMUM_SAMPLES)
    assert set(names) == set(MINIMUM_SAMPLES) | set(BUILTINS)
    # Amazon's built-in intents keep their own phrases; yes and no also take the words people add
    # to them ("no, nothing like that"), which Amazon allows as extra samples.
    extended = {"AMAZON.YesIntent", "AMAZON.NoIntent"}
    for name in BUILTINS:
        intent = _intent(model, name)
        assert set(intent) == {"name", "samples"}
        assert bool(intent["samples"]) == (name in extended), name


@pytest.mark.parametrize(("name", "minimum"), sorted(MINIMUM_SAMPLES.items()))
def test_sample_counts(model: dict[str, Any], name: str, minimum: int) -> None:
    assert len(_intent(model, name)["samples"]) >= minimum


def test_report_intent_has_at_least_eighty_samples(model: dict[str, Any]) -> None:
    assert len(_intent(model, "ReportIntent")["samples"]) >= 80


def test_slots_follow_the_slot_plan(model: dict[str, Any], expected_slots: dict[str, str]) -> None:
    for name in ("ReportIntent", "AnswerIntent"):
        declared = {slot["name"]: slot["type"] for slot in _intent(model, name)["slots"]}
        assert all("samples" not in slot for slot in _intent(model, "ReportIntent")["slots"])
        assert declared == expected_slots, name
        problems = mc.check_intent_slots(model, name, expected_slots)
        assert problems == [], _format(problems)
    for name in ("DontKnowIntent", "NotSafeIntent", "WhisperIntent", "SupportLineIntent"):
        assert "slots" not in _intent(model, name)


@pytest.mark.parametrize(
    "theme",
    [
        "during",
        "after",
        "sex",
        "intercourse",
        "making love",
        "being intimate",
        "spotting",
        "a little",
        "a lot",
        "period",
        "mid cycle",
        "late",
        "pregnant",
        "menopause",
        "every time",
        "first time",
        "pain",
        "fever",
        "discharge",
        "dizzy",
        "rough",
        "new partner",
        "pill",
        "consensual",
        "i was forced",
    ],
)
def test_report_themes_are_covered(model: dict[str, Any], theme: str) -> None:
    report = _intent(model, "ReportIntent")
    used_types = {slot["type"] for slot in report["slots"]}
    phrases = list(report["samples"])
    for slot_type in model["interactionModel"]["languageModel"]["types"]:
        if slot_type["name"] in used_types:
            for value in slot_type["values"]:
                phrases += [value["name"]["value"], *value["name"]["synonyms"]]
    assert any(theme in phrase for phrase in phrases), theme


def test_report_samples_name_the_topic(model: dict[str, Any]) -> None:
    """Every report names the topic, or is worry about it (decisions: "i'm worried" is a report
    with no details)."""
    topic = ["sex", "intercourse", "making love", "intimate", "penetration", "bleed", "bled"]
    topic += ["blood", "bleeding", "{amount}", "spot", "postcoital", "post coital"]
    topic += ["worried", "scared", "freaking out", "concerned", "nervous"]
    for sample in _intent(model, "ReportIntent")["samples"]:
        assert any(word in sample for word in topic), sample


def test_maybe_is_a_possible_pregnancy_not_dont_know(model: dict[str, Any]) -> None:
    """Decisions: "maybe", "could be", "possibly", "might be" answering the pregnancy question
    mean pregnant: possible. DontKnowIntent would win over the elicited slot, so it must not
    hold them; no other type may hold them either."""
    hedges = {"maybe", "could be", "possibly", "might be", "i might be"}
    assert not hedges & set(_intent(model, "DontKnowIntent")["samples"])
    for slot_type in model["interactionModel"]["languageModel"]["types"]:
        for value in slot_type["values"]:
            phrases = {value["name"]["value"], *value["name"].get("synonyms", [])}
            if slot_type["name"] == "PregnancyType" and value.get("id") == "possible":
                assert hedges <= phrases
            else:
                assert not hedges & phrases, slot_type["name"]


def test_model_deserializes_with_ask_smapi_model(model_text: str, model: dict[str, Any]) -> None:
    from ask_sdk_core.serialize import DefaultSerializer
    from ask_smapi_model.v1.skill.interaction_model.interaction_model_data import (
        InteractionModelData,
    )

    serializer = DefaultSerializer()
    data = serializer.deserialize(model_text, InteractionModelData)
    assert isinstance(data, InteractionModelData)
    assert data.interaction_model is not None
    language = data.interaction_model.language_model
    assert language is not None
    assert language.intents is not None
    assert language.types is not None
    assert language.invocation_name == "care compass"
    assert len(language.intents) == len(model["interactionModel"]["languageModel"]["intents"])
    assert len(language.types) == len(model["interactionModel"]["languageModel"]["types"])
    # Unknown keys are dropped silently on the way in: equality on the way out proves none were.
    assert serializer.serialize(data) == model


# ------------------------------------------------------------------- each check on a broken model


def _model(
    intents: list[dict[str, Any]],
    types: list[dict[str, Any]] | None = None,
    invocation: str = "care compass",
) -> dict[str, Any]:
    return {
        "interactionModel": {
            "languageModel": {
                "invocationName": invocation,
                "intents": intents,
                "types": types or [],
            }
        }
    }


def _type(name: str, values: dict[str, list[str]]) -> dict[str, Any]:
    return {
        "name": name,
        "values": [
            {"id": value_id, "name": {"value": phrases[0], "synonyms": phrases[1:]}}
            for value_id, phrases in values.items()
        ],
    }


AMOUNT = _type("AmountType", {"light": ["light", "a little"], "heavy": ["heavy", "a lot"]})


def _messages(problems: list[tuple[str, str]]) -> str:
    return " | ".join(message for _path, message in problems)


def test_check_structure_reports_missing_parts() -> None:
    assert mc.check_structure({}) == [("interactionModel", "missing or not an object")]
    broken = {"interactionModel": {"languageModel": {"invocationName": "care compass"}}}
    paths = [path for path, _message in mc.check_structure(broken)]
    assert paths == [
        "interactionModel.languageModel.intents",
        "interactionModel.languageModel.types",
    ]
    twice = _model([{"name": "A", "samples": []}, {"name": "A", "samples": []}])
    assert mc.check_structure(twice) == [("intents[A]", "intent declared twice")]
    assert mc.check_all({}, {}, EN) == [("interactionModel", "missing or not an object")]


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("ask period help", "launch word 'ask'"),
        ("ask period help", "reveals the topic with 'period'"),
        ("compass", "fewer than two words"),
        ("Care Compass", "not lower case"),
        ("care compass two", None),
        ("care compass 2", "contains a digit"),
        ("care, compass", "only letters"),
        ("alexa compass", "wake word"),
        ("my bleeding guide", "reveals the topic"),
        ("sexual health helper", "reveals the topic with 'health'"),
        ("open care compass", "launch word 'open'"),
        ("", "missing invocation name"),
    ],
)
def test_check_invocation_name(name: str, fragment: str | None) -> None:
    problems = mc.check_invocation_name(_model([], invocation=name), EN)
    if fragment is None:
        assert problems == []
    else:
        assert problems and all(path == "invocationName" for path, _ in problems)
        assert fragment in _messages(problems)


@pytest.mark.parametrize(
    ("sample", "fragment"),
    [
        ("i bled 2 times", "numbers must be spelled out"),
        ("I bled after sex", "not lower case"),
        ("i bled after sex?", "only letters"),
        ("i bled, after sex", "only letters"),
        ("i bled after sex.", "only letters"),
        ("i bled  after sex", "doubled spaces"),
        ("{amount} and {amount}", "used more than once"),
        ("{amount after sex", "unbalanced brace"),
        ("{the amount} after sex", "bad slot reference"),
        ("a" * 201, "longer than 200"),
    ],
)
def test_check_samples_rejects(sample: str, fragment: str) -> None:
    intent = {"name": "ReportIntent", "slots": [{"name": "amount", "type": "AmountType"}]}
    problems = mc.check_samples(_model([{**intent, "samples": [sample]}], [AMOUNT]), EN)
    assert problems, sample
    assert problems[0][0] == "intents[ReportIntent].samples[0]"
    assert fragment in _messages(problems)


def test_check_samples_accepts_good_forms_and_finds_duplicates() -> None:
    good = ["i'm bleeding after my partner's visit", "{amount} after sex", "an i.u.d. and {amount}"]
    intent = {"name": "R", "slots": [{"name": "amount", "type": "AmountType"}], "samples": good}
    assert mc.check_samples(_model([intent], [AMOUNT]), EN) == []
    intent = {"name": "R", "samples": ["i bled", "i  bled".replace("  ", " "), "x"]}
    assert mc.check_samples(_model([intent]), EN) == [
        ("intents[R].samples[1]", "duplicate of samples[0]")
    ]


def test_check_slots_declared_reports_undeclared_slot() -> None:
    intent = {
        "name": "ReportIntent",
        "slots": [{"name": "amount", "type": "AmountType"}],
        "samples": ["{amount} after sex", "i bled {frequency}"],
    }
    assert mc.check_slots_declared(_model([intent], [AMOUNT])) == [
        ("intents[ReportIntent].samples[1]", "slot {frequency} is not declared on ReportIntent")
    ]


def test_check_slot_types_reports_unknown_custom_type() -> None:
    intent = {
        "name": "R",
        "slots": [
            {"name": "amount", "type": "AmountType"},
            {"name": "age", "type": "AMAZON.NUMBER"},
            {"name": "pain", "type": "PainType"},
        ],
        "samples": [],
    }
    assert mc.check_slot_types(_model([intent], [AMOUNT])) == [
        ("intents[R].slots[pain]", "slot type 'PainType' is neither AMAZON.* nor declared in types")
    ]


def test_check_intent_slots_reports_missing_wrong_and_unused() -> None:
    intent = {
        "name": "R",
        "slots": [{"name": "amount", "type": "PainType"}, {"name": "age", "type": "AMAZON.NUMBER"}],
        "samples": ["{amount} after sex"],
    }
    expected = {"amount": "AmountType", "age": "AMAZON.NUMBER", "pain": "PainType"}
    problems = mc.check_intent_slots(_model([intent]), "R", expected)
    assert problems == [
        ("intents[R].slots[amount]", "type is 'PainType', expected 'AmountType'"),
        ("intents[R].slots[age]", "slot 'age' is used in no sample"),
        ("intents[R].slots", "slot 'pain' (PainType) is not declared"),
    ]
    assert mc.check_intent_slots(_model([]), "R", expected) == [("intents[R]", "intent missing")]


def test_check_unique_samples_reports_a_sample_in_two_intents() -> None:
    intents: list[dict[str, Any]] = [
        {"name": "DontKnowIntent", "samples": ["i'm not sure", "no idea"]},
        {"name": "AnswerIntent", "samples": ["it was light", "I'm not  sure"]},
    ]
    assert mc.check_unique_samples(_model(intents)) == [
        (
            "intents[AnswerIntent].samples[1]",
            '"I\'m not  sure" is also intents[DontKnowIntent].samples[0]',
        )
    ]


def test_check_builtins_reports_missing_stop() -> None:
    intents = [{"name": name, "samples": []} for name in BUILTINS if name != "AMAZON.StopIntent"]
    assert mc.check_builtins(_model(intents)) == [
        ("intents[AMAZON.StopIntent]", "required built-in intent is missing")
    ]
    assert mc.check_builtins(_model(intents), ["AMAZON.YesIntent"]) == []


def test_check_type_ids_reports_wrong_missing_and_unplanned() -> None:
    types = [
        _type("AmountType", {"light": ["light"], "lots": ["a lot"]}),
        _type("ColourType", {"red": ["red"]}),
    ]
    expected = {"AmountType": ["light", "heavy"], "PainType": ["none"]}
    assert mc.check_type_ids(_model([], types), expected) == [
        ("types[AmountType].values", "id 'heavy' from the slot plan is missing"),
        ("types[AmountType].values[lots]", "id 'lots' is not in the slot plan"),
        ("types[PainType]", "slot type from the slot plan is missing"),
        ("types[ColourType]", "slot type is not in the slot plan"),
    ]


def test_check_type_ids_reports_yaml_booleans() -> None:
    types = [_type("PregnancyType", {"yes": ["pregnant"], "no": ["not pregnant"]})]
    plan: dict[str, Any] = {"PregnancyType": [True, False]}  # unquoted yes/no, as PyYAML reads them
    problems = mc.check_type_ids(_model([], types), plan)
    assert "not a string (quote yes/no in YAML)" in _messages(problems)


def test_check_value_phrases_rejects_digits_and_capitals() -> None:
    types = [_type("AmountType", {"light": ["light", "2 drops"], "heavy": ["Heavy"]})]
    assert [path for path, _ in mc.check_value_phrases(_model([], types), EN)] == [
        "types[AmountType].values[light].name.synonyms[0]",
        "types[AmountType].values[heavy].name.value",
    ]


def test_check_duplicate_synonyms_within_a_type() -> None:
    types = [
        _type("AmountType", {"light": ["light", "a bit", "a bit"], "heavy": ["heavy", "A bit"]})
    ]
    assert mc.check_duplicate_synonyms(_model([], types)) == [
        (
            "types[AmountType].values[light].name.synonyms[1]",
            "'a bit' already appears at types[AmountType].values[light].name.synonyms[0]",
        ),
        (
            "types[AmountType].values[heavy].name.synonyms[0]",
            "'A bit' already appears at types[AmountType].values[light].name.synonyms[0]",
        ),
    ]


def test_check_shared_phrases_across_types_of_one_intent() -> None:
    types = [
        AMOUNT,
        _type("PainType", {"mild": ["mild", "a little"]}),
        _type("ColourType", {"red": ["red", "a lot"]}),
    ]
    intents: list[dict[str, Any]] = [
        {
            "name": "AnswerIntent",
            "slots": [
                {"name": "amount", "type": "AmountType"},
                {"name": "pain", "type": "PainType"},
            ],
            "samples": ["{amount}", "{pain}"],
        }
    ]
    # "a lot" is also ColourType's, but no intent uses both: only "a little" is reported.
    assert mc.check_shared_phrases(_model(intents, types)) == [
        (
            "types[PainType].values[mild].name.synonyms[0]",
            "'a little' is also types[AmountType].values[light].name.synonyms[0]",
        )
    ]


def test_check_conflicts_finds_filled_in_collisions() -> None:
    intents: list[dict[str, Any]] = [
        {
            "name": "AnswerIntent",
            "slots": [{"name": "amount", "type": "AmountType"}],
            "samples": ["it was {amount}"],
        },
        {"name": "DontKnowIntent", "samples": ["it was a little", "no idea"]},
    ]
    assert mc.check_conflicts(_model(intents, [AMOUNT]), EN) == [
        (
            "intents[AnswerIntent].samples[0]",
            "'it was a little' also reaches DontKnowIntent via intents[DontKnowIntent].samples[0]",
        )
    ]


def test_check_conflicts_leaves_report_and_answer_alone() -> None:
    """ReportIntent and AnswerIntent add their facts alike: a phrase reaching both is no
    conflict."""
    slots = [{"name": "amount", "type": "AmountType"}]
    intents: list[dict[str, Any]] = [
        {"name": "ReportIntent", "slots": slots, "samples": ["it was {amount}"]},
        {"name": "AnswerIntent", "slots": slots, "samples": ["it was a little", "{amount}"]},
    ]
    assert mc.check_conflicts(_model(intents, [AMOUNT]), EN) == []


def test_check_conflicts_between_two_slotted_samples() -> None:
    types = [AMOUNT, _type("PainType", {"mild": ["mild", "a little sore"]})]
    intents: list[dict[str, Any]] = [
        {
            "name": "A",
            "slots": [{"name": "amount", "type": "AmountType"}],
            "samples": ["{amount} sore"],
        },
        {"name": "B", "slots": [{"name": "pain", "type": "PainType"}], "samples": ["{pain}"]},
    ]
    assert mc.check_conflicts(_model(intents, types), EN) == [
        ("intents[B].samples[0]", "'a little sore' also reaches A via intents[A].samples[0]")
    ]


def test_check_conflicts_with_built_in_phrases_and_numbers() -> None:
    types = [_type("PainType", {"none": ["no pain", "no"]})]
    intents: list[dict[str, Any]] = [
        {"name": "AMAZON.NoIntent", "samples": []},
        {
            "name": "AnswerIntent",
            "slots": [{"name": "pain", "type": "PainType"}],
            "samples": ["{pain}"],
        },
        {
            "name": "Ages",
            "slots": [{"name": "age", "type": "AMAZON.NUMBER"}],
            "samples": ["i'm {age}"],
        },
        {
            "name": "Weeks",
            "slots": [{"name": "w", "type": "AMAZON.NUMBER"}],
            "samples": ["i'm {w}"],
        },
    ]
    problems = mc.check_conflicts(_model(intents, types), EN)
    shadowed = "'no' also reaches AMAZON.NoIntent via intents[AMAZON.NoIntent] (built-in)"
    assert ("intents[AnswerIntent].samples[0]", shadowed) in problems
    assert any(path == "intents[Weeks].samples[0]" for path, _ in problems)


def test_check_conflicts_expansion_is_capped_but_covers_every_value() -> None:
    many = {f"v{i}": [f"value {word}"] for i, word in enumerate("abcdefghijklmnopqrstuvwxyz")}
    types = [_type("BigType", many), _type("OtherType", {"x": ["thing"], "y": ["stuff"]})]
    slots = [{"name": n, "type": "BigType"} for n in ("a", "b", "c")]
    intents: list[dict[str, Any]] = [
        {"name": "A", "slots": slots, "samples": ["{a} {b} {c}"]},  # 26 ** 3 = 17576 variants
        {"name": "B", "samples": ["value a value a value z"]},
    ]
    model = _model(intents, types)
    problems = mc.check_conflicts(model, EN, cap=50)
    assert problems == [
        (
            "intents[B].samples[0]",
            "'value a value a value z' also reaches A via intents[A].samples[0]",
        )
    ]
    assert mc.check_conflicts(model, EN, cap=50) == problems  # deterministic


def test_check_all_reports_problems_from_several_checks() -> None:
    intents: list[dict[str, Any]] = [
        {
            "name": "ReportIntent",
            "slots": [{"name": "amount", "type": "AmountType"}],
            "samples": [],
        },
        {"name": "DontKnowIntent", "samples": ["i don't know", "i don't know 2"]},
    ]
    broken = _model(intents, [AMOUNT], invocation="ask period help")
    problems = mc.check_all(broken, {"AmountType": ["light", "heavy"]}, EN)
    paths = {path for path, _ in problems}
    assert "invocationName" in paths
    assert "intents[DontKnowIntent].samples[1]" in paths
    assert "intents[AMAZON.StopIntent]" in paths


def test_real_model_broken_copy_is_caught(
    model: dict[str, Any], expected_types: dict[str, list[str]], expected_slots: dict[str, str]
) -> None:
    broken = copy.deepcopy(model)
    language = broken["interactionModel"]["languageModel"]
    _intent(broken, "DontKnowIntent")["samples"].append("i'm on the pill")
    language["types"][0]["values"][0]["id"] = "spotty"
    problems = mc.check_all(broken, expected_types, EN, expected_slots)
    messages = _messages(problems)
    assert "also reaches DontKnowIntent" in messages
    assert "id 'spotty' is not in the slot plan" in messages


# ----------------------------------------------------------------- the checks issue 10 added


def test_check_limits_cites_amazon_and_counts_bytes_intents_and_values() -> None:
    long_value = "a" * (mc.MAX_VALUE_CHARACTERS + 1)
    types = [_type("AmountType", {"light": ["light", long_value]})]
    intents = [{"name": f"I{i}", "samples": []} for i in range(mc.MAX_INTENTS + 1)]
    problems = mc.check_limits(_model(intents, types), size_bytes=mc.MAX_MODEL_BYTES + 1)
    messages = _messages(problems)
    assert "more than Amazon's 1,500,000" in messages
    assert f"{mc.MAX_INTENTS + 1} intents: more than {mc.MAX_INTENTS}" in messages
    assert f"longer than {mc.MAX_VALUE_CHARACTERS} characters" in messages
    assert all(mc.LIMITS_SOURCE in message for _path, message in problems)
    assert mc.check_limits(_model([], types[:0]), size_bytes=1000) == []


@pytest.mark.parametrize(
    ("sample", "is_open"),
    [
        ("{amount}", True),
        ("i'm {pregnancy}", True),
        ("it was {amount} i think", True),
        ("{symptom} and {context}", True),
        ("{amount} of blood", False),
        ("i'm {age} years old", False),
        ("i feel {symptom}", False),
        ("i bled after sex", False),
    ],
)
def test_check_open_samples(sample: str, is_open: bool) -> None:
    slots = [
        {"name": n, "type": t}
        for n, t in [
            ("amount", "AmountType"),
            ("pregnancy", "PregnancyType"),
            ("age", "AMAZON.NUMBER"),
            ("symptom", "SymptomType"),
            ("context", "ContextType"),
        ]
    ]
    model = _model([{"name": "AnswerIntent", "slots": slots, "samples": [sample]}])
    problems = mc.check_open_samples(model, EN)
    assert bool(problems) is is_open, problems
    if is_open:
        assert problems[0][0] == "intents[AnswerIntent].samples[0]"
        assert "is open" in problems[0][1]


def test_check_slot_placement_finds_a_value_that_would_land_in_another_slot() -> None:
    """The review's case: 'i feel dizzy and i bled' read as consent='i feel dizzy'."""
    types = [
        _type("ConsentType", {"no": ["he forced me"]}),
        _type("SymptomType", {"dizzy_or_fainted": ["i feel dizzy"]}),
    ]
    slots = [{"name": "consent", "type": "ConsentType"}, {"name": "symptom", "type": "SymptomType"}]
    samples = ["{consent} and i bled after sex", "i bled after sex and {symptom}"]
    samples += ["i bled after sex and {consent}"]
    broken = _model([{"name": "ReportIntent", "slots": slots, "samples": samples}], types)
    problems = mc.check_slot_placement(broken, EN)
    assert problems == [
        (
            "intents[ReportIntent].samples[0]",
            "'i feel dizzy' (SymptomType) said between '^' and 'and' would land in {consent}: "
            "no sample puts a SymptomType slot there",
        )
    ]
    fixed = copy.deepcopy(broken)
    fixed["interactionModel"]["languageModel"]["intents"][0]["samples"].append(
        "{symptom} and i bled after sex"
    )
    assert mc.check_slot_placement(fixed, EN) == []


def test_check_slot_samples() -> None:
    slot = {"name": "amount", "type": "AmountType", "samples": ["{amount}", "it was 2", "a lot"]}
    model = _model([{"name": "AnswerIntent", "slots": [slot], "samples": []}], [AMOUNT])
    assert [path for path, _ in mc.check_slot_samples(model, EN)] == [
        "intents[AnswerIntent].slots[amount].samples[1]",
        "intents[AnswerIntent].slots[amount].samples[2]",
    ]


def test_every_model_stays_within_amazons_limits_with_headroom() -> None:
    for path in sorted((ROOT / "interaction_model").glob("*.json")):
        size = path.stat().st_size
        assert size <= 0.85 * mc.MAX_MODEL_BYTES, f"{path.name}: {size:,} bytes"
