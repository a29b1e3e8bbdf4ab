"""check-model --coverage, measured on a small fixture of our own (tests/simulator/phrasings/):
the held-out phrasings in tests/nlu/ are never read by these tests."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from skill.simulator import check
from skill.simulator.coverage import PhrasingError, load_phrasings, measure, share

FIXTURE = Path(__file__).resolve().parent / "phrasings"


def test_share_and_misses_of_the_fixture() -> None:
    locale, phrasings = load_phrasings(FIXTURE / "en-US.yaml")
    result = measure(locale, phrasings)
    assert (result.understood, result.total) == (6, 7)
    assert [p.say for p, _intent, _facts in result.misses] == ["the weather in paris"]
    assert share("en-US", FIXTURE) == pytest.approx(6 / 7)


def test_the_coverage_report(capsys: pytest.CaptureFixture[str]) -> None:
    args = argparse.Namespace(
        model_dir=None, content_dir=None, coverage=True, phrasings_dir=FIXTURE
    )
    assert check.run_coverage(args, __import__("sys").stdout) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "coverage en-US: 6/7 understood (85.7%)"
    assert out[1].startswith("  MISS [first] 'the weather in paris': got AMAZON.FallbackIntent")


def test_an_answer_is_measured_where_its_question_is_asked() -> None:
    from skill.simulator.coverage import Phrasing

    drops = Phrasing("a couple of drops", "answer:amount", "AnswerIntent", {"amount": "spotting"})
    first = Phrasing("a couple of drops", "first", "AnswerIntent", {"amount": "spotting"})
    assert measure("en-US", [drops]).understood == 1  # the amount slot is elicited
    assert measure("en-US", [first]).understood == 0  # a bare value opens nothing


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("locale: en-US\n", "needs 'locale' and a list"),
        ("locale: en-US\nphrasings:\n  - {say: hi, context: later, intent: X}\n", "context is"),
        ("locale: en-US\nphrasings:\n  - {say: yes, context: first, intent: Y}\n", "quote yes"),
    ],
)
def test_bad_phrasings_files(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "en-US.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PhrasingError, match=message):
        load_phrasings(path)
