"""`python -m skill check-model`: clean on the real model, ERROR lines on broken copies."""

from __future__ import annotations

import argparse
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from simulator_models import intent_of, language, type_of

from skill.cli import main
from skill.core.loader import CONTENT_DIR
from skill.simulator import check
from skill.simulator.interaction_model import parse_model

WriteModel = Callable[..., Path]


def _content_for(model_dir: Path) -> Path:
    """A copy of the real content holding only the locales that have a model in `model_dir` (and
    their languages' shared words), so a test about one model is not judged against every other
    locale."""
    content = model_dir.parent / "content-for-models"
    if not content.exists():
        for model in model_dir.glob("*.json"):
            for folder in (model.stem.split("-")[0], model.stem):
                if (CONTENT_DIR / folder).is_dir() and not (content / folder).exists():
                    shutil.copytree(CONTENT_DIR / folder, content / folder)
    return content


def _run(model_dir: Path, content_dir: Path | None = None) -> tuple[int, list[str]]:
    content_dir = content_dir if content_dir is not None else _content_for(model_dir)
    parser = argparse.ArgumentParser()
    check.configure(parser)
    args = parser.parse_args(["--model-dir", str(model_dir), "--content-dir", str(content_dir)])
    out: list[str] = []

    class Sink:
        def write(self, text: str) -> None:
            out.extend(text.splitlines())

    code = check.run(args, Sink())  # type: ignore[arg-type]
    return code, out


def _errors(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith("ERROR ")]


def test_the_real_model_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-model"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert _errors(lines) == []
    locales = len(list(Path(check.DEFAULT_MODEL_DIR).glob("*.json")))
    assert lines[-1].startswith(
        f"check-model OK: {locales} model(s), {locales} content locale(s); 0 error(s)"
    )
    assert all(line.startswith(("WARNING ", "check-model ")) for line in lines)


def test_a_broken_copy_fails(model_copy: dict[str, Any], write_model: WriteModel) -> None:
    intent_of(model_copy, "ReportIntent")["samples"].append("i bled after sex 2 times")
    language(model_copy)["intents"] = [
        i for i in language(model_copy)["intents"] if i["name"] != "AMAZON.StopIntent"
    ]
    code, lines = _run(write_model(model_copy))
    assert code == 1
    errors = _errors(lines)
    assert any("samples[" in e and "contains a digit" in e for e in errors), errors
    assert any("intents[AMAZON.StopIntent]" in e and "missing" in e for e in errors), errors
    assert all(e.startswith("ERROR models/en-US.json:") or "/en-US.json:" in e for e in errors)
    assert lines[-1].startswith("check-model FAILED") and f"{len(errors)} error(s)" in lines[-1]


def test_an_intent_without_a_handler(model_copy: dict[str, Any], write_model: WriteModel) -> None:
    language(model_copy)["intents"].append(
        {"name": "WeatherIntent", "samples": ["what's the weather"]}
    )
    code, lines = _run(write_model(model_copy))
    assert code == 1
    found = [e for e in _errors(lines) if "WeatherIntent" in e]
    assert len(found) == 1, lines
    assert found[0].endswith(
        "en-US.json:intents[WeatherIntent]: no handler: only the catch-all answers it"
    )


def test_every_real_intent_reaches_its_own_handler(real_model: dict[str, Any]) -> None:
    names = [intent["name"] for intent in language(real_model)["intents"]]
    found = {name: check.handler_index(name, "en-US") for name in names}
    assert None not in found.values(), found
    assert check.handler_index("NoSuchIntent", "en-US") is None


def test_a_value_that_cannot_be_said(model_copy: dict[str, Any], write_model: WriteModel) -> None:
    answer = intent_of(model_copy, "AnswerIntent")
    answer["samples"] = [s for s in answer["samples"] if "{cycleTiming}" not in s]
    for slot in answer["slots"]:
        if slot["name"] == "cycleTiming":
            slot.pop("samples", None)
    code, lines = _run(write_model(model_copy))
    assert code == 1
    wanted = "ERROR skill/knowledge/questions.yaml:questions[cycle_timing]:"
    found = [e for e in _errors(lines) if e.startswith(wanted)]
    wanted_text = "no AnswerIntent sample or slot sample uses {cycleTiming}"
    assert found and all(wanted_text in e for e in found), lines
    assert len(found) == 4  # near_period, mid_cycle, other, irregular


def test_ambiguous_readings_within_an_intent() -> None:
    raw = {
        "interactionModel": {
            "languageModel": {
                "invocationName": "care compass",
                "intents": [
                    {
                        "name": "AnswerIntent",
                        "slots": [{"name": "amount", "type": "AmountType"}],
                        "samples": ["{amount}", "it was {amount}", "it was heavy"],
                    }
                ],
                "types": [
                    {
                        "name": "AmountType",
                        "values": [
                            {"id": "light", "name": {"value": "it was light"}},
                            {"id": "heavy", "name": {"value": "light", "synonyms": ["heavy"]}},
                        ],
                    }
                ],
            }
        }
    }
    model = parse_model(raw, "en-US", Path("m/en-US.json"))
    found = {(p.severity, p.path.split(":")[-1]) for p in check.ambiguity_problems(model)}
    assert found == {
        ("ERROR", "intents[AnswerIntent].samples[1]"),  # 'it was light': light, or heavy
        ("WARNING", "intents[AnswerIntent].samples[2]"),  # 'it was heavy': with a slot, or none
    }


def test_a_slot_outside_the_slot_plan_is_a_warning(
    model_copy: dict[str, Any], write_model: WriteModel
) -> None:
    intent_of(model_copy, "AnswerIntent")["slots"].append(
        {"name": "colour", "type": "AMAZON.Color"}
    )
    code, lines = _run(write_model(model_copy))
    assert code == 0
    assert any(
        line.startswith("WARNING") and "slots[colour]: not in the slot plan" in line
        for line in lines
    )


def test_invalid_json_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "en-US.json").write_text("{not json", encoding="utf-8")
    code, lines = _run(tmp_path)
    assert code == 1 and "not valid JSON" in _errors(lines)[0]


def test_an_empty_model_folder_is_an_error(tmp_path: Path) -> None:
    code, lines = _run(tmp_path)
    assert code == 1 and "no interaction model files" in lines[0]


def _content_copy(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    return content


def _edit_yaml(path: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_locales_must_be_complete_against_each_other(
    tmp_path: Path, model_copy: dict[str, Any], real_model: dict[str, Any], write_model: WriteModel
) -> None:
    write_model(real_model, "en-US")
    language(model_copy)["intents"] = [
        i for i in language(model_copy)["intents"] if i["name"] != "WhisperIntent"
    ]
    type_of(model_copy, "AmountType")["values"] = type_of(model_copy, "AmountType")["values"][:3]
    models = write_model(model_copy, "fr-CA")
    content = _content_copy(tmp_path)
    # Locales of languages with no folder of their own: each holds every text itself.
    for locale in ("fr-CA", "de-DE"):  # de-DE: content without a model
        shutil.copytree(content / "en-US", content / locale)
        for name in ("triage.yaml", "voice.yaml"):
            shutil.copy(content / "en" / name, content / locale / name)

    def drop_and_add(data: dict[str, Any]) -> None:
        del data["welcome"]["reprompt"]
        data["unused"] = "Not in en-US."

    _edit_yaml(content / "fr-CA" / "voice.yaml", drop_and_add)

    code, lines = _run(models, content)
    assert code == 1
    errors = "\n".join(_errors(lines))
    assert "fr-CA.json: intent 'WhisperIntent' is missing (it is in en-US.json)" in errors
    assert "fr-CA.json:types[AmountType]: id 'heavy' is missing (it is in en-US.json)" in errors
    assert "fr-CA/voice.yaml:welcome.reprompt: text is missing (it is in en-US)" in errors
    assert "de-DE: no interaction model de-DE.json" in errors
    assert any(
        line.startswith("WARNING")
        and "fr-CA/voice.yaml:unused: not in en-US, the reference" in line
        for line in lines
    )


def test_a_model_without_content(
    tmp_path: Path, real_model: dict[str, Any], write_model: WriteModel
) -> None:
    write_model(real_model, "en-US")
    models = write_model(real_model, "xx-ZZ")
    code, lines = _run(models)
    assert code == 1
    assert any("xx-ZZ.json: no content folder" in e for e in _errors(lines))


def test_real_model_copy_passes(real_model: dict[str, Any], write_model: WriteModel) -> None:
    code, lines = _run(write_model(json.loads(json.dumps(real_model))))
    assert code == 0, lines


def test_content_that_does_not_load_is_an_error(
    tmp_path: Path, real_model: dict[str, Any], write_model: WriteModel
) -> None:
    content = _content_copy(tmp_path)

    def break_placeholder(data: dict[str, Any]) -> None:
        data["welcome"]["say"] = "Hi {nobody}."

    _edit_yaml(content / "en" / "voice.yaml", break_placeholder)
    code, lines = _run(write_model(real_model), content)
    assert code == 1
    assert any(
        "voice.yaml:welcome.say: uses an undefined placeholder {nobody}" in e
        for e in _errors(lines)
    ), lines
