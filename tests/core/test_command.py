"""`python -m skill triage`, run as a user would run it, against the contract
(docs/triage-contract.md, "The command")."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from skill.core import command

ROOT = Path(__file__).resolve().parents[2]
LEVELS = {"emergency", "urgent", "soon", "self_care"}
KEYS = {"level", "rules", "causes", "advice", "safety_net", "sources", "next_question"}
# Additions to the contract (never renames): pages a person may read about this answer.
ADDED_KEYS = {"further_reading"}


def triage(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "skill", "triage", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def check_shape(result: Any) -> None:
    """The contract's result object, field by field."""
    assert isinstance(result, dict)
    assert set(result) == KEYS | ADDED_KEYS
    assert result["level"] in LEVELS
    assert result["rules"] and all(isinstance(r, str) for r in result["rules"])
    for cause in result["causes"]:
        assert set(cause) == {"id", "text"}
        assert isinstance(cause["id"], str) and cause["text"].strip()
    assert result["advice"] and all(isinstance(a, str) and a.strip() for a in result["advice"])
    assert all(isinstance(s, str) and s.strip() for s in result["safety_net"])
    assert result["sources"]
    for source in result["sources"]:
        assert set(source) == {"title", "url"}
        assert source["title"] and source["url"].startswith(("http://", "https://"))
    assert len(result["further_reading"]) <= 3
    for page in result["further_reading"]:
        assert set(page) == {"title", "url"}
        assert page["title"].strip() and page["url"].startswith("https://")
    question = result["next_question"]
    if question is not None:
        assert set(question) == {"id", "text"}
        assert isinstance(question["id"], str) and question["text"].strip()


def only_line(text: str) -> str:
    lines = text.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_facts_on_standard_input() -> None:
    done = triage(stdin=json.dumps({"cycle_timing": "near_period"}))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    result = json.loads(only_line(done.stdout))
    check_shape(result)
    assert result["level"] == "soon"
    assert result["next_question"]["id"] == "warning_signs"
    assert any(cause["id"] == "period_shedding" for cause in result["causes"])


def test_facts_as_an_argument() -> None:
    done = triage("--facts", json.dumps({"soaks_pad_within_hour": True}))
    assert done.returncode == 0, done.stderr
    result = json.loads(only_line(done.stdout))
    check_shape(result)
    assert result["level"] == "emergency"
    assert result["next_question"] is None
    assert "911" in result["advice"][0]
    assert result["safety_net"] == []


def test_a_benign_story_with_an_explicit_locale() -> None:
    facts = {
        "cycle_timing": "near_period",
        "frequency": "first_time",
        "warning_signs": False,
        "still_bleeding": False,
        "pregnant": "no",
        "consent": "yes",
    }
    # Self-care only once every condition of C1 is known: first the grouped question.
    done = triage("--locale", "en-US", "--facts", json.dumps(facts))
    assert done.returncode == 0, done.stderr
    before = json.loads(only_line(done.stdout))
    check_shape(before)
    assert before["level"] == "soon"
    assert before["next_question"]["id"] == "discharge_partner_or_screening"
    facts["discharge_partner_or_screening"] = False
    done = triage("--locale", "en-US", "--facts", json.dumps(facts))
    assert done.returncode == 0, done.stderr
    result = json.loads(only_line(done.stdout))
    check_shape(result)
    assert result["level"] == "self_care"
    assert result["rules"] == ["C1"]
    assert result["next_question"] is None
    assert any("happens again" in advice for advice in result["advice"])
    # Added to the contract: canonical pages, titled in the locale's words.
    assert [page["url"] for page in result["further_reading"]] == [
        "https://www.mayoclinic.org/symptoms/bleeding-after-vaginal-sex/basics/causes/sym-20050716",
        "https://health.clevelandclinic.org/what-should-you-do-if-you-bleed-after-sex/",
        "https://www.nhs.uk/conditions/vaginal-dryness/",
    ]


def test_further_reading_is_in_the_locale_s_words_and_market() -> None:
    facts = {"consent": "no", "safe_now": True, "warning_signs": False, "pregnant": "no"}
    gb = json.loads(only_line(triage("--locale", "en-GB", "--facts", json.dumps(facts)).stdout))
    us = json.loads(only_line(triage("--locale", "en-US", "--facts", json.dumps(facts)).stdout))
    # England's SARC finder is for England only; a US caller is not sent there.
    assert "https://www.nhs.uk/sarcs" in [page["url"] for page in gb["further_reading"]]
    assert "https://www.nhs.uk/sarcs" not in [page["url"] for page in us["further_reading"]]
    es = json.loads(
        only_line(triage("--locale", "es-US", "--facts", json.dumps({"pain": "severe"})).stdout)
    )
    assert es["further_reading"] == [
        {
            "title": "NHS: enfermedad inflamatoria pélvica (en inglés)",
            "url": "https://www.nhs.uk/conditions/pelvic-inflammatory-disease-pid/",
        }
    ]


def test_an_empty_object_is_a_bare_report() -> None:
    done = triage(stdin="{}")
    assert done.returncode == 0, done.stderr
    result = json.loads(only_line(done.stdout))
    check_shape(result)
    assert result["next_question"]["id"] == "warning_signs"


def test_batch_keeps_going_past_bad_lines() -> None:
    lines = [
        json.dumps({"dizzy_or_fainted": True}),
        "{not json",
        json.dumps({"dizzy": True}),
        json.dumps({"consent": "no", "safe_now": True}),
    ]
    done = triage("--batch", stdin="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    out = done.stdout.splitlines()
    assert len(out) == 4
    first, bad_json, unknown_fact, last = (json.loads(line) for line in out)
    check_shape(first)
    assert first["level"] == "emergency"
    assert set(bad_json) == {"error"} and "JSON" in bad_json["error"]
    assert set(unknown_fact) == {"error"} and "dizzy" in unknown_fact["error"]
    check_shape(last)
    assert last["level"] == "urgent"


@pytest.mark.parametrize(
    ("raw", "named"),
    [
        (json.dumps({"dizzy": True}), "unknown fact 'dizzy'"),
        (json.dumps({"amount": "lots"}), "amount"),
        (json.dumps({"fever": 1}), "fever"),
        (json.dumps({"age": 500}), "age"),
        (json.dumps(["amount", "heavy"]), "JSON object"),
        (json.dumps("heavy"), "JSON object"),
        ("amount=heavy", "not JSON"),
        ("", "not JSON"),
    ],
    ids=["unknown_fact", "unknown_value", "int_for_flag", "age_out_of_range", "list", "string",
         "not_json", "empty"],
)  # fmt: skip
@pytest.mark.parametrize("via", ["stdin", "argument"])
def test_bad_input_exits_2_with_one_line_on_stderr(raw: str, named: str, via: str) -> None:
    done = triage(stdin=raw) if via == "stdin" else triage("--facts", raw)
    assert done.returncode == 2
    assert done.stdout == ""
    assert named in only_line(done.stderr)


def test_an_unknown_locale_exits_2() -> None:
    done = triage("--locale", "xx-XX", stdin="{}")
    assert done.returncode == 2
    assert done.stdout == ""
    assert "xx-XX" in only_line(done.stderr)


# --- in process: run(args, stdin, stdout) ---------------------------------------------------------


def run(*argv: str, stdin: str) -> tuple[int, str]:
    parser = argparse.ArgumentParser()
    command.configure(parser)
    out = io.StringIO()
    status = command.run(parser.parse_args(list(argv)), io.StringIO(stdin), out)
    return status, out.getvalue()


def test_run_in_process_matches_the_contract() -> None:
    status, out = run(stdin=json.dumps({"pregnant": "possible"}))
    assert status == 0
    result = json.loads(only_line(out))
    check_shape(result)
    assert result["level"] == "urgent"
    assert "U2" in result["rules"]


def test_run_in_process_batch(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = run("--batch", stdin='{"fever": true}\n[]\n{"amount": "heavy"}\n')
    assert status == 0
    results = [json.loads(line) for line in out.splitlines()]
    assert [r.get("level", "error") for r in results] == ["urgent", "error", "emergency"]
    assert capsys.readouterr().err == ""


def test_run_in_process_reports_errors_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = run("--facts", '{"pain": "agony"}', stdin="")
    assert status == 2
    assert out == ""
    assert "pain" in only_line(capsys.readouterr().err)


def test_batch_answers_an_empty_line_on_its_own_line() -> None:
    """One result per input line, in order: an empty line is an error line, not skipped."""
    result = subprocess.run(
        [sys.executable, "-m", "skill", "triage", "--batch"],
        input='{"pregnant": "yes"}\n\n{"amount": "heavy"}\n',
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 0
    assert [line.get("level", line.get("error")) for line in lines] == [
        "urgent",
        "empty line",
        "emergency",
    ]
