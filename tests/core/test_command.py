"""`python -m skill triage`, run as a user would run it, against the contract
(docs/triage-contract.md, "The command"); and the entry point every command shares (skill/cli.py).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from skill.core import command, default_content

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
    assert default_content("en-US").text("advice", "check_if_again", "text") in result["advice"]
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
            "title": default_content("es-US").text("reading", "S17"),
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
        ("", "no input: pipe a JSON object or use --facts"),
        ("  \n", "no input: pipe a JSON object or use --facts"),
        ('{"pregnant": "yes", "pregnant": "no"}', "duplicate key 'pregnant'"),
        ('{"amount": "light", "x": {"a": 1, "a": 2}}', "duplicate key 'a'"),
        ("[" * 5000 + "]" * 5000, "nested too deeply"),
        ('{"amount": ' + "[" * 5000 + "]" * 5000 + "}", "nested too deeply"),
    ],
    ids=["unknown_fact", "unknown_value", "int_for_flag", "age_out_of_range", "list", "string",
         "not_json", "empty", "blank", "duplicate_key", "nested_duplicate_key", "deep_array",
         "deep_value"],
)  # fmt: skip
@pytest.mark.parametrize("via", ["stdin", "argument"])
def test_bad_input_exits_2_with_one_line_on_stderr(raw: str, named: str, via: str) -> None:
    done = triage(stdin=raw) if via == "stdin" else triage("--facts", raw)
    assert done.returncode == 2
    assert done.stdout == ""
    assert named in only_line(done.stderr)


def test_an_unknown_locale_exits_2_and_lists_the_locales() -> None:
    done = triage("--locale", "xx-XX", stdin="{}")
    assert done.returncode == 2
    assert done.stdout == ""
    line = only_line(done.stderr)
    assert "xx-XX" in line and "en-GB" in line and "es-US" in line


@pytest.mark.parametrize("spelling", ["en-gb", "EN-GB", "en_GB", " en-GB "])
def test_a_locale_in_any_letter_case_is_accepted(spelling: str) -> None:
    done = triage("--locale", spelling, "--facts", json.dumps({"soaks_pad_within_hour": True}))
    assert done.returncode == 0, done.stderr
    assert "999" in json.loads(only_line(done.stdout))["advice"][0]  # en-GB's number


def test_facts_with_batch_is_refused() -> None:
    done = triage("--batch", "--facts", json.dumps({"pregnant": "yes"}), stdin="{}\n")
    assert done.returncode == 2
    assert done.stdout == ""
    assert "--facts and --batch" in only_line(done.stderr)


def test_batch_turns_a_deeply_nested_line_into_an_error_line() -> None:
    lines = [json.dumps({"pregnant": "yes"}), "[" * 5000 + "]" * 5000, '{"a": 1, "a": 1}', "{}"]
    done = triage("--batch", stdin="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(results) == 4
    assert results[0]["level"] == "urgent"
    assert "nested too deeply" in results[1]["error"]
    assert "duplicate key 'a'" in results[2]["error"]
    assert "level" in results[3]


def test_a_closed_pipe_ends_triage_quietly() -> None:
    """`triage --batch | head -1`: the reader goes away; no traceback, the SIGPIPE status."""
    lines = (json.dumps({"amount": "heavy"}) + "\n") * 3000  # far more than a pipe buffer of output
    process = subprocess.Popen(
        [sys.executable, "-m", "skill", "triage", "--batch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert process.stdin and process.stdout and process.stderr
    process.stdin.write(lines.encode())
    process.stdin.close()
    first = process.stdout.readline()
    process.stdout.close()  # what `head -1` does after its line
    status = process.wait(timeout=60)
    err = process.stderr.read().decode()
    process.stderr.close()
    assert json.loads(first)["level"] == "emergency"
    assert err == ""
    assert status == 141


def test_a_broken_content_file_is_one_line_naming_it(tmp_path: Path) -> None:
    shutil.copytree(
        ROOT / "skill", tmp_path / "skill", ignore=shutil.ignore_patterns("__pycache__")
    )
    broken = tmp_path / "skill" / "content" / "en" / "triage.yaml"
    broken.write_text(broken.read_text("utf-8") + "\n  - {unclosed: [\n", "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "skill", "triage", "--facts", "{}"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    line = only_line(done.stderr)
    assert "skill/content/en/triage.yaml" in line and "Traceback" not in done.stderr


# --- the entry point: python -m skill ------------------------------------------------------------


def skill(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "skill", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_goes_to_stdout_and_exits_0(flag: str) -> None:
    done = skill(flag)
    assert done.returncode == 0
    assert done.stderr == ""
    assert "usage: python -m skill" in done.stdout
    for name in ("triage", "serve", "chat", "check-model"):
        assert name in done.stdout


def test_a_command_s_help_exits_0() -> None:
    done = skill("triage", "--help")
    assert done.returncode == 0 and done.stderr == ""
    assert "--batch" in done.stdout


def test_no_arguments_print_the_usage_and_exit_2() -> None:
    done = skill()
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("usage: python -m skill")
    assert "no command given" in done.stderr


def test_an_unknown_command_says_so_in_one_line() -> None:
    done = skill("foo")
    assert done.returncode == 2
    assert done.stdout == ""
    assert "unknown command 'foo'" in only_line(done.stderr)


def test_version() -> None:
    from importlib.metadata import version

    done = skill("--version")
    assert done.returncode == 0 and done.stderr == ""
    assert only_line(done.stdout) == f"care-compass {version('care-compass')}"


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
