"""`python -m skill chat`: --say turns, --json objects, interactive use, errors, speed."""

from __future__ import annotations

import argparse
import io
import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from skill.cli import main
from skill.simulator import chat
from skill.testing import heard_text

ROOT = Path(__file__).resolve().parents[2]
TURN_KEYS = ["you", "intent", "slots", "speech", "reprompt", "card", "facts", "question", "level"]
TURN_KEYS.append("end_session")


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    chat.configure(parser)
    return parser.parse_args(list(argv))


def _json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_json_output_shape(capsys: pytest.CaptureFixture[str]) -> None:
    says = ["open care compass", "i bleed after sex every time", "no", "no", "yes", "yes"]
    says += ["i had big clots after sex"]
    code = chat.run(_args(*[x for s in says for x in ("--say", s)], "--json"))
    assert code == 0
    turns = _json_lines(capsys.readouterr().out)
    assert [list(t) for t in turns] == [TURN_KEYS] * 7
    launch, report, _no, _no_again, answer, card, emergency = turns
    assert launch["intent"] == "LaunchRequest" and launch["slots"] == {} and launch["card"] is None
    assert report["slots"] == {"frequency": "recurrent"} and report["facts"] == report["slots"]
    assert report["question"] == "warning_signs" and report["end_session"] is False
    assert answer["level"] == "soon" and answer["question"] is None
    assert answer["end_session"] is False and isinstance(answer["reprompt"], str)
    assert card["card"] is not None and set(card["card"]) == {"title", "text"}
    assert card["end_session"] is True and card["level"] == "soon" and card["reprompt"] is None
    # A new session: the emergency answer asks nothing and ends; its level is read from its words.
    assert emergency["slots"] == {"amount": "heavy"} and emergency["facts"] == {"amount": "heavy"}
    assert emergency["speech"].startswith(heard_text("levels.emergency.say"))
    assert emergency["level"] == "emergency" and emergency["end_session"] is True


def test_json_output_for_a_value_outside_the_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    """The words are sent as Alexa sends them (ER_SUCCESS_NO_MATCH); nothing is guessed, and the
    question about what was unclear is asked."""
    assert chat.run(_args("--say", "there was purple after sex", "--json")) == 0
    (turn,) = _json_lines(capsys.readouterr().out)
    assert turn["intent"] == "ReportIntent" and turn["slots"] == {"amount": "purple"}
    assert turn["question"] == "amount" and turn["facts"] == {}


def test_readable_output(capsys: pytest.CaptureFixture[str]) -> None:
    says = ["--say", "ask care compass i had big clots after sex", "--say", "yes"]
    assert chat.run(_args(*says)) == 0
    out = capsys.readouterr().out
    assert "you: ask care compass i had big clots after sex" in out
    assert "-> ReportIntent (amount=heavy)" in out
    assert "Alexa: Please call 911 now." in out
    assert "level: emergency" in out and "card:" not in out  # an emergency offers no note
    assert "(session ended)" in out and "<speak>" not in out


def test_through_the_command_dispatcher(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["chat", "--say", "open care compass", "--json"]) == 0
    (turn,) = _json_lines(capsys.readouterr().out)
    assert turn["intent"] == "LaunchRequest"


def test_interactive(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("open care compass\n\nwhisper\n:quit\nstop\n"))
    assert chat.run(_args()) == 0
    out = capsys.readouterr().out
    assert "you: open care compass" in out and "Alexa (whispering):" in out
    assert "StopIntent" not in out  # :quit came first


def test_interactive_ends_at_end_of_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("open care compass\n"))
    assert chat.run(_args("--json")) == 0
    assert "LaunchRequest" in capsys.readouterr().out


def test_unknown_locale_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert chat.run(_args("--locale", "xx-XX", "--say", "hi")) == 1
    assert "no such model file" in capsys.readouterr().err


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_unreachable_url_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/"
    assert chat.run(_args("--url", url, "--timeout", "2", "--say", "open care compass")) == 1
    assert f"cannot reach {url}" in capsys.readouterr().err


def test_ten_turns_from_the_command_line() -> None:
    """Ten turns in one command; how long they take is measured by `make bench`, not here."""
    says = ["open care compass", "i bled after sex", "yes", "no", "help", "a little"]
    says += ["repeat", "no pain", "no", "stop"]
    done = subprocess.run(
        [sys.executable, "-m", "skill", "chat", "--json", *[x for s in says for x in ("--say", s)]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert len(_json_lines(done.stdout)) == 10


def test_verbose_shows_the_sample_and_the_request(capsys: pytest.CaptureFixture[str]) -> None:
    assert chat.run(_args("--verbose", "--say", "there was purple after sex")) == 0
    out = capsys.readouterr().out
    assert "-> ReportIntent (amount='purple' (not in the catalogue))" in out
    assert "sample: there was {amount} after sex" in out
    request = json.loads(
        next(line for line in out.splitlines() if "request: " in line).split(": ", 1)[1]
    )
    assert request["request"]["intent"]["slots"]["amount"]["value"] == "purple"


def test_interactive_json_is_one_object_per_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("open care compass\nyes\n"))
    assert chat.run(_args("--json")) == 0
    captured = capsys.readouterr()
    assert [t["intent"] for t in _json_lines(captured.out)] == ["LaunchRequest", "AMAZON.YesIntent"]
    assert "Talking to 'care compass'" in captured.err
    assert "" not in captured.out.splitlines()


def test_interactive_goes_on_after_an_unreachable_endpoint(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("open care compass\nhelp\n"))
    url = f"http://127.0.0.1:{_closed_port()}/"
    assert chat.run(_args("--url", url, "--timeout", "2")) == 0
    assert capsys.readouterr().err.count("cannot reach") == 2


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--url", "notaurl"], "error: --url must be an http:// or https:// address, not 'notaurl'"),  # noqa: E501
        (["--url", "http://127.0.0.1:5000/", "--timeout", "-1"],
         "error: --timeout must be a positive number of seconds, not -1"),
        (["--timeout", "nan"], "error: --timeout must be a positive number of seconds, not nan"),
    ],
)  # fmt: skip
def test_bad_url_or_timeout_is_one_line_and_status_2(
    options: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert chat.run(_args(*options, "--say", "hi")) == 2
    captured = capsys.readouterr()
    assert captured.err == message + "\n" and captured.out == ""


def test_a_support_line_keeps_the_question_and_whispers(capsys: pytest.CaptureFixture[str]) -> None:
    says = ["open care compass", "i bled after sex", "no", "give me a helpline number"]
    assert chat.run(_args(*[p for s in says for p in ("--say", s)], "--json")) == 0
    turns = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    line = turns[-1]
    assert line["intent"] == "SupportLineIntent"
    assert "800-656-4673" in line["speech"] and line["question"] == turns[-2]["question"]
    assert line["end_session"] is False
