"""`make models`: the committed models are exactly what the templates give, and the expansion is
capped, varied and deterministic."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from skill.simulator import templates
from skill.simulator.interaction_model import DEFAULT_MODEL_DIR
from skill.simulator.templates import TemplateError, most_varied, write_models


def test_the_committed_models_are_what_the_templates_give() -> None:
    # How long `make models` takes is measured by `make bench`, not here.
    assert write_models(check=True) == [], "run make models and commit interaction_model/"


def test_the_models_command_checks_and_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(DEFAULT_MODEL_DIR / "sentences", tmp_path / "sentences")
    args = ["--model-dir", str(tmp_path), "--locale", "en-GB"]
    parser = _parser()
    assert templates.run(parser.parse_args([*args, "--check"])) == 1
    assert "en-GB.json differs from its templates" in capsys.readouterr().out
    assert templates.run(parser.parse_args(args)) == 0
    assert (tmp_path / "en-GB.json").read_bytes() == (DEFAULT_MODEL_DIR / "en-GB.json").read_bytes()
    assert templates.run(parser.parse_args([*args, "--check"])) == 0


def _parser() -> object:
    import argparse

    parser = argparse.ArgumentParser()
    templates.configure(parser)
    return parser


def test_most_varied_keeps_every_slot_placement_and_is_deterministic() -> None:
    candidates = [f"i bled {w} after sex" for w in ("a", "b", "c", "d", "e", "f")]
    candidates += ["{amount} after sex", "i had {amount}", "so i bled a after sex"]
    kept = most_varied(candidates, 4)
    assert "{amount} after sex" in kept and "i had {amount}" in kept
    assert kept == most_varied(list(candidates), 4)
    assert len(kept) == 4
    assert kept == [c for c in candidates if c in kept]  # in the templates' order
    assert most_varied(candidates[:3], 10) == candidates[:3]


def test_the_cap_prefers_new_words_over_the_first_n() -> None:
    candidates = [f"i bled after sex {w}" for w in ("today", "today now", "today again")]
    candidates += ["there was blood during intercourse"]
    kept = most_varied(candidates, 2)
    assert "there was blood during intercourse" in kept


def _language_folder(tmp_path: Path) -> Path:
    root = tmp_path / "sentences"
    shutil.copytree(DEFAULT_MODEL_DIR / "sentences" / "en", root / "en")
    (root / "en-US").mkdir()
    (root / "en-US" / "_locale.yaml").write_text("language: en\ninvocation: care compass\n")
    return root


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("language: en\nintents: [oops", "not valid YAML"),
        ("language: en\nlists:\n  AmountType:\n    values:\n      - {in: a lot, out: lots}\n",
         "out 'lots' is not an id of AmountType"),
        ("language: en\nlists:\n  PregnancyType:\n    values:\n      - {in: yes i am, out: yes}\n",
         "quote the id True"),
        ("language: en\nintents:\n  AMAZON.PizzaIntent:\n    data: [{sentences: [pizza]}]\n",
         "not a built-in intent"),
        ("language: en\nintents:\n  WhisperIntent:\n    data:\n      - sentences:\n"
         "          - (a|b|c|d|e|f|g|h|i|j) (a|b|c|d|e|f|g|h|i|j) (a|b|c|d|e|f|g|h|i|j)"
         " (a|b|c|d|e|f|g|h|i|j) (a|b|c|d|e|f|g|h|i|j)\n",
         "split it"),
    ],
)  # fmt: skip
def test_template_errors_name_the_file(tmp_path: Path, extra: str, message: str) -> None:
    root = _language_folder(tmp_path)
    (root / "en-US" / "broken.yaml").write_text(extra, encoding="utf-8")
    with pytest.raises(TemplateError, match=message):
        templates.build_model("en-US", tmp_path)


def test_a_locale_without_its_language_is_an_error(tmp_path: Path) -> None:
    root = _language_folder(tmp_path)
    (root / "fr-CA").mkdir()
    (root / "fr-CA" / "_locale.yaml").write_text("language: fr\ninvocation: boussole\n")
    with pytest.raises(TemplateError, match="no language file for 'fr-CA'"):
        templates.build_model("fr-CA", tmp_path)


def test_an_expansion_holding_a_slot_twice_is_left_out(tmp_path: Path) -> None:
    root = _language_folder(tmp_path)
    (root / "en-US" / "twice.yaml").write_text(
        "language: en\nintents:\n  ReportIntent:\n    data:\n      - sentences:\n"
        '          - "blood after sex ({amount}|{pain}) and ({amount}|{frequency})"\n',
        encoding="utf-8",
    )
    samples = templates.build_model("en-US", tmp_path)["interactionModel"]["languageModel"]
    report = next(i for i in samples["intents"] if i["name"] == "ReportIntent")["samples"]
    assert "blood after sex {amount} and {frequency}" in report
    assert "blood after sex {amount} and {amount}" not in report
