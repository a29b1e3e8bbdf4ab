"""Adding a language is adding data: a small made-up language ("zz"), written into a temporary
folder, gets a model from `models`, passes `check-model` and can be talked to with `chat`."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import pytest
import yaml

from skill.alexa.slots import elicited_slots, expected_type_ids, slot_specs
from skill.core.loader import CONTENT_DIR
from skill.simulator import chat, check
from skill.simulator.templates import write_models

LANGUAGE = {
    "language": "zz",
    "letters": "a-z",
    "fillers": ["hm"],
    "edge_fillers": ["nu"],
    "contractions": {},
    "keep": "",
    "numbers": {"units": {"unu": 1, "du": 2, "tri": 3, "dek": 10, "dudek": 20}, "multipliers": {}},
    "negations": ["ne"],
    "joining_words": ["kaj"],
    "builtin_phrases": {
        "AMAZON.YesIntent": ["jes"],
        "AMAZON.NoIntent": ["ne"],
        "AMAZON.HelpIntent": ["helpu"],
        "AMAZON.RepeatIntent": ["ripetu"],
        "AMAZON.StartOverIntent": ["rekomencu"],
        "AMAZON.StopIntent": ["haltu"],
        "AMAZON.CancelIntent": ["nuligu"],
        "AMAZON.NavigateHomeIntent": ["hejmen"],
    },
    "launch_verbs": ["malfermu"],
    "one_shot_verbs": ["demandu"],
    "openers": ["parolu al"],
    "articles": ["la"],
    "connectives": ["pri"],
    "launch_words": ["malfermu", "demandu"],
    "topic_words": ["sango"],
    "hollow_words": ["mi", "estas", "la"],
}


def _words(text: str) -> str:
    return text.replace("_", " ").lower()


def _templates() -> dict[str, object]:
    specs = slot_specs()
    lists = {
        type_name: {
            "values": [
                {"in": f"{_words(type_name[:-4])} {_words(value_id)}", "out": value_id}
                for value_id in ids
            ]
        }
        for type_name, ids in expected_type_ids().items()
    }
    report = ["sango post seks"] + [f"sango post seks kun {{{name}}}" for name in specs]
    answer = [f"respondo {{{name}}}" for name in specs]
    slot_samples = {
        slot: [f"{{{slot}}}", f"estas {{{slot}}}"] for slot in elicited_slots().values()
    }
    intents = {
        "ReportIntent": report,
        "AnswerIntent": answer,
        "DontKnowIntent": ["mi ne scias"],
        "NotSafeIntent": ["mi ne estas sekura"],
        "WhisperIntent": ["flustru"],
        "SupportLineIntent": ["helpa linio"],
    }
    return {
        "language": "zz",
        "lists": lists,
        "slot_samples": slot_samples,
        "intents": {name: {"data": [{"sentences": s}]} for name, s in intents.items()},
    }


@pytest.fixture(scope="module")
def made_up(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("zz")
    models, content = root / "models", root / "content"
    (models / "sentences" / "zz").mkdir(parents=True)
    (models / "sentences" / "zz-ZZ").mkdir()
    write = lambda path, data: path.write_text(yaml.safe_dump(data), encoding="utf-8")  # noqa: E731
    write(models / "sentences" / "zz" / "_language.yaml", LANGUAGE)
    write(models / "sentences" / "zz" / "sentences.yaml", _templates())
    write(
        models / "sentences" / "zz-ZZ" / "_locale.yaml",
        {"language": "zz", "invocation": "kompaso kuraca"},
    )
    assert write_models(models) == ["zz-ZZ"]
    shutil.copytree(CONTENT_DIR / "en", content / "zz")  # the language's words
    shutil.copytree(CONTENT_DIR / "en-US", content / "zz-ZZ")  # the locale's numbers, services
    return models, content


def test_check_model_passes_on_the_made_up_language(
    made_up: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    models, content = made_up
    args = argparse.Namespace(model_dir=models, content_dir=content, coverage=False)
    code = check.run(args)
    out = capsys.readouterr().out
    assert code == 0, out
    assert "check-model OK: 1 model(s), 1 content locale(s)" in out


def test_chat_speaks_the_made_up_language(
    made_up: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    models, _content = made_up
    parser = argparse.ArgumentParser()
    chat.configure(parser)
    says = ["malfermu kompaso kuraca", "sango post seks kun amount heavy", "jes"]
    args = parser.parse_args(
        ["--locale", "zz-ZZ", "--model-dir", str(models), "--json"]
        + [part for said in says for part in ("--say", said)]
    )
    assert chat.run(args) == 0
    turns = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [t["intent"] for t in turns] == ["LaunchRequest", "ReportIntent", "AMAZON.YesIntent"]
    assert turns[1]["slots"] == {"amount": "heavy"} and turns[1]["facts"]["amount"] == "heavy"


def test_a_locale_whose_language_has_no_file_fails_loudly(
    made_up: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    models, _content = made_up
    shutil.copyfile(models / "zz-ZZ.json", models / "qq-ZZ.json")
    try:
        parser = argparse.ArgumentParser()
        chat.configure(parser)
        args = parser.parse_args(["--locale", "qq-ZZ", "--model-dir", str(models), "--say", "x"])
        assert chat.run(args) == 1
        assert "no language file for 'qq-ZZ'" in capsys.readouterr().err
    finally:
        (models / "qq-ZZ.json").unlink()
